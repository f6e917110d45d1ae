package dev.superfactory.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FleetTest {
  @Test
  void topologyIsNumberedDenselyInSiteGroupBlockOrder() {
    Fleet f = Fleets.mixed();
    assertThat(f.totalGpus()).isEqualTo(2 * 3 * 8 + 2 * 72 + 3 * 2 * 8);
    assertThat(f.blockCount()).isEqualTo(2 + 1 + 3);
    assertThat(f.domainCount()).isEqualTo(6 + 2 + 6);
    // domain 6 is the first NVL72 rack of group b on site 0, right after group a's 6 domains
    assertThat(f.domainGroup(6)).isEqualTo(1);
    assertThat(f.domainSize(6)).isEqualTo(72);
    assertThat(f.domainFirstGpu(6)).isEqualTo(48);
    assertThat(f.domainBlock(6)).isEqualTo(2);
    assertThat(f.domainSite(8)).isEqualTo(1);
    assertThat(f.domainFirstGpu(8)).isEqualTo(48 + 144);
    assertThat(f.blockFirstDomain(3)).isEqualTo(8);
    assertThat(f.siteGpus(0)).isEqualTo(48 + 144);
    assertThat(f.siteGpus(1)).isEqualTo(48);
  }

  @Test
  void gpuDomainInvertsDomainFirstGpu() {
    Fleet f = Fleets.mixed();
    for (int d = 0; d < f.domainCount(); d++) {
      int first = f.domainFirstGpu(d);
      assertThat(f.gpuDomain(first)).isEqualTo(d);
      assertThat(f.gpuDomain(first + f.domainSize(d) - 1)).isEqualTo(d);
    }
  }

  @Test
  void wanRoutesGoThroughIntermediateSitesWithBottleneckBandwidth() {
    GpuModel h100 = GpuCatalog.builtIn().get("h100");
    List<Site> sites = List.of(site("a", h100), site("b", h100), site("c", h100));
    Fleet f = new Fleet(sites, List.of(
        WanLink.ofDistance("a", "b", 100, 5e12), WanLink.ofDistance("b", "c", 200, 1e12)));
    Fleet.WanRoute ac = f.wanRoute(0, 2);
    assertThat(ac.hops()).isEqualTo(2);
    assertThat(ac.distanceKm()).isEqualTo(300.0);
    assertThat(ac.latencySeconds()).isCloseTo(300 * 5e-6, within(1e-12));
    assertThat(ac.bandwidthBytesPerSecond()).isEqualTo(1e12);
    assertThat(f.wanRoute(0, 0)).isNull();
  }

  @Test
  void wanLinkToUnknownSiteIsRejectedProgrammatically() {
    GpuModel h100 = GpuCatalog.builtIn().get("h100");
    assertThatThrownBy(() -> new Fleet(List.of(site("a", h100)), List.of(WanLink.ofDistance("a", "z", 1, 1))))
        .hasMessageContaining("unknown site");
  }

  @Test
  void peakFlopsAndPowerAddUp() {
    Fleet f = Fleets.uniform(2, 4, 72);
    assertThat(f.peakFlops(false)).isEqualTo(2 * 4 * 72 * 2500e12);
    assertThat(f.itPowerMw()).isCloseTo(2 * 4 * 10 / 1000.0, within(1e-12));
  }

  @Test
  void aMillionGpuFleetNeedsNoObjectPerGpu() {
    // 13,889 NVL72 racks; all topology lives in a few int arrays
    Fleet f = Fleets.uniform(435, 32, 72);
    assertThat(f.totalGpus()).isEqualTo(435 * 32 * 72).isGreaterThan(1_000_000);
    FleetState state = new FleetState(f);
    assertThat(state.freeGpus()).isEqualTo(f.totalGpus());
    assertThat(f.footprintBytes() + state.footprintBytes()).isLessThan(2_000_000L);
    state.checkInvariants();
  }

  @Test
  void aMillionGpusInEightGpuServersStayWellUnderTenMegabytes() {
    Fleet f = Fleets.uniform(3907, 32, 8); // 125,024 servers
    FleetState state = new FleetState(f);
    assertThat(f.totalGpus()).isGreaterThan(1_000_000);
    assertThat(f.footprintBytes() + state.footprintBytes()).isLessThan(10_000_000L);
  }

  private static Site site(String name, GpuModel gpu) {
    return new Site(name, name, Double.NaN, Double.NaN, 50e9, 10, 1.2, 80,
        List.of(new BlockGroup(name + "-g", gpu, 1, 2, 8, 10)));
  }
}
