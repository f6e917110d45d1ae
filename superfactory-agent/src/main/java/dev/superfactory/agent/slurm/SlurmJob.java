package dev.superfactory.agent.slurm;

import java.util.List;

/**
 * A Slurm job as slurmrestd v0.0.38 shows it: the fields the Slurm backend reads.
 *
 * @param id the job id
 * @param name the job name ({@code sf-<run>-<site>} for shards)
 * @param state Slurm's job state word ({@code PENDING}, {@code RUNNING}, {@code NODE_FAIL}, ...)
 * @param nodes the nodes it holds or held, expanded from Slurm's host list (empty while pending)
 * @param comment the job's comment: the shard script's READY/go marker
 * @param stateReason Slurm's reason word ({@code None}, {@code NodeDown}, {@code NonZeroExitCode}, ...)
 * @param stateDescription Slurm's longer reason text, often empty
 * @param exitCode the batch script's exit code
 * @param restartCount how often Slurm requeued it
 */
public record SlurmJob(long id, String name, String state, List<String> nodes, String comment, String stateReason,
                       String stateDescription, int exitCode, int restartCount) {

    public SlurmJob {
        nodes = List.copyOf(nodes);
    }
}
