package dev.superfactory.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.agent.ShardStatus;
import dev.superfactory.agent.ShardStatus.State;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shard states and node health from objects as the API server returns them (no server: pure mapping). */
class ShardStatesTest {

    @Test
    void aShardWithATerminatingPodIsStoppedEvenIfAnotherFailedFromTheNotice() {
        List<Pod> pods = List.of(pod(0, "Running", "2026-11-30T22:00:00Z"), pod(1, "Failed", null));

        assertThat(ShardStates.of(pods)).containsExactly(new ShardStatus("sf-5-a", "sf-5-a", State.STOPPED,
                List.of("n0", "n1"), "pods deleted (stopped)"));
    }

    @Test
    void podsAreGroupedByShardNameAndOrderedByRankWhateverTheListOrder() {
        Pod other = new PodBuilder(pod(0, "Pending", null)).editMetadata()
                .addToLabels(ShardPods.SHARD, "sf-6-a").addToAnnotations(ShardPods.SHARD_NAME, "sf-6-a")
                .addToAnnotations(ShardPods.PODS, "1").endMetadata().build();
        List<Pod> pods = List.of(pod(1, "Running", null), other, pod(0, "Running", null),
                new PodBuilder().withNewMetadata().withName("unrelated").endMetadata().build());

        assertThat(ShardStates.of(pods)).containsExactly(
                new ShardStatus("sf-5-a", "sf-5-a", State.RUNNING, List.of("n0", "n1"), ""),
                new ShardStatus("sf-6-a", "sf-6-a", State.PENDING, List.of("n0"), ""));
    }

    @Test
    void aNodeWithoutAReadyConditionIsDownAndSaysSo() {
        Node node = new NodeBuilder().withNewMetadata().withName("gpu-x").endMetadata()
                .withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity("8")).endStatus().build();

        assertThat(NodeHealth.of(List.of(node), "nvidia.com/gpu")).containsExactly(
                new dev.superfactory.agent.NodeStatus("gpu-x", 8, false, "no Ready condition"));
        assertThat(NodeHealth.of(List.of(node), "amd.com/gpu")).isEmpty();
    }

    @Test
    void labelValuesAndPodNamesAreMadeValidForAnyTenantOrSiteName() {
        assertThat(ShardPods.labelValue("Team A/ML")).isEqualTo("Team_A_ML");
        assertThat(ShardPods.labelValue("-x".repeat(40))).hasSizeLessThanOrEqualTo(63).startsWith("x").endsWith("x");
        assertThat(ShardPods.podName("sf-12-EU_West", 3)).isEqualTo("sf-12-eu-west-3");
    }

    private static Pod pod(int rank, String phase, String deletionTimestamp) {
        return new PodBuilder().withNewMetadata().withName("sf-5-a-" + rank).withDeletionTimestamp(deletionTimestamp)
                .withLabels(Map.of(ShardPods.SHARD, "sf-5-a", ShardPods.RANK, Integer.toString(rank)))
                .withAnnotations(Map.of(ShardPods.GO, "true", ShardPods.SHARD_NAME, "sf-5-a", ShardPods.PODS, "2"))
                .endMetadata()
                .withNewSpec().withNodeName("n" + rank).endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }
}
