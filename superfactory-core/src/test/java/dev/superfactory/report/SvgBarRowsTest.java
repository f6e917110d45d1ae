package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgBarRowsTest {
  private static final Pattern SEGMENT = Pattern.compile("<rect class=\"seg[^\"]*\" x=\"([-0-9.]+)\" y=\"[-0-9.]+\" width=\"([-0-9.]+)\"");
  private static final Pattern POINT = Pattern.compile("([-0-9.]+),([-0-9.]+)");

  @Test
  void segmentsTileTheirRowFromZeroToTheirSum() {
    // axis 0..10 over the plot 200 .. 900: 70 units each; 1/3 + 1/3 + 1/3 ends exactly at 1 → 270
    ValueAxis axis = new ValueAxis(0, 10, Ticks.within(0, 10, 5).plain(), "x", Cells::count);
    List<SvgBarRows.Segment> bar = List.of(seg(1 / 3.0), seg(Double.NaN), seg(1 / 3.0), seg(0), seg(1 / 3.0));
    String svg = render(axis, bar);
    Matcher m = SEGMENT.matcher(svg);
    double end = 200;
    int segments = 0;
    while (m.find()) {
      assertThat(Double.parseDouble(m.group(1))).isCloseTo(end, org.assertj.core.data.Offset.offset(1e-9));
      end = Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
      segments++;
    }
    assertThat(segments).isEqualTo(3);
    assertThat(end).isCloseTo(270, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aBarLongerThanTheAxisStopsAtItsEnd() {
    ValueAxis axis = new ValueAxis(0, 1, Ticks.within(0, 1, 5).percent(), "x", Cells::percent);
    String svg = render(axis, List.of(seg(1.5)));
    assertThat(svg).contains("<rect class=\"seg\" x=\"200\" y=\"12\" width=\"700\"");
  }

  @Test
  void hatchLinesStayInsideTheirRectangle() {
    String d = SvgBarRows.hatch(10, 20, 33, 12);
    Matcher m = POINT.matcher(d);
    int points = 0;
    while (m.find()) {
      assertThat(Double.parseDouble(m.group(1))).isBetween(10.0, 43.0);
      assertThat(Double.parseDouble(m.group(2))).isBetween(20.0, 32.0);
      points++;
    }
    // lines x + y = c for c = 35, 40, ..., 70 (c < 43 + 32 = 75): eight lines, two points each
    assertThat(points).isEqualTo(16);
    assertThat(d).startsWith("M10,25 15,20 M10,30 20,20 M13,32 25,20");
  }

  @Test
  void longLabelsAreCutWithAnEllipsis() {
    assertThat(SvgBarRows.fit("maintenance:firmware", 28)).isEqualTo("maintenance:firmware");
    assertThat(SvgBarRows.fit("abcdef", 4)).isEqualTo("abc…");
    assertThat(SvgBarRows.fit("a😀😀😀b", 3)).isEqualTo("a😀…");
  }

  @Test
  void textOnLightFillsIsDark() {
    assertThat(SvgShareBar.light("#b6c2d1")).isTrue();
    assertThat(SvgShareBar.light("#1e293b")).isFalse();
    assertThat(SvgShareBar.light("url(x)")).isFalse();
  }

  private static SvgBarRows.Segment seg(double value) {
    return new SvgBarRows.Segment(value, "#000", SvgBarRows.Fill.SOLID);
  }

  private static String render(ValueAxis axis, List<SvgBarRows.Segment> bar) {
    HtmlWriter out = new HtmlWriter();
    SvgBarRows.render(out, "bars", axis, List.of(new SvgBarRows.Row("row", null, List.of(bar), "note", "tip")), 200, 100);
    return out.finish();
  }
}
