package dev.superfactory.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.input.InputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeMapTest {

    private static final String MAP = """
            site: wisconsin
            nodes:
              - {node: wisconsin-big, domain: 0, gpus: 8}
            ranges:
              - {nodes: "wisconsin-n[01-08]", gpusPerNode: 4, firstDomain: 1, gpusPerDomain: 16}
            """;

    @Test
    void aRangeIsFilledIntoConsecutiveDomainsInOrder() {
        NodeMap map = NodeMap.parse(MAP, "map.yaml");
        assertThat(map.site()).isEqualTo("wisconsin");
        assertThat(map.nodes()).hasSize(9);
        assertThat(map.nodes().get(1)).isEqualTo(new NodeMap.Node("wisconsin-n01", 1, 4));
        assertThat(map.nodes().get(4)).isEqualTo(new NodeMap.Node("wisconsin-n04", 1, 4));
        assertThat(map.nodes().get(5)).isEqualTo(new NodeMap.Node("wisconsin-n05", 2, 4));
        assertThat(List.of(map.gpusIn(0), map.gpusIn(1), map.gpusIn(2), map.gpusIn(3))).containsExactly(8, 16, 16, 0);
    }

    @Test
    void wholeFreeNodesFirstThenTheRemainderOnTheNodeThatFitsItBest() {
        NodeMap map = NodeMap.parse(MAP, "map.yaml");
        // domain 1: n01 busy, n02 has 2 free (2 used), n03 and n04 free. 10 GPUs: n03 + n04 whole (8), 2 on n02.
        NodeMap.Pick pick = map.pick(List.<int[]>of(new int[] {1, 10}), Map.of("wisconsin-n01", 0, "wisconsin-n02", 2));
        assertThat(pick.ok()).isTrue();
        assertThat(pick.nodes()).containsExactly(new ShardLaunch.NodeGpus("wisconsin-n03", 4),
                new ShardLaunch.NodeGpus("wisconsin-n04", 4), new ShardLaunch.NodeGpus("wisconsin-n02", 2));
    }

    @Test
    void aDomainWithoutEnoughFreeGpusIsAFailureNamingItNeverAnotherDomainsNodes() {
        NodeMap map = NodeMap.parse(MAP, "map.yaml");
        NodeMap.Pick pick = map.pick(List.<int[]>of(new int[] {2, 16}), Map.of("wisconsin-n07", 0));
        assertThat(pick.ok()).isFalse();
        assertThat(pick.failure()).isEqualTo("domain 2 needs 16 GPUs but its nodes up and free hold 12 "
                + "(nodes [wisconsin-n05, wisconsin-n06, wisconsin-n07, wisconsin-n08])");
        assertThat(map.pick(List.<int[]>of(new int[] {7, 1}), Map.of()).failure())
                .isEqualTo("domain 7 has no nodes in the node map of site wisconsin");
    }

    @Test
    void rangesTakeExactlyTheNodesHoldingThoseGpusEvenWhenOthersAreFree() {
        NodeMap map = NodeMap.parse(MAP, "map.yaml");
        // domain 1 is n01..n04 at offsets 0, 4, 8, 12: GPUs [6, 14) are 2 on n02, 4 on n03, 2 on n04
        NodeMap.Pick pick = map.pickParts(List.of(new NodeMap.Part(1, 8, List.<int[]>of(new int[] {6, 8})),
                new NodeMap.Part(0, 3, List.<int[]>of(new int[] {0, 1}, new int[] {5, 2}))), Map.of());
        assertThat(pick.failure()).isNull();
        assertThat(pick.nodes()).containsExactly(new ShardLaunch.NodeGpus("wisconsin-n02", 2),
                new ShardLaunch.NodeGpus("wisconsin-n03", 4), new ShardLaunch.NodeGpus("wisconsin-n04", 2),
                new ShardLaunch.NodeGpus("wisconsin-big", 3));
    }

    @Test
    void rangesOnANodeDownOrPastTheMappedGpusAreAFailureNamingTheNode() {
        NodeMap map = NodeMap.parse(MAP, "map.yaml");
        assertThat(map.pickParts(List.of(new NodeMap.Part(1, 4, List.<int[]>of(new int[] {4, 4}))),
                Map.of("wisconsin-n02", 0)).failure()).isEqualTo("node wisconsin-n02 (GPUs [4, 8) of domain 1) must give "
                + "the placement 4 GPUs but has 0 free (down, or held by another shard)");
        assertThat(map.pickParts(List.of(new NodeMap.Part(1, 4, List.<int[]>of(new int[] {14, 4}))), Map.of()).failure())
                .isEqualTo("domain 1's GPUs [14, 18) are not all in the node map of site wisconsin (it maps 16 GPUs of that domain)");
        assertThat(map.pickParts(List.of(new NodeMap.Part(1, 5, List.<int[]>of(new int[] {0, 4}))), Map.of()).failure())
                .isEqualTo("domain 1: the placement's ranges cover 4 GPUs, not its 5");
    }

    @Test
    void errorsNameTheFileLineAndField() {
        assertThatThrownBy(() -> NodeMap.parse("site: w\nnodes:\n  - {node: a, domain: 0, gpus: 8}\n  - {node: a, domain: 1, gpus: 8}\n", "m.yaml"))
                .isInstanceOf(InputException.class).hasMessageStartingWith("m.yaml:4").hasMessageContaining("node 'a' is mapped twice");
        assertThatThrownBy(() -> NodeMap.parse("site: w\nnodes:\n  - {node: a, domain: 0, gpus: 0}\n", "m.yaml"))
                .hasMessageStartingWith("m.yaml:3").hasMessageContaining("gpus").hasMessageContaining("must be a positive whole number");
        assertThatThrownBy(() -> NodeMap.parse("site: w\nranges:\n  - {nodes: \"n1-4\", gpusPerNode: 4, firstDomain: 0}\n", "m.yaml"))
                .hasMessageStartingWith("m.yaml:3").hasMessageContaining("expected a node range like");
        assertThatThrownBy(() -> NodeMap.parse("site: w\nranges:\n  - {nodes: \"n[1-4]\", gpusPerNode: 4, firstDomain: 0, gpusPerDomain: 6}\n", "m.yaml"))
                .hasMessageContaining("gpusPerDomain").hasMessageContaining("must be a multiple of gpusPerNode (4), got 6");
        assertThatThrownBy(() -> NodeMap.parse("site: w\nnodes:\n  - {node: a, gpus: 8}\n", "m.yaml"))
                .hasMessageContaining("domain").hasMessageContaining("missing");
        assertThatThrownBy(() -> NodeMap.parse("site: w\n", "m.yaml")).hasMessageContaining("the map has no nodes");
    }
}
