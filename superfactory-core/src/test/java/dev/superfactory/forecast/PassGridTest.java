package dev.superfactory.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The pass grid's ticks, worked by hand. */
class PassGridTest {
  /**
   * From t = 0 with a 100 s shortest step and 10% growth: steps of 100 s while 10% of the lead is
   * less (ticks 0, 100, ..., 1000), then floor(0.1 × lead): 1100, 1210, 1331, 1464, 1610.
   */
  @Test
  void theStepGrowsWithTheLeadTime() {
    PassGrid g = new PassGrid(0, 100, 0.1);
    assertThat(g.atOrAfter(0)).isZero();
    assertThat(g.atOrAfter(950)).isEqualTo(1_000);
    assertThat(g.atOrAfter(1_001)).isEqualTo(1_100);
    assertThat(g.atOrAfter(1_101)).isEqualTo(1_210);
    assertThat(g.atOrAfter(1_500)).isEqualTo(1_610);
    assertThat(g.atOrAfter(1_610)).isEqualTo(1_610);
    assertThat(1_610L - 1_500).as("late by less than the step before the tick").isLessThanOrEqualTo(g.stepAfter(1_464));
  }

  /** A tick is never more than max(min step, resolution × lead) after the time asked for. */
  @Test
  void aTickIsLateByAtMostTheStepBound() {
    PassGrid g = new PassGrid(1_000, 60, 0.02);
    for (long t = 1_000; t < 1_000 + 7 * 86_400L; t += 997) {
      long tick = g.atOrAfter(t);
      assertThat(tick - t).as("t = %d", t).isBetween(0L, Math.max(60, (long) (0.02 * (t - 1_000))));
    }
    assertThat(g.atOrAfter(1_000 + 7 * 86_400L)).as("the last tick of a week").isGreaterThan(1_000 + 7 * 86_400L - 12_100);
  }

  /** About 320 ticks in a week at 60 s and 2%: 50 in the first 50 minutes, ≈ ln(604800 / 3000) / ln(1.02) after. */
  @Test
  void aWeekTakesAFewHundredTicks() {
    PassGrid g = new PassGrid(0, 60, 0.02);
    int ticks = 0;
    for (long t = 1; g.atOrAfter(t) < 7 * 86_400L; t = g.atOrAfter(t) + 1) {
      ticks++;
    }
    assertThat(ticks).isBetween(300, 340);
  }

  @Test
  void withoutGrowthTheGridIsFixedAndWithoutAStepEveryEventIsATick() {
    PassGrid fixed = new PassGrid(10, 60, 0);
    assertThat(fixed.atOrAfter(100)).isEqualTo(130);
    assertThat(fixed.atOrAfter(130)).isEqualTo(130);
    assertThat(fixed.atOrAfter(1_000_000)).isEqualTo(10 + 16_666 * 60L + 60);
    PassGrid none = new PassGrid(10, 0, 0);
    assertThat(none.atOrAfter(17)).isEqualTo(17);
    assertThat(none.atOrAfter(18)).isEqualTo(18);
  }

  @Test
  void aResolutionOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> new PassGrid(0, 60, 1)).hasMessageContaining("resolution=1.0");
    assertThatThrownBy(() -> new PassGrid(0, -1, 0)).hasMessageContaining("minStepSeconds=-1");
  }
}
