package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgTimelineTest {
  private static final Pattern SEGMENT = Pattern.compile("class=\"(waiting|running)\" x=\"([-0-9.]+)\" y=\"[-0-9.]+\" width=\"([-0-9.]+)\"");
  private static final TimeAxis WINDOW = new TimeAxis(0, 100);
  private static final Palette SITES = Palette.assign(List.of("a", "b"), Palette.SITE_COLORS);

  @Test
  void aJobFromTheWarmUpStillRunningAtTheEndIsClippedToTheWindowAndMarkedBothSides() {
    // plot from x = 230 to 972: 7.42 units an hour. Waits -10 h .. 5 h → 230 .. 267.1; runs 5 h .. end → 267.1 .. 972
    String svg = render(bar(-10, 5, Double.NaN, Map.of("a", 64)));
    assertThat(segments(svg)).containsExactly("waiting 230 37.1", "running 267.1 704.9");
    assertThat(HtmlReportTest.count(svg, "class=\"clip-arrow\"")).isEqualTo(2);
    assertThat(svg).contains("still running at the end").contains("submitted day -0.4 (before the window)");
  }

  @Test
  void aJobThatRanInsideTheWindowHasNoMarkers() {
    // waits 10 .. 20 h → 304.2 .. 378.4; runs 20 .. 50 h → 378.4 .. 601
    String svg = render(bar(10, 20, 50, Map.of("b", 8)));
    assertThat(segments(svg)).containsExactly("waiting 304.2 74.2", "running 378.4 222.6");
    assertThat(svg).doesNotContain("clip-arrow").contains("ran 30.0 h, ended day 2.1");
  }

  @Test
  void waitingThatEndedBeforeTheWindowIsNotDrawn() {
    String svg = render(bar(-30, -20, 10, Map.of("a", 8)));
    assertThat(segments(svg)).containsExactly("running 230 74.2");
  }

  @Test
  void aCrossSiteJobIsLabelledWithEachSiteInItsColor() {
    Map<String, Integer> sites = new LinkedHashMap<>();
    sites.put("a", 40);
    sites.put("b", 24);
    String svg = render(bar(0, 0, 10, sites));
    assertThat(svg).contains("class=\"row-label cross\"")
        .contains("64 GPUs · <tspan fill=\"" + SITES.color("a") + "\">a</tspan> + <tspan fill=\"" + SITES.color("b") + "\">b</tspan>")
        .contains("64 GPUs on a 40, b 24");
  }

  private static SvgTimeline.Bar bar(double submit, double start, double end, Map<String, Integer> sites) {
    int gpus = sites.values().stream().mapToInt(Integer::intValue).sum();
    return new SvgTimeline.Bar("j1", "Tenant", "#4e79a7", gpus, submit, start, end, sites);
  }

  private static String render(SvgTimeline.Bar bar) {
    HtmlWriter out = new HtmlWriter();
    SvgTimeline.render(out, "jobs", WINDOW, List.of(bar), SITES);
    return out.finish();
  }

  private static List<String> segments(String svg) {
    List<String> found = new ArrayList<>();
    Matcher m = SEGMENT.matcher(svg);
    while (m.find()) {
      found.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
    }
    return found;
  }
}
