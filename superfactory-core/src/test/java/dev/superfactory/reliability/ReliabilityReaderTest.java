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

  /** a100-research: 2.7883e-3 per GPU-day over Llama 3's 4.7359e-4 = ×5.888 on every per-GPU-day cause. */
  @Test
  void aProfileScalesThePerGpuCausesToItsRateAndKeepsThePerComponentOnes() {
    ReliabilitySpec spec = ReliabilityReader.read(YamlDocuments.parse("profile: a100-research\n", "r.yaml"));
    double perGpuDay = spec.causes().stream().mapToDouble(FailureCause::perGpuDay).sum();
    assertThat(perGpuDay).isCloseTo(2.7883e-3, within(1e-7));
    FailureCause gpu = spec.causes().get(0);
    assertThat(gpu.perGpuDay()).isCloseTo(190 / (54 * 16_384.0) * 5.888, within(1e-7));
    assertThat(gpu.source()).contains("to profile a100-research").contains("arXiv 2410.21680");
    FailureCause rack = spec.causes().stream().filter(c -> c.name().equals("rack")).findFirst().orElseThrow();
    assertThat(rack.mtbfHours()).isEqualTo(5 * 8760.0);
    assertThat(ReliabilityReader.read(YamlDocuments.parse("profile: h100-production\n", "r.yaml")).causes())
        .isEqualTo(ReliabilityReader.defaultCauses());
  }

  @Test
  void anUnknownProfileOrAProfileWithCausesIsOneLineNamingTheField() {
    assertThatThrownBy(() -> ReliabilityReader.read(YamlDocuments.parse("profile: a100-reserch\n", "r.yaml")))
        .hasMessage("r.yaml:1: profile: unknown value 'a100-reserch'; did you mean 'a100-research'? "
            + "(known: h100-production, a100-production, a100-research)");
    assertThatThrownBy(() -> ReliabilityReader.read(YamlDocuments.parse(
        "profile: a100-research\ncauses:\n  - {name: x, scope: job, perGpuDay: 1e-4}\n", "r.yaml")))
        .hasMessageContaining("r.yaml:1").hasMessageContaining("a failure profile or a list of causes, not both");
  }
}
