package dev.superfactory.agent;

import java.util.List;

/**
 * A shard as its cluster sees it.
 *
 * @param id the cluster's id (Slurm job id, Kubernetes Job name)
 * @param name the shard's name, {@code sf-<run>-<site>} ({@link ShardLaunch#nameOf})
 * @param state where it is
 * @param nodes the nodes it holds or held (empty while pending)
 * @param reason why it ended, in the cluster's words (empty if it has not, or succeeded)
 */
public record ShardStatus(String id, String name, State state, List<String> nodes, String reason) {

    public ShardStatus {
        nodes = List.copyOf(nodes);
    }

    /** A shard's states as the agent reports them. */
    public enum State {
        /** Accepted by the cluster, waiting for its nodes. */
        PENDING,
        /** Holds its nodes and waits for go (two-phase start). */
        READY,
        /** Its work runs. */
        RUNNING,
        /** Ended by itself with success. */
        SUCCEEDED,
        /** Ended with an error, or its nodes failed. */
        FAILED,
        /** Ended by a stop (cancel, preemption). */
        STOPPED;

        public boolean ended() {
            return this == SUCCEEDED || this == FAILED || this == STOPPED;
        }
    }
}
