package dev.superfactory.agent.slurm;

import dev.superfactory.agent.NodeStatus;
import dev.superfactory.agent.ShardStatus;
import dev.superfactory.agent.ShardStatus.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Slurm's words mapped by hand-worked cases (the real clusters are in {@link SlurmBackendTest}). */
class SlurmShardStatesTest {

    @ParameterizedTest(name = "{0} with comment ''{1}'' after {2} restarts is {3}")
    @CsvSource({
            "PENDING, sf:start, 0, PENDING",
            "REQUEUED, sf:go:0, 1, PENDING",
            "RUNNING, sf:start, 0, PENDING",
            "RUNNING, sf:ready:0, 0, READY",
            "RUNNING, sf:go:0, 0, RUNNING",
            // requeued once: the marks of the first run do not count
            "RUNNING, sf:ready:0, 1, PENDING",
            "RUNNING, sf:go:0, 1, PENDING",
            "RUNNING, sf:ready:1, 1, READY",
            "RUNNING, '', 0, RUNNING",
            "COMPLETED, sf:go:0, 0, SUCCEEDED",
            "FAILED, sf:go:0, 0, FAILED",
            "TIMEOUT, sf:go:0, 0, FAILED",
            "NODE_FAIL, sf:go:0, 0, FAILED",
            "OUT_OF_MEMORY, sf:go:0, 0, FAILED",
            "CANCELLED, sf:ready:0, 0, STOPPED",
            "PREEMPTED, sf:go:0, 0, STOPPED",
    })
    void mapsJobStates(String slurm, String comment, int restarts, State expected) {
        assertThat(SlurmShardStates.stateOf(job(slurm, comment, restarts, "None", 0))).isEqualTo(expected);
    }

    @Test
    void anEndedShardSaysWhyInSlurmsWordsAndDecodesTheWaitStatus() {
        // exit 3 is wait status 3 << 8 = 768; a SIGKILL (9) is wait status 9
        assertThat(SlurmShardStates.shardOf(job("FAILED", "sf:go:0", 0, "NonZeroExitCode", 768)))
                .isEqualTo(new ShardStatus("42", "sf-7-wisconsin", State.FAILED, List.of("wisconsin-n1"),
                        "FAILED: NonZeroExitCode, exit code 3"));
        assertThat(SlurmShardStates.reasonOf(job("FAILED", "sf:go:0", 0, "RaisedSignal", 9)))
                .isEqualTo("FAILED: RaisedSignal, signal 9");
        assertThat(SlurmShardStates.shardOf(job("RUNNING", "sf:go:0", 0, "None", 0)).reason()).isEmpty();
    }

    @Test
    void aNodeIsUpWhenIdleMixedOrAllocatedAndNotDraining() {
        assertThat(SlurmShardStates.nodeOf(new SlurmNode("n1", "mixed", List.of(), "", "gpu:8")))
                .isEqualTo(new NodeStatus("n1", 8, true, ""));
        assertThat(SlurmShardStates.nodeOf(new SlurmNode("n2", "allocated", List.of("DRAIN"), "ecc", "gpu:8")))
                .isEqualTo(new NodeStatus("n2", 8, false, "ecc (allocated+DRAIN)"));
        assertThat(SlurmShardStates.nodeOf(new SlurmNode("n3", "down", List.of("NOT_RESPONDING"), "", "gpu:8")))
                .isEqualTo(new NodeStatus("n3", 8, false, "down+NOT_RESPONDING"));
    }

    @Test
    void countsGpusOfEveryTypeInAGresString() {
        assertThat(SlurmShardStates.gpusOf("gpu:a100:4(S:0,1),gpu:h100:2,shard:8")).isEqualTo(6);
        assertThat(SlurmShardStates.gpusOf("(null)")).isZero();
    }

    private static SlurmJob job(String state, String comment, int restarts, String reason, int exitCode) {
        return new SlurmJob(42, "sf-7-wisconsin", state, List.of("wisconsin-n1"), comment, reason, "", exitCode,
                restarts);
    }
}
