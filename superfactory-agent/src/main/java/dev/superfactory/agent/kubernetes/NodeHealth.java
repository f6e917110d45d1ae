package dev.superfactory.agent.kubernetes;

import dev.superfactory.agent.NodeStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's GPUs and health as the agent reports them: GPUs are the node's allocatable count of the
 * GPU resource (nodes with none are not the agent's); a node is up when its {@code Ready} condition
 * is {@code True} and it is not cordoned ({@code spec.unschedulable}). Cost: O(conditions) per node.
 */
final class NodeHealth {

    private NodeHealth() {
    }

    /** The GPU nodes among {@code nodes}, by name. */
    static List<NodeStatus> of(List<Node> nodes, String gpuResource) {
        List<NodeStatus> statuses = new ArrayList<>();
        for (Node node : nodes) {
            int gpus = gpus(node, gpuResource);
            if (gpus > 0) {
                List<String> out = reasonsOut(node);
                statuses.add(new NodeStatus(node.getMetadata().getName(), gpus, out.isEmpty(), String.join("; ", out)));
            }
        }
        statuses.sort(java.util.Comparator.comparing(NodeStatus::name));
        return statuses;
    }

    static int gpus(Node node, String gpuResource) {
        Map<String, Quantity> allocatable = node.getStatus() == null ? null : node.getStatus().getAllocatable();
        Quantity quantity = allocatable == null ? null : allocatable.get(gpuResource);
        return quantity == null ? 0 : Quantity.getAmountInBytes(quantity).intValue();
    }

    /** Why the node cannot run work; empty when it can. */
    static List<String> reasonsOut(Node node) {
        List<String> out = new ArrayList<>();
        Optional<NodeCondition> ready = node.getStatus() == null || node.getStatus().getConditions() == null
                ? Optional.empty()
                : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
        if (ready.isEmpty()) {
            out.add("no Ready condition");
        } else if (!"True".equals(ready.get().getStatus())) {
            NodeCondition condition = ready.get();
            String reason = condition.getReason() == null ? "" : ": " + condition.getReason();
            String message = condition.getMessage() == null || condition.getMessage().isBlank() ? ""
                    : " (" + condition.getMessage().strip() + ")";
            out.add("Ready=" + condition.getStatus() + reason + message);
        }
        if (Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable())) {
            out.add("cordoned");
        }
        return out;
    }
}
