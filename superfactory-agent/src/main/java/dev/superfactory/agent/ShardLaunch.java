package dev.superfactory.agent;

import java.util.List;
import java.util.Map;

/**
 * What a backend needs to start one shard of a run on its site.
 *
 * @param name the shard's name on the cluster, {@code sf-<run>-<site>}: how the agent finds it again
 * @param run the control plane's run id
 * @param job the control plane's job id
 * @param tenant the job's tenant
 * @param nodes the nodes the shard runs on, with the GPUs it takes on each, in rank order
 * @param environment what a distributed training launcher needs (rank layout, rendezvous address,
 *     world size, checkpoint directory, notice signal), set in the shard's environment
 * @param runSeconds how long the shard's work runs before it ends by itself (the job's declared run
 *     time, scaled by the agent's time scale, minus what a checkpoint saved)
 * @param waitForGo whether the shard holds its nodes and waits for {@link SiteBackend#go} (two-phase start)
 */
public record ShardLaunch(String name, long run, long job, String tenant, List<NodeGpus> nodes,
                          Map<String, String> environment, double runSeconds, boolean waitForGo) {

    public ShardLaunch {
        nodes = List.copyOf(nodes);
        environment = Map.copyOf(environment);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("shard " + name + " has no nodes");
        }
    }

    /** GPUs of the shard on one node. */
    public record NodeGpus(String node, int gpus) {
    }

    /** The name a shard of {@code run} on {@code site} has on its cluster. */
    public static String nameOf(long run, String site) {
        return "sf-" + run + "-" + site;
    }
}
