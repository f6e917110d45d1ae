package dev.superfactory.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SweepChartsTest {
  @Test
  void labelsThatFitArePrintedAsTheyAre() {
    // 3 labels of 5 characters (36 px each) 60 px apart: 36 + 6 ≤ 60
    assertThat(SweepCharts.xLabels(List.of("1Tbps", "2Tbps", "3Tbps"), new double[] {0, 60, 120}, true))
        .containsExactly("1Tbps", "2Tbps", "3Tbps");
  }

  @Test
  void longNumbersAreCutToThreeSignificantDigitsWhenThatMakesThemFit() {
    // "3.16228Tbps" is 11 × 7.2 = 79.2 px: next to "10Tbps" (43.2 px) it needs 61.2 + 6 px, 57 px is too little;
    // "3.16Tbps" (57.6 px) needs 50.4 + 6 = 56.4 px next to "10Tbps": fits at 57, not at 50
    List<String> wan = List.of("1Tbps", "3.16228Tbps", "10Tbps");
    assertThat(SweepCharts.xLabels(wan, new double[] {0, 57, 114}, true)).containsExactly("1Tbps", "3.16Tbps", "10Tbps");
    // at 50 px apart the middle one goes: the first and the last stay
    assertThat(SweepCharts.xLabels(wan, new double[] {0, 50, 100}, true)).containsExactly("1Tbps", null, "10Tbps");
    // a text axis is never cut
    assertThat(SweepCharts.xLabels(wan, new double[] {0, 57, 114}, false)).containsExactly("1Tbps", null, "10Tbps");
  }

  @Test
  void everyKthLabelIsPrintedAndTheOneBeforeTheLastGoesWhenItCollides() {
    // 6 labels of 5 characters (36 px) 30 px apart: every 2nd (60 px apart ≥ 42) fits; the 4th (index 4) is 30 px
    // from the last, so it goes
    List<String> six = List.of("aaaaa", "bbbbb", "ccccc", "ddddd", "eeeee", "fffff");
    assertThat(SweepCharts.xLabels(six, new double[] {0, 30, 60, 90, 120, 150}, false))
        .containsExactly("aaaaa", null, "ccccc", null, null, "fffff");
  }

  @Test
  void shorteningKeepsPrefixAndUnitAndLeavesOtherLabelsAlone() {
    assertThat(SweepCharts.shorten("3.16228Tbps")).isEqualTo("3.16Tbps");
    assertThat(SweepCharts.shorten("316.228Tbps")).isEqualTo("316Tbps");
    assertThat(SweepCharts.shorten("1000Tbps")).isEqualTo("1000Tbps");
    assertThat(SweepCharts.shorten("x0.66667")).isEqualTo("x0.667");
    assertThat(SweepCharts.shorten("fifo-backfill")).isEqualTo("fifo-backfill");
  }

  @Test
  void eachUnitHasItsPossibleRange() {
    assertThat(SweepUnits.possible("fraction")).containsExactly(0, 1);
    assertThat(SweepUnits.possible("hours")).containsExactly(0, Double.POSITIVE_INFINITY);
    assertThat(SweepUnits.possible("index")).containsExactly(0, Double.POSITIVE_INFINITY);
    assertThat(SweepUnits.possible("USD")).containsExactly(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
  }
}
