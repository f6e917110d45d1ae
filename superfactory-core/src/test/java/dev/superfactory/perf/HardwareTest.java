package dev.superfactory.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.fleet.BlockGroup;
import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.fleet.Site;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardwareTest {
  private static final GpuCatalog GPUS = GpuCatalog.builtIn();

  @Test
  void defaultsFollowThePackagingOfEachGpu() {
    Hardware gb200 = Hardware.defaults(GPUS.get("gb200"));
    assertThat(gb200.domainGpus()).isEqualTo(72);
    assertThat(gb200.scaleOutBytesPerSecond()).isEqualTo(800e9 / 8);
    Hardware h100 = Hardware.defaults(GPUS.get("h100"));
    assertThat(h100.domainGpus()).isEqualTo(8);
    assertThat(h100.scaleOutBytesPerSecond()).isEqualTo(400e9 / 8);
    assertThat(Hardware.defaults(GPUS.get("b200")).scaleOutBytesPerSecond()).isEqualTo(800e9 / 8);
    assertThat(h100.scaleUpBytesPerSecondEachWay()).isEqualTo(450e9);
  }

  @Test
  void aFleetBlockGroupGivesItsGpuDomainAndScaleOut() {
    BlockGroup racks = new BlockGroup("east-gb300", GPUS.get("gb300"), 2, 16, 72, 140);
    Site site = new Site("east", "Ashburn", Double.NaN, Double.NaN, 800e9 / 8, 50, 1.2, 70, List.of(racks));
    Hardware hw = Hardware.of(site, racks);
    assertThat(hw.gpu().name()).isEqualTo("gb300");
    assertThat(hw.domainGpus()).isEqualTo(72);
    assertThat(hw.scaleOutBytesPerSecond()).isEqualTo(100e9);
    assertThat(hw.sites()).isEqualTo(1);
  }

  @Test
  void sitesNeedAWan() {
    Hardware hw = Hardware.defaults(GPUS.get("h100"));
    assertThatThrownBy(() -> hw.withSites(2, 0, 0.005)).hasMessage("2 sites need a WAN bandwidth > 0, got 0.0 B/s");
    Hardware two = hw.withSites(2, 1.25e12, 0.00565);
    assertThat(two.singleSite()).isEqualTo(hw);
  }
}
