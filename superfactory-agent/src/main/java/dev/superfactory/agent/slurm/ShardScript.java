package dev.superfactory.agent.slurm;

import java.util.Locale;

/**
 * The batch script of a shard: it holds the shard's nodes, marks itself READY and waits for the go signal
 * when the start is two-phase, then "works" for the shard's run time (a sleep: the real training command
 * comes later). It traps the notice signal and records it; it records SIGTERM (Slurm's cancel) and exits.
 *
 * <p>READY and go live in the job's {@code comment}, so the cluster holds them and the agent needs nothing
 * but slurmrestd. The job is submitted with {@code sf:start}; once its traps are in place the script sets
 * {@code sf:ready:<restarts>} with {@code scontrol update} and, when the go signal arrives (or at once
 * without a two-phase start), {@code sf:go:<restarts>}. The restart count tells a mark of an earlier,
 * requeued run from this one. Until the first mark a signal would kill the script, not reach a trap: the
 * backend sends none before it. Every step goes to {@code <name>.<jobid>.events} in the job's
 * working directory, one {@code <event> <epoch microseconds>} line each: start, ready, go, work, notice,
 * term, done.
 */
final class ShardScript {

    /** The comment a shard is submitted with: its script has not set its traps yet. */
    static final String START_MARK = "sf:start";
    static final String READY_PREFIX = "sf:ready:";
    static final String GO_PREFIX = "sf:go:";

    private ShardScript() {
    }

    static String of(double runSeconds, boolean waitForGo, String noticeSignal, String goSignal) {
        if (!(runSeconds >= 0) || Double.isInfinite(runSeconds)) {
            throw new IllegalArgumentException("runSeconds must be finite and >= 0, got " + runSeconds);
        }
        long runMicros = Math.round(runSeconds * 1_000_000);
        return String.join("\n",
                "#!/bin/bash",
                "# Superfactory shard: " + String.format(Locale.ROOT, "%.3f", runSeconds) + " s of work (sleep)"
                        + (waitForGo ? " after go" : ""),
                "events=\"${SLURM_JOB_NAME}.${SLURM_JOB_ID}.events\"",
                // the time without a subshell: a signal to every process of the job would kill one
                "log() { echo \"$1 ${EPOCHREALTIME//[!0-9]/}\" >> \"$events\"; }",
                // scontrol ignores the notice and go signals (Slurm sends them to every process of the job)
                "mark() {",
                "  for _ in 1 2 3; do",
                "    ( trap '' " + noticeSignal + " " + goSignal + "; exec scontrol update JobId=\"$SLURM_JOB_ID\""
                        + " Comment=\"$1\" ) >/dev/null && return",
                "    sleep 1",
                "  done",
                "  log mark-failed",
                "}",
                "go=0",
                "trap 'log notice' " + noticeSignal,
                "trap 'go=1' " + goSignal,
                "trap 'log term; exit 143' TERM",
                "restarts=\"${SLURM_RESTART_COUNT:-0}\"",
                "env > \"${SLURM_JOB_NAME}.${SLURM_JOB_ID}.env\"",
                "log start",
                waitForGo ? waitForGoPart() : "mark \"" + GO_PREFIX + "$restarts\"",
                "log work",
                "end=$(( ${EPOCHREALTIME//[!0-9]/} + " + runMicros + " ))",
                "while (( ${EPOCHREALTIME//[!0-9]/} < end )); do sleep 0.2 & wait $!; done",
                "log done",
                "");
    }

    private static String waitForGoPart() {
        return String.join("\n",
                "mark \"" + READY_PREFIX + "$restarts\"",
                "log ready",
                "while (( go == 0 )); do sleep 0.2 & wait $!; done",
                "mark \"" + GO_PREFIX + "$restarts\"",
                "log go");
    }
}
