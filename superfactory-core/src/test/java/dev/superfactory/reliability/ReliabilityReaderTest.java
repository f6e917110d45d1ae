package dev.superfactory.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.superfactory.input.YamlDocuments;
import dev.superfactory.scenario.Presets;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReliabilityReaderTest {
  @Test
  void defaultsAddUpToLlama3sUnexpectedInterruptions() {
    double perGpuDay = ReliabilityReader.defaultCauses().stream().mapToDouble(FailureCause::perGpuDay).sum();
    // 419 unexpected interruptions in 54 days on 16,384 GPUs
    assertThat(perGpuDay * 54 * 16_384).isCloseTo(419.0, within(1e-6));
  }

  @Test
  void theFairwaterPresetCitesTheSameRatesAsTheDefaults() {
    Map<String, Double> defaults = ReliabilityReader.defaultCauses().stream()
        .collect(Collectors.toMap(FailureCause::name, FailureCause::perGpuDay));
    ReliabilitySpec preset = Presets.load("fairwater").reliability();
    for (FailureCause c : preset.causes()) {
      if (c.perGpuDay() > 0) {
        assertThat(c.perGpuDay()).as(c.name()).isCloseTo(defaults.get(c.name()), within(defaults.get(c.name()) * 1e-3));
      }
    }
    assertThat(preset.causes()).hasSameSizeAs(ReliabilityReader.defaultCauses());
  }

  @Test
  void aCauseNeedsExactlyOneRateAndARepairUnlessSoftware() {
    assertThatThrownBy(() -> ReliabilityReader.read(YamlDocuments.parse(
        "causes:\n  - {name: x, scope: host, perGpuDay: 1e-4, mtbf: 5y, repair: {median: 1h}}\n", "r.yaml")))
        .hasMessageContaining("r.yaml:2").hasMessageContaining("exactly one of perGpuDay");
    assertThatThrownBy(() -> ReliabilityReader.read(YamlDocuments.parse(
        "causes:\n  - {name: x, scope: rack, mtbf: 5y}\n", "r.yaml")))
        .hasMessageContaining("unknown value 'rack'").hasMessageContaining("domain");
    assertThatThrownBy(() -> ReliabilityReader.read(YamlDocuments.parse(
        "causes:\n  - {name: x, scope: job, perGpuDay: 1e-4, repair: {median: 1h}}\n", "r.yaml")))
        .hasMessageContaining("software faults (scope job) are not repaired");
  }
}
