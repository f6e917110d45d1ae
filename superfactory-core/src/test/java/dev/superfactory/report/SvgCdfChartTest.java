package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SvgCdfChartTest {
  private static final double[] HOURS = {0, 1 / 60.0, 5 / 60.0, 0.25, 0.5, 1, 2, 4, 8, 12, 24, 48, 96, 168, 336, 720, 1440, 2160};

  @Test
  void zeroSitsOnTheLeftEdgeAndTheLogAxisStartsAfterAGap() {
    SvgCdfChart.WaitScale x = SvgCdfChart.WaitScale.of(HOURS, 100, 1100);
    assertThat(x.map(0)).isEqualTo(100);
    assertThat(x.map(1 / 60.0)).isCloseTo(160, within(1e-9)); // 6% of 1000 units of gap
    assertThat(x.map(2160)).isCloseTo(1100, within(1e-9));
    // 1 h: log10(60) / log10(2160 · 60) = 1.778 / 5.113 = 0.3478 of the remaining 940 units
    assertThat(x.map(1)).isCloseTo(160 + 0.3478 * 940, within(0.1));
  }

  @Test
  void theWaitAxisIsLabelledAtRoundTimes() {
    List<String> labels = SvgCdfChart.WaitScale.of(HOURS, 0, 1).ticks().stream().map(Ticks.Tick::label).toList();
    assertThat(labels).containsExactly("0", "1 min", "15 min", "1 h", "4 h", "1 d", "1 w", "30 d", "90 d");
    List<String> shortRange = SvgCdfChart.WaitScale.of(new double[] {0, 0.5, 30}, 0, 1).ticks().stream()
        .map(Ticks.Tick::label).toList();
    assertThat(shortRange).containsExactly("0", "1 h", "4 h", "1 d");
  }

  @Test
  void tooFewPositivePointsMakeNoChart() {
    assertThat(SvgCdfChart.drawable(new double[] {0, 1})).isFalse();
    assertThat(SvgCdfChart.drawable(new double[] {})).isFalse();
    assertThat(SvgCdfChart.drawable(new double[] {0, 1, 2})).isTrue();
    assertThatThrownBy(() -> SvgCdfChart.render(new HtmlWriter(), "x", new double[] {0}, List.of()))
        .hasMessageContaining("make no log axis");
  }

  @Test
  void theValueAxisZoomsInOnlyWhenEveryCurveStaysHigh() {
    Series high = new Series("a", "#000", new double[] {0.9227, 0.95, 1});
    Series missing = new Series("b", "#000", new double[] {Double.NaN, Double.NaN, Double.NaN});
    Series low = new Series("c", "#000", new double[] {0.3, 0.8, 1});
    // lowest 0.9227; 0.0773 over 5 intervals → step 0.02 → floor 0.92
    assertThat(SvgCdfChart.floor(List.of(high, missing))).isCloseTo(0.92, within(1e-12));
    assertThat(SvgCdfChart.floor(List.of(high, low))).isEqualTo(0);
    // all at 99.99%: still at least one percent of range
    assertThat(SvgCdfChart.floor(List.of(new Series("d", "#000", new double[] {0.9999, 1})))).isEqualTo(0.99);
  }

  @Test
  void eachPointSaysWhatItMeans() {
    HtmlWriter out = new HtmlWriter();
    SvgCdfChart.render(out, "waits", HOURS, List.of(new Series("A&B", "#123456", new double[] {0.97, 0.98})));
    String svg = out.finish();
    assertThat(svg).contains("<title>A&amp;B: 97.0% of jobs started without waiting</title>")
        .contains("<title>A&amp;B: 98.0% of jobs started within 1.0 min</title>");
    assertThat(HtmlReportTest.count(svg, "<circle")).isEqualTo(2);
  }
}
