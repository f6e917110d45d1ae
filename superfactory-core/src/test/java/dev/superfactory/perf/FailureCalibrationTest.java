package dev.superfactory.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.superfactory.input.InputException;
import org.junit.jupiter.api.Test;

class FailureCalibrationTest {
  @Test
  void everyPublishedFigureIsWithinItsStatedToleranceOfItsProfile() {
    for (FailureObservation o : FailureCalibration.observations()) {
      double rate = FailureProfiles.get(o.profile()).unexpectedPerGpuDay();
      assertThat(o.withinTolerance(rate))
          .as("%s: model %.4g against published [%s, %s], error %.1f%%, tolerance %.0f%%", o.study(),
              o.predicted(rate), o.publishedLow(), o.publishedHigh(), 100 * o.relativeError(rate), 100 * o.tolerance())
          .isTrue();
    }
  }

  /** The rates used before profiles existed (Llama 3, H100) miss every A100 research-cluster figure by far. */
  @Test
  void theH100EraRatesMissTheA100ResearchClusterFigures() {
    double h100 = FailureProfiles.get(FailureProfiles.H100_PRODUCTION).unexpectedPerGpuDay();
    long checked = FailureCalibration.observations().stream()
        .filter(o -> o.profile().equals(FailureProfiles.A100_RESEARCH))
        .peek(o -> assertThat(Math.abs(o.relativeError(h100))).as(o.study()).isGreaterThan(0.5))
        .count();
    assertThat(checked).isEqualTo(3);
  }

  /**
   * RSC-1 (Kokolis et al., Fig. 7): 8 GPUs, 47.7 days: 1/(47.7 × 8) = 2.6205e-3 per GPU-day; 1,024
   * GPUs, 7.9 h: 24/(7.9 × 1,024) = 2.9668e-3. Geometric mean √(2.6205e-3 × 2.9668e-3) = 2.7883e-3,
   * so a 1,024-GPU job fails every 24/(2.7883e-3 × 1,024) = 8.41 h and an 8-GPU one every 44.8 days;
   * 5.89 times Llama 3's 419/(54 × 16,384) = 4.7359e-4.
   */
  @Test
  void theA100ResearchRateIsTheGeometricMeanOfRsc1sTwoMeasuredPoints() {
    FailureProfile p = FailureProfiles.get(FailureProfiles.A100_RESEARCH);
    assertThat(p.unexpectedPerGpuDay()).isCloseTo(2.7883e-3, within(1e-7));
    assertThat(p.mttfHours(1024)).isCloseTo(8.41, within(0.01));
    assertThat(p.mttfHours(8) / 24).isCloseTo(44.8, within(0.05));
    double h100 = FailureProfiles.get(FailureProfiles.H100_PRODUCTION).unexpectedPerGpuDay();
    assertThat(p.unexpectedPerGpuDay() / h100).isCloseTo(5.89, within(0.01));
  }

  /** BLOOM: 1.5 a week on 384 GPUs = 1.5/(384 × 7) = 5.580e-4 per GPU-day; 1.18 times Llama 3's rate. */
  @Test
  void theA100ProductionRateIsBloomsMidRange() {
    assertThat(FailureProfiles.get(FailureProfiles.A100_PRODUCTION).unexpectedPerGpuDay())
        .isCloseTo(5.580e-4, within(1e-7));
  }

  /** rate = a + b·GPUs through (8, 2.0964e-2/day) and (1,024, 3.0380/day): b = 2.9695e-3, a = −2.79e-3 ≤ 0. */
  @Test
  void rsc1sPointsGiveNoSizeIndependentPerJobTerm() {
    FailureObservation small = FailureCalibration.observations().get(1);
    FailureObservation large = FailureCalibration.observations().get(2);
    double perJobSmall = small.impliedPerGpuDay() * small.gpus();
    double perJobLarge = large.impliedPerGpuDay() * large.gpus();
    double b = (perJobLarge - perJobSmall) / (large.gpus() - small.gpus());
    assertThat(perJobSmall - b * small.gpus()).isCloseTo(-2.79e-3, within(1e-5));
  }

  @Test
  void aRangeCountsAsExactInsideAndAsDistanceToItsNearestEndOutside() {
    FailureObservation o = new FailureObservation("x", "y", "A100", 100, FailureObservation.Kind.FAILURES, 10,
        10, 20, FailureProfiles.H100_PRODUCTION, false, 0.1);
    assertThat(o.relativeError(0.015)).isZero();
    assertThat(o.relativeError(0.005)).isCloseTo(-0.5, within(1e-12));
    assertThat(o.relativeError(0.03)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void gpusMapToTheirGenerationsProfileAndNewerOnesSayTheyAssume() {
    assertThat(FailureProfiles.forGpu("a100").profile().name()).isEqualTo("a100-research");
    assertThat(FailureProfiles.forGpu("h100").profile().name()).isEqualTo("h100-production");
    FailureProfiles.Choice gb200 = FailureProfiles.forGpu("gb200");
    assertThat(gb200.profile().name()).isEqualTo("h100-production");
    assertThat(gb200.reason()).startsWith("ASSUMPTION");
  }

  @Test
  void anUnknownProfileIsOneLineListingTheKnownOnes() {
    assertThatThrownBy(() -> FailureProfiles.get("v100-research"))
        .isInstanceOf(InputException.class)
        .hasMessage("unknown failure profile 'v100-research' (known: h100-production, a100-production, a100-research)");
  }
}
