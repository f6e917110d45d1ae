package dev.superfactory.workload.openb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.superfactory.fleet.BlockGroup;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.fleet.GpuModel;
import dev.superfactory.fleet.Site;
import dev.superfactory.input.InputException;
import dev.superfactory.input.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenbFleetTest {
  static final String HEADER = "sn,cpu_milli,memory_mib,gpu,model";

  @TempDir Path dir;

  private Path nodes(String... rows) throws Exception {
    Path f = dir.resolve("openb_node_list_test.csv");
    Files.writeString(f, HEADER + "\n" + String.join("\n", rows) + "\n");
    return f;
  }

  private static List<String> nodeRows(String prefix, int count, int gpus, String model) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(prefix + i + ",64000,262144," + gpus + "," + model);
    }
    return rows;
  }

  @Test
  void eachGpuNodeIsOneScaleUpDomainGroupedByModelAndGpuCountAndCpuOnlyNodesAreLeftOut() throws Exception {
    Path f = nodes(
        "n0,32000,262144,0,", "n1,64000,262144,2,P100", "n2,64000,262144,2,P100", "n3,32000,262144,0,nan",
        "n4,96000,393216,8,G2", "n5,96000,393216,4,T4", "n6,96000,393216,8,G2", "n7,8000,61440,1,P100");
    OpenbTrace.Cluster c = OpenbTrace.cluster(f, GpuCatalog.builtIn());
    Fleet fleet = c.fleet();
    assertThat(fleet.siteCount()).isEqualTo(1);
    assertThat(fleet.site(0).name()).isEqualTo("openb");
    // sorted by model, then GPUs per node
    assertThat(fleet.groups()).extracting(BlockGroup::name)
        .containsExactly("openb-g2-8gpu", "openb-p100-1gpu", "openb-p100-2gpu", "openb-t4-4gpu");
    assertThat(fleet.groups()).extracting(BlockGroup::domains).containsExactly(2L, 1L, 2L, 1L);
    assertThat(fleet.groups()).extracting(BlockGroup::gpusPerDomain).containsExactly(8, 1, 2, 4);
    assertThat(fleet.domainCount()).isEqualTo(6);
    assertThat(fleet.totalGpus()).isEqualTo(8 + 8 + 2 + 2 + 1 + 4);
    assertThat(c.rows()).isEqualTo(8);
    assertThat(c.gpuNodes()).isEqualTo(6);
    assertThat(c.gpus()).isEqualTo(25);
    assertThat(c.cpuOnlyNodes()).isEqualTo(2);
    assertThat(c.nodesByModel()).containsExactly(entry("G2", 2), entry("P100", 3), entry("T4", 1));
    assertThat(c.notes().get(0)).isEqualTo("8 nodes: 6 GPU nodes with 25 GPUs, 2 CPU-only nodes (gpu = 0) left out");
  }

  @Test
  void nodesOfOneKindAreCutIntoBlocksOf32AndAPartialBlock() throws Exception {
    Path f = nodes(nodeRows("t", 70, 2, "T4").toArray(String[]::new));
    Fleet fleet = OpenbTrace.fleet(f, GpuCatalog.builtIn());
    // 70 nodes = 2 blocks of 32 + 1 block of 6
    assertThat(fleet.groups()).extracting(BlockGroup::name).containsExactly("openb-t4-2gpu", "openb-t4-2gpu-partial");
    assertThat(fleet.groups()).extracting(BlockGroup::blocks).containsExactly(2, 1);
    assertThat(fleet.groups()).extracting(BlockGroup::domainsPerBlock).containsExactly(32, 6);
    assertThat(fleet.blockCount()).isEqualTo(3);
    assertThat(fleet.totalGpus()).isEqualTo(140);
  }

  @Test
  void nodePowerIsGpuTdpTimesGpusPlusHostPowerAndTheSiteFiguresAreTheStatedAssumptions() throws Exception {
    Fleet fleet = OpenbTrace.fleet(nodes("a,96000,393216,8,G2", "b,104000,524288,2,T4"), GpuCatalog.builtIn());
    // G2 node: 8 x 300 W + 500 W = 2.9 kW; T4 node: 2 x 70 W + 500 W = 0.64 kW
    assertThat(fleet.groups()).extracting(BlockGroup::domainPowerKw).containsExactly(2.9, 0.64);
    Site site = fleet.site(0);
    assertThat(site.itPowerMw()).isCloseTo(0.00354, within(1e-12));
    assertThat(site.powerCapacityMw()).isCloseTo(site.itPowerMw(), within(1e-12));
    assertThat(site.pue()).isEqualTo(1.3);
    assertThat(site.scaleOutBandwidthBytesPerSecond()).isEqualTo(25e9 / 8);
    assertThat(fleet.wanLinks()).isEmpty();
  }

  @Test
  void anUnknownGpuModelIsAnErrorOnItsLine() throws Exception {
    Path f = nodes("a,96000,393216,8,G2", "b,96000,393216,8,H800");
    assertThatThrownBy(() -> OpenbTrace.fleet(f, GpuCatalog.builtIn())).isInstanceOf(InputException.class)
        .hasMessageStartingWith(f + ":3: model: unknown GPU model 'H800'");
  }

  @Test
  void aGpuNodeWithoutAModelIsAnError() throws Exception {
    Path f = nodes("a,96000,393216,8,nan");
    assertThatThrownBy(() -> OpenbTrace.fleet(f, GpuCatalog.builtIn()))
        .hasMessage(f + ":2: model: is empty on a node with 8 GPUs; expected a GPU model");
  }

  @Test
  void aNodeNamedTwiceIsAnError() throws Exception {
    Path f = nodes("a,96000,393216,8,G2", "a,96000,393216,8,G2");
    assertThatThrownBy(() -> OpenbTrace.fleet(f, GpuCatalog.builtIn()))
        .hasMessage(f + ":3: sn: node 'a' also appears on line 2");
  }

  @Test
  void aNonNumericGpuCountAndAWrongHeaderAreErrors() throws Exception {
    Path f = nodes("a,96000,393216,eight,G2");
    assertThatThrownBy(() -> OpenbTrace.fleet(f, GpuCatalog.builtIn()))
        .hasMessage(f + ":2: gpu: must be a whole number (GPUs in the node; 0 on a CPU-only node), got 'eight'");
    Path g = dir.resolve("bad.csv");
    Files.writeString(g, "sn,cpu,memory_mib,gpu,model\n");
    assertThatThrownBy(() -> OpenbTrace.fleet(g, GpuCatalog.builtIn()))
        .hasMessageStartingWith(g + ":1: unknown column 'cpu'");
  }

  @Test
  void aNodeListWithoutGpuNodesIsAnError() throws Exception {
    Path f = nodes("a,32000,262144,0,", "b,32000,262144,0,");
    assertThatThrownBy(() -> OpenbTrace.fleet(f, GpuCatalog.builtIn()))
        .hasMessageStartingWith(f + ": no GPU nodes (all 2 nodes have gpu = 0)");
  }

  @Test
  void theCatalogAddsTheOpenbModelsWithTheirDatasheetFiguresAndKeepsTheBuiltIns() {
    GpuCatalog catalog = OpenbTrace.catalog(GpuCatalog.builtIn());
    GpuModel t4 = catalog.get("T4");
    assertThat(List.of(t4.bf16Tflops(), t4.hbmBytes(), t4.hbmBandwidthBytesPerSecond(),
        t4.scaleUpBandwidthBytesPerSecond(), t4.tdpWatts())).containsExactly(65.0, 16e9, 320e9, 32e9, 70.0);
    GpuModel v100 = catalog.get("V100M32");
    assertThat(List.of(v100.bf16Tflops(), v100.hbmBytes(), v100.hbmBandwidthBytesPerSecond(),
        v100.scaleUpBandwidthBytesPerSecond(), v100.tdpWatts())).containsExactly(125.0, 32e9, 900e9, 300e9, 300.0);
    GpuModel p100 = catalog.get("P100");
    assertThat(List.of(p100.bf16Tflops(), p100.hbmBandwidthBytesPerSecond(), p100.scaleUpBandwidthBytesPerSecond()))
        .containsExactly(21.2, 732e9, 160e9);
    GpuModel a10 = catalog.get("A10");
    assertThat(List.of(a10.bf16Tflops(), a10.hbmBytes(), a10.hbmBandwidthBytesPerSecond(), a10.tdpWatts()))
        .containsExactly(125.0, 24e9, 600e9, 150.0);
    for (String undisclosed : List.of("G1", "G2", "G3")) {
      assertThat(catalog.get(undisclosed).source()).startsWith("ASSUMPTION");
    }
    assertThat(catalog.get("h100").bf16Tflops()).isEqualTo(989);
  }

  @Test
  void aModelTheGivenCatalogAlreadyNamesIsNotReplaced() {
    GpuCatalog mine = GpuCatalog.builtIn().with(YamlDocuments.parse(
        "gpus:\n  - {name: T4, bf16Tflops: 60, hbmGB: 16, hbmBandwidth: 300GB/s, scaleUpBandwidth: 16GB/s, tdpWatts: 75}\n",
        "test.yaml").list("gpus"));
    assertThat(OpenbTrace.catalog(mine).get("t4").bf16Tflops()).isEqualTo(60);
    assertThat(OpenbTrace.catalog(mine).get("g2").bf16Tflops()).isEqualTo(125);
  }
}
