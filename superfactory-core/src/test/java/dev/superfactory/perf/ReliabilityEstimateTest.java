package dev.superfactory.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReliabilityEstimateTest {
  /** C = 60 s, MTBF = 3 h = 10,800 s: τ = √(2 · 60 · 10,800) = √1,296,000 = 1,138.42 s. */
  @Test
  void youngsIntervalIsTheSquareRootOfTwiceCheckpointTimeTimesMtbf() {
    assertThat(ReliabilityEstimate.youngIntervalSeconds(60, 10_800)).isCloseTo(1138.42, within(0.01));
  }

  @Test
  void llama3sRunReproducesItsInterruptionCounts() {
    ReliabilityEstimate r = ReliabilityEstimate.of(ModelCatalog.get("llama3-405b"), 16_384, 54);
    assertThat(r.expectedUnexpectedInterruptions()).isCloseTo(419, within(1e-9));
    assertThat(r.expectedInterruptions()).isCloseTo(466, within(1e-9));
    assertThat(r.mtbfHours()).isCloseTo(54 * 24 / 419.0, within(1e-9));
    // Llama 3 reports "higher than 90% effective training time".
    assertThat(r.effectiveTrainingTimeRatio()).isBetween(0.90, 0.95);
  }

  /**
   * 405B, 16,384 GPUs: checkpoint 405.85e9 × 14 B = 5.68 TB at 2 TB/s: C = 2.841 s; MTBF 11,136 s;
   * τ = √(2 · 2.841 · 11,136) = 251.5 s; ratio = 251.5/254.3 × (1 − (127.2 + 600)/11,136
   * − 600 · 47/419 / 11,136) = 0.9889 × (1 − 0.0653 − 0.0060) = 0.9184.
   */
  @Test
  void checkpointIntervalAndEffectiveTimeMatchTheHandCount() {
    ReliabilityEstimate r = ReliabilityEstimate.of(ModelCatalog.get("llama3-405b"), 16_384, 54);
    assertThat(r.checkpointWriteSeconds()).isCloseTo(2.841, within(0.001));
    assertThat(r.checkpointIntervalSeconds()).isCloseTo(251.5, within(0.1));
    assertThat(r.effectiveTrainingTimeRatio()).isCloseTo(0.9184, within(0.0005));
  }

  @Test
  void interruptionsScaleWithTheGpuCount() {
    ModelSpec m = ModelCatalog.get("llama3-70b");
    ReliabilityEstimate small = ReliabilityEstimate.of(m, 1024, 30);
    ReliabilityEstimate big = ReliabilityEstimate.of(m, 8192, 30);
    assertThat(big.interruptionsPerDay()).isCloseTo(8 * small.interruptionsPerDay(), within(1e-9));
    assertThat(big.checkpointIntervalSeconds()).isLessThan(small.checkpointIntervalSeconds());
    assertThat(big.effectiveTrainingTimeRatio()).isLessThan(small.effectiveTrainingTimeRatio());
  }

  @Test
  void theLlama3CountsAreThoseOfTable5() {
    FailureRates rates = FailureRates.llama3();
    assertThat(rates.unexpectedCount()).isEqualTo(419);
    assertThat(rates.planned()).isEqualTo(47);
    assertThat(rates.causes()).hasSize(18);
    assertThat(rates.causes().get(0).count()).isEqualTo(148);
  }
}
