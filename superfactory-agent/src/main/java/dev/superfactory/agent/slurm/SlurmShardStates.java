package dev.superfactory.agent.slurm;

import dev.superfactory.agent.NodeStatus;
import dev.superfactory.agent.ShardStatus;
import dev.superfactory.agent.ShardStatus.State;

import java.util.List;
import java.util.Set;

/**
 * Slurm's job and node states in the agent's words. A running job is READY while its comment carries
 * the script's ready mark of this run ({@link ShardScript}), RUNNING once it carries the go mark (or no
 * mark of ours at all: a job someone else named {@code sf-}), PENDING while the script has not marked
 * itself yet.
 * Constant time per job or node.
 */
final class SlurmShardStates {

    private static final Set<String> FAILED = Set.of(
            "FAILED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE");
    private static final Set<String> STOPPED = Set.of("CANCELLED", "PREEMPTED");
    private static final Set<String> HOLDING = Set.of("RUNNING", "COMPLETING", "SUSPENDED", "STOPPED");
    private static final Set<String> UP = Set.of("idle", "mixed", "allocated");
    private static final Set<String> OUT_FLAGS = Set.of(
            "DRAIN", "DRAINING", "DRAINED", "NOT_RESPONDING", "FAIL", "MAINTENANCE", "POWERED_DOWN");

    private SlurmShardStates() {
    }

    static ShardStatus shardOf(SlurmJob job) {
        State state = stateOf(job);
        String reason = state == State.FAILED || state == State.STOPPED ? reasonOf(job) : "";
        return new ShardStatus(Long.toString(job.id()), job.name(), state, job.nodes(), reason);
    }

    static State stateOf(SlurmJob job) {
        String slurm = job.state();
        if (slurm.equals("COMPLETED")) {
            return State.SUCCEEDED;
        }
        if (FAILED.contains(slurm)) {
            return State.FAILED;
        }
        if (STOPPED.contains(slurm)) {
            return State.STOPPED;
        }
        if (HOLDING.contains(slurm)) {
            return holdingStateOf(job);
        }
        return State.PENDING;
    }

    /** A job that holds its nodes: READY, RUNNING, or PENDING until a two-phase script marks itself. */
    private static State holdingStateOf(SlurmJob job) {
        String comment = job.comment();
        if (comment.equals(ShardScript.READY_PREFIX + job.restartCount())) {
            return State.READY;
        }
        if (comment.equals(ShardScript.GO_PREFIX + job.restartCount())) {
            return State.RUNNING;
        }
        boolean ours = comment.equals(ShardScript.START_MARK)
                || comment.startsWith(ShardScript.READY_PREFIX) || comment.startsWith(ShardScript.GO_PREFIX);
        return ours ? State.PENDING : State.RUNNING;
    }

    /** {@code NODE_FAIL: NodeDown}, {@code FAILED: NonZeroExitCode, exit code 3}, {@code CANCELLED}. */
    static String reasonOf(SlurmJob job) {
        StringBuilder reason = new StringBuilder(job.state());
        if (!job.stateReason().isEmpty() && !job.stateReason().equals("None")) {
            reason.append(": ").append(job.stateReason());
        }
        if (!job.stateDescription().isEmpty()) {
            reason.append(" (").append(job.stateDescription()).append(')');
        }
        if (job.exitCode() != 0 && !job.state().equals("CANCELLED")) {
            reason.append(", ").append(exitOf(job.exitCode()));
        }
        return reason.toString();
    }

    /** Slurm's exit code is the script's wait status: exit code in the high byte, signal in the low bits. */
    static String exitOf(int waitStatus) {
        int signal = waitStatus & 0x7f;
        return signal != 0 ? "signal " + signal : "exit code " + (waitStatus >> 8 & 0xff);
    }

    static NodeStatus nodeOf(SlurmNode node) {
        List<String> out = node.flags().stream().filter(OUT_FLAGS::contains).toList();
        boolean up = UP.contains(node.state()) && out.isEmpty();
        String reason = "";
        if (!up) {
            String words = node.state() + (out.isEmpty() ? "" : "+" + String.join("+", out));
            reason = node.reason().isEmpty() ? words : node.reason() + " (" + words + ")";
        }
        return new NodeStatus(node.name(), gpusOf(node.gres()), up, reason);
    }

    /** GPUs in a GRES string: {@code gpu:8}, {@code gpu:a100:8}, {@code gpu:8(S:0-1)}, summed over types. */
    static int gpusOf(String gres) {
        int gpus = 0;
        for (String item : gres.replaceAll("\\([^)]*\\)", "").split(",")) {
            String[] fields = item.split(":");
            if (fields[0].equals("gpu") && fields.length > 1) {
                gpus += Integer.parseInt(fields[fields.length - 1].trim());
            }
        }
        return gpus;
    }
}
