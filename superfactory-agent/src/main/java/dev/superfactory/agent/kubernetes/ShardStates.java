package dev.superfactory.agent.kubernetes;

import dev.superfactory.agent.ShardStatus;
import dev.superfactory.agent.ShardStatus.State;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A shard's state from its pods' phases ({@link ShardPods}), in this order:
 * <ol>
 *   <li>a pod terminating (deletion timestamp set) or missing (fewer pods than the shard was
 *       started with) → STOPPED: a stop deletes the pods;
 *   <li>a pod Failed → FAILED, with the pod's reason (kubelet admission, eviction) or its
 *       container's reason and exit code;
 *   <li>every pod Succeeded → SUCCEEDED;
 *   <li>a pod Pending (or with no phase yet) → PENDING;
 *   <li>otherwise every pod Running (or Succeeded, its rank done; or Unknown, its node not heard
 *       from, which the node health reports): RUNNING once every pod has go, else READY.
 * </ol>
 * Cost: O(pods) per call, no calls to the cluster.
 */
final class ShardStates {

    private ShardStates() {
    }

    /** Every shard among {@code pods} (pods without the shard label are ignored), by shard name. */
    static List<ShardStatus> of(List<Pod> pods) {
        Map<String, List<Pod>> byShard = new LinkedHashMap<>();
        pods.stream()
                .filter(pod -> labels(pod).containsKey(ShardPods.SHARD))
                .sorted(Comparator.comparing(ShardStates::shardName).thenComparingInt(ShardStates::rank))
                .forEach(pod -> byShard.computeIfAbsent(shardName(pod), name -> new ArrayList<>()).add(pod));
        List<ShardStatus> shards = new ArrayList<>();
        byShard.forEach((name, shardPods) -> shards.add(of(name, shardPods)));
        return shards;
    }

    /** The state of the shard {@code name} whose pods (in rank order) are {@code pods}. */
    static ShardStatus of(String name, List<Pod> pods) {
        List<String> nodes = pods.stream().map(pod -> pod.getSpec().getNodeName()).filter(n -> n != null).toList();
        Optional<Pod> failed = pods.stream().filter(pod -> "Failed".equals(phase(pod))).findFirst();
        if (pods.stream().anyMatch(pod -> pod.getMetadata().getDeletionTimestamp() != null)) {
            return new ShardStatus(name, name, State.STOPPED, nodes, "pods deleted (stopped)");
        }
        if (pods.size() < expectedPods(pods)) {
            return new ShardStatus(name, name, State.STOPPED, nodes,
                    pods.size() + " of " + expectedPods(pods) + " pods left (deleted)");
        }
        if (failed.isPresent()) {
            return new ShardStatus(name, name, State.FAILED, nodes, failure(failed.get()));
        }
        if (pods.stream().allMatch(pod -> "Succeeded".equals(phase(pod)))) {
            return new ShardStatus(name, name, State.SUCCEEDED, nodes, "");
        }
        if (pods.stream().anyMatch(pod -> phase(pod) == null || "Pending".equals(phase(pod)))) {
            return new ShardStatus(name, name, State.PENDING, nodes, "");
        }
        boolean go = pods.stream().allMatch(pod -> "true".equals(annotations(pod).get(ShardPods.GO)));
        return new ShardStatus(name, name, go ? State.RUNNING : State.READY, nodes, "");
    }

    /** Why a Failed pod failed: the pod's reason, or its container's reason and exit code. */
    static String failure(Pod pod) {
        String podName = pod.getMetadata().getName();
        if (pod.getStatus().getReason() != null) {
            return podName + ": " + pod.getStatus().getReason() + message(pod.getStatus().getMessage());
        }
        List<ContainerStatus> containers = pod.getStatus().getContainerStatuses();
        for (ContainerStatus container : containers == null ? List.<ContainerStatus>of() : containers) {
            ContainerStateTerminated ended = container.getState() == null ? null : container.getState().getTerminated();
            if (ended != null && ended.getExitCode() != null && ended.getExitCode() != 0) {
                return podName + ": " + (ended.getReason() == null ? "terminated" : ended.getReason())
                        + ", exit code " + ended.getExitCode() + message(ended.getMessage());
            }
        }
        return podName + ": Failed";
    }

    private static String message(String message) {
        return message == null || message.isBlank() ? "" : " (" + message.strip() + ")";
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static String shardName(Pod pod) {
        return annotations(pod).getOrDefault(ShardPods.SHARD_NAME, labels(pod).get(ShardPods.SHARD));
    }

    private static int rank(Pod pod) {
        return intOr(labels(pod).get(ShardPods.RANK), 0);
    }

    private static int expectedPods(List<Pod> pods) {
        return pods.stream().mapToInt(pod -> intOr(annotations(pod).get(ShardPods.PODS), 0)).max().orElse(0);
    }

    private static int intOr(String value, int otherwise) {
        return value != null && value.matches("\\d{1,9}") ? Integer.parseInt(value) : otherwise;
    }

    private static Map<String, String> labels(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    private static Map<String, String> annotations(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
