package dev.superfactory.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void bandwidthInBitsIsDividedByEight() {
    assertThat(Units.parseBandwidthBytesPerSecond("800Gbps")).isEqualTo(100e9);
    assertThat(Units.parseBandwidthBytesPerSecond("800 Gb/s")).isEqualTo(100e9);
    assertThat(Units.parseBandwidthBytesPerSecond("10Tbps")).isEqualTo(1.25e12);
  }

  @Test
  void bandwidthInBytesIsTakenAsIs() {
    assertThat(Units.parseBandwidthBytesPerSecond("1.8TB/s")).isEqualTo(1.8e12);
    assertThat(Units.parseBandwidthBytesPerSecond("400GB/s")).isEqualTo(400e9);
    assertThat(Units.parseBandwidthBytesPerSecond("5e9")).isEqualTo(5e9);
  }

  @Test
  void unknownBandwidthUnitSaysWhatIsAccepted() {
    assertThatThrownBy(() -> Units.parseBandwidthBytesPerSecond("800 furlongs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("furlongs")
        .hasMessageContaining("Gbps");
  }

  @Test
  void durationsInShortAndIsoForms() {
    assertThat(Units.parseDurationSeconds("30d")).isEqualTo(30 * 86400.0);
    assertThat(Units.parseDurationSeconds("6h")).isEqualTo(21600.0);
    assertThat(Units.parseDurationSeconds("15m")).isEqualTo(900.0);
    assertThat(Units.parseDurationSeconds("5.65ms")).isCloseTo(0.00565, within(1e-12));
    assertThat(Units.parseDurationSeconds("P30D")).isEqualTo(30 * 86400.0);
    assertThat(Units.parseDurationSeconds("PT6H")).isEqualTo(21600.0);
    assertThat(Units.parseDurationSeconds("1y")).isEqualTo(365 * 86400.0);
  }

  @Test
  void distancesAndPowers() {
    assertThat(Units.parseDistanceKm("1130km")).isEqualTo(1130.0);
    assertThat(Units.parseDistanceKm("700mi")).isCloseTo(1126.54, within(0.01));
    assertThat(Units.parsePowerMw("140kW")).isEqualTo(0.14);
    assertThat(Units.parsePowerMw("1.2GW")).isEqualTo(1200.0);
  }

  @Test
  void countsWithSuffixes() {
    assertThat(Units.parseCount("15T")).isEqualTo(15e12);
    assertThat(Units.parseCount("70B")).isEqualTo(70e9);
    assertThat(Units.parseCount("4k")).isEqualTo(4000.0);
  }

  @Test
  void nearestNameSuggestion() {
    assertThat(Suggest.nearest("gpuz", java.util.List.of("gpu", "count", "name"))).isEqualTo("gpu");
    assertThat(Suggest.nearest("domainsPerBlok", java.util.List.of("domainsPerBlock", "gpusPerDomain")))
        .isEqualTo("domainsPerBlock");
    assertThat(Suggest.nearest("zzzzzzzz", java.util.List.of("gpu", "count"))).isNull();
  }
}
