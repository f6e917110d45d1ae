package dev.superfactory.agent;

/**
 * A node of a site's cluster as the cluster sees it.
 *
 * @param name the cluster's node name
 * @param gpus GPUs the node has
 * @param up whether it can run work (Slurm: idle, mixed or allocated; Kubernetes: Ready and schedulable)
 * @param reason why it is out (Slurm: the drain reason or state; Kubernetes: the condition), empty when up
 */
public record NodeStatus(String name, int gpus, boolean up, String reason) {
}
