package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HoverBandsTest {
  @Test
  void aBandSummarisesTheFullSeriesByMeanOrPeakIgnoringMissingValues() {
    double[] v = {1, 5, Double.NaN, 3};
    assertThat(HoverBands.summarise(v, 0, 4, HoverBands.Summary.MEAN)).isEqualTo(3); // (1 + 5 + 3) / 3
    assertThat(HoverBands.summarise(v, 0, 4, HoverBands.Summary.PEAK)).isEqualTo(5);
    assertThat(HoverBands.summarise(v, 1, 4, HoverBands.Summary.LOW)).isEqualTo(3);
    assertThat(HoverBands.summarise(v, 2, 3, HoverBands.Summary.MEAN)).isNaN();
  }

  @Test
  void eachBandCoversItsShareOfTheWindowAndListsEverySeries() {
    // 4 hourly samples in a 4-hour window: 4 bands, one sample each; the plot spans 68 .. 972, 226 units a band
    double[] hours = {1, 2, 3, 4};
    Frame frame = Frame.timeChart(200);
    Scale x = frame.x(0, 4);
    HtmlWriter out = new HtmlWriter();
    HoverBands.write(out, frame, x, new TimeAxis(0, 4), hours,
        List.of(new Series("a", "#000", new double[] {0.1, 0.2, 0.3, 0.4}), new Series("b", "#000", new double[] {0.5, 0.5, 0.5, 0.5})),
        HoverBands.Summary.MEAN, Cells::percent, "Total");
    String svg = out.finish();
    assertThat(HtmlReportTest.count(svg, "<rect class=\"band\"")).isEqualTo(4);
    assertThat(svg).contains("<rect class=\"band\" x=\"294\" y=\"12\" width=\"226\"")
        .contains("<title>hour 2\na: 20.0%\nb: 50.0%\nTotal: 70.0%</title>");
  }
}
