package dev.superfactory.agent.slurm;

import java.util.List;

/**
 * A Slurm node as slurmrestd v0.0.38 shows it.
 *
 * @param name the node name
 * @param state the base state in lower case ({@code idle}, {@code mixed}, {@code allocated}, {@code down}, ...)
 * @param flags the state flags ({@code DRAIN}, {@code NOT_RESPONDING}, ...)
 * @param reason the reason an administrator or Slurm gave for draining or downing it, empty if none
 * @param gres the node's configured GRES, e.g. {@code gpu:8}
 */
public record SlurmNode(String name, String state, List<String> flags, String reason, String gres) {

    public SlurmNode {
        flags = List.copyOf(flags);
    }
}
