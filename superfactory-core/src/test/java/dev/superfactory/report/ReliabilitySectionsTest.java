package dev.superfactory.report;

import static dev.superfactory.report.HtmlReportTest.assertBalanced;
import static dev.superfactory.report.HtmlReportTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReliabilitySectionsTest {
  private static final List<String> IDS = List.of("reliability", "failures", "gpu-hours", "large-job-goodput");
  private static final Pattern DAY = Pattern.compile("<rect class=\"slot\"[^>]*><title>days (\\d+)–\\d+: (\\d+) failure events");
  private static final Pattern LAYER = Pattern.compile("<path class=\"bar\" d=\"([^\"]*)\" fill=\"([^\"]+)\"/>");
  private static final Pattern COLUMN = Pattern.compile("M([-0-9.]+),([-0-9.]+)h([-0-9.]+)v([-0-9.]+)h-\\3Z");
  private static final Pattern ROW_LABEL = Pattern.compile("<text class=\"row-label\" x=\"16\" y=\"[-0-9.]+\" dy=\"0.32em\">([^<]*)</text>");

  @Test
  void theReliabilitySectionsAppearOnlyWhenTheResultHasReliability() {
    String without = Results.render(Results.month());
    String with = Results.render(Results.withFailures(Results.month()));
    for (String id : IDS) {
      assertThat(without).doesNotContain("<section id=\"" + id + "\">").doesNotContain("href=\"#" + id + "\"");
      assertThat(with).contains("<section id=\"" + id + "\">").contains("href=\"#" + id + "\"");
    }
    assertThat(without).doesNotContain("<th>Goodput</th>");
    assertThat(with).contains("<th>Completion p50</th><th>Goodput</th>");
  }

  @Test
  void aRunWithoutFailuresGetsOneLineAndNoReliabilityChartsOrColumns() {
    ObjectNode r = Results.withFailures(Results.month());
    ((ObjectNode) r.get("reliability")).put("enabled", false);
    String html = Results.render(r);
    assertThat(section(html, "reliability"))
        .isEqualTo("<h2>Reliability</h2><p class=\"lede\">Failures were not simulated in this run, so no job was interrupted.</p>");
    assertThat(html).doesNotContain("<section id=\"failures\">").doesNotContain("<section id=\"gpu-hours\">")
        .doesNotContain("<section id=\"large-job-goodput\">").doesNotContain("<th>Goodput</th>");
    assertThat(count(html, "<svg")).isEqualTo(count(Results.render(Results.month()), "<svg"));
  }

  @Test
  void eachReliabilityChartIsOneSvg() {
    String html = Results.render(Results.withFailures(Results.month()));
    assertThat(count(section(html, "reliability"), "<svg")).isZero();
    assertThat(count(section(html, "failures"), "<figure class=\"chart\"><svg")).isEqualTo(2);
    assertThat(count(section(html, "gpu-hours"), "<figure class=\"chart\"><svg")).isEqualTo(2);
    assertThat(count(section(html, "large-job-goodput"), "<figure class=\"chart\"><svg")).isEqualTo(1);
    assertThat(count(html, "<svg")).isEqualTo(count(html, "</svg>")).isEqualTo(11);
  }

  @Test
  void aPartWithoutDataIsLeftOutAndTheRestIsDrawn() {
    ObjectNode r = Results.withFailures(Results.month());
    ObjectNode rel = (ObjectNode) r.get("reliability");
    rel.remove("timeline");
    rel.remove("gpuHours");
    String html = Results.render(r);
    assertThat(section(html, "failures")).doesNotContain("<h3>Failure events per day</h3>").contains("<h3>Fleet in service</h3>");
    assertThat(count(section(html, "failures"), "<svg")).isEqualTo(1);
    assertThat(section(html, "gpu-hours")).doesNotContain("Allocated GPU-hours by use").contains("<h3>Lost GPU-hours by cause</h3>");
    assertThat(count(section(html, "gpu-hours"), "<svg")).isEqualTo(1);

    ((ObjectNode) r.get("timeseries")).remove("healthy");
    rel.remove("largeJobs");
    html = Results.render(r);
    assertThat(section(html, "failures")).contains("No failure timeline or in-service samples").doesNotContain("<svg");
    assertThat(section(html, "large-job-goodput")).contains("No jobs ran in the window.").doesNotContain("<svg");
    assertBalanced(html);
  }

  @Test
  void theHeadlineCardsShowTheResultsNumbers() {
    String html = section(Results.render(Results.withFailures(Results.month())), "reliability");
    // 109 failure events in 30 days: 3.6 a day; healthy 99.8% with 98.7% every 100th hour
    assertThat(html)
        .contains(card("Interruptions", "76", "2.5 a day"))
        .contains(card("Per 1,000 GPUs", "0.007", "interruptions a day"))
        .contains(card("Failure events", "109", "3.6 a day"))
        .contains(card("Goodput", "91.0%", "useful ÷ allocated GPU-hours"))
        .contains(card("Fleet in service", "99.50%", "time average; lowest 98.70%"));
  }

  @Test
  void eachDaysColumnStacksItsCausesUpToTheDaysTotal() {
    String html = section(Results.render(Results.withFailures(Results.month())), "failures");
    // The busiest day has 7 events (day 10: gpu 3, maintenance 4), so the axis runs 0..8 over the plot's
    // 186 units (y = 198 at zero, 12 at the top): 23.25 units an event. Layers are paths of one rectangle
    // a day, in the causes' order; every day has a gpu event, so the gpu path has all 30 columns.
    List<Map<Double, double[]>> layers = new ArrayList<>();
    Matcher layer = LAYER.matcher(html);
    while (layer.find()) {
      assertThat(layer.group(2)).isEqualTo(Palette.CAUSE_COLORS.get(layers.size()));
      layers.add(columns(layer.group(1)));
    }
    assertThat(layers).hasSize(3);
    List<Double> lefts = new ArrayList<>(layers.get(0).keySet());
    Matcher day = DAY.matcher(html);
    int days = 0;
    while (day.find()) {
      int d = Integer.parseInt(day.group(1));
      int total = Integer.parseInt(day.group(2));
      assertThat(d).isEqualTo(days);
      assertThat(total).as("day %d", d).isEqualTo(Results.events(0, d) + Results.events(1, d) + Results.events(2, d));
      double top = 198;
      for (int c = 0; c < layers.size(); c++) {
        double[] column = layers.get(c).get(lefts.get(d));
        assertThat(column != null).as("day %d cause %d", d, c).isEqualTo(Results.events(c, d) > 0);
        if (column != null) {
          assertThat(column[0] + column[1]).as("day %d stacks", d).isCloseTo(top, org.assertj.core.data.Offset.offset(1e-9));
          top = column[0];
        }
      }
      assertThat(198 - top).as("day %d", d).isCloseTo(total * 23.25, org.assertj.core.data.Offset.offset(0.051));
      days++;
    }
    assertThat(days).isEqualTo(30);
    assertThat(layers.get(0)).hasSize(30);
    assertThat(html).contains("<title>days 10–11: 7 failure events\ngpu: 3\nmaintenance:firmware: 4</title>");
  }

  @Test
  void stackingAddsEachLayerOnTheOnesBelowAndCountsMissingAsZero() {
    double[][] tops = SvgDailyBars.stack(List.of(new Series("a", "#000", new double[] {1, 2, Double.NaN}),
        new Series("b", "#000", new double[] {3, Double.NaN})), 3);
    assertThat(tops[0]).containsExactly(1, 2, 0);
    assertThat(tops[1]).containsExactly(4, 2, 0);
  }

  @Test
  void aCauseKeepsItsColorInTheTimelineTheBarsAndTheTable() {
    String html = Results.render(Results.withFailures(Results.month()));
    for (int c = 0; c < Results.CAUSES.size(); c++) {
      String color = Palette.CAUSE_COLORS.get(c);
      String cause = Results.CAUSES.get(c);
      assertThat(section(html, "failures")).contains("style=\"background:" + color + "\"></span>" + cause + "<span")
          .contains("<path class=\"bar\" d=\"M").contains("\" fill=\"" + color + "\"/>");
      assertThat(section(html, "gpu-hours")).contains("rx=\"2\" fill=\"" + color + "\"/><text class=\"row-label\" x=\"16\"")
          .contains("style=\"background:" + color + "\"></span>" + cause + "</td>");
    }
  }

  @Test
  void allocatedGpuHoursAreSplitIntoSharesThatFillTheBar() {
    String html = section(Results.render(Results.withFailures(Results.month())), "gpu-hours");
    // 100,000 GPU-hours over 1,000 units: 91,000 useful → 910, 2,000 checkpoint → 20, 1,100 lost work → 11,
    // 2,600 restart → 26, 3,300 detection → 33; WAN stalls 0 take no room
    assertThat(html).contains("allocated to jobs in the window (100.0k)")
        .contains("useful work<span class=\"note\">91.0% · 91.0k</span>")
        .contains("lost work since the last checkpoint<span class=\"note\">1.1% · 1,100</span>")
        .contains("WAN stalls<span class=\"note\">0.0% · 0</span>")
        .contains("<title>useful work: 91.0k GPU-hours (91.0%)</title><rect x=\"0\" y=\"4\" width=\"910\"")
        .contains("<title>checkpoint writes: 2,000 GPU-hours (2.0%)</title><rect x=\"910\" y=\"4\" width=\"20\"")
        .contains("<title>failure detection: 3,300 GPU-hours (3.3%)</title><rect x=\"967\" y=\"4\" width=\"33\"")
        .doesNotContain("WAN stalls: 0 GPU-hours");
  }

  @Test
  void lostGpuHoursAreSortedByCostAndWaitingInTheQueueIsHatched() {
    ObjectNode r = Results.withFailures(Results.month());
    String html = section(Results.render(r), "gpu-hours");
    assertThat(rowLabels(html)).containsExactly("gpu", "host", "maintenance:firmware");
    // gpu: 1,000 + 2,000 + 3,000 allocated and 500 waiting; host 600; maintenance 400 of restarts
    assertThat(html).contains(">6,000 + 500 waiting</text>").contains(">600</text>").contains(">400</text>")
        .contains("Hatched: demand not served while interrupted jobs waited in the queue to restart;");
    assertThat(count(html, "class=\"seg hatched\"")).isEqualTo(1);
    assertThat(count(html, "class=\"seg\"")).isEqualTo(3 + 3 + 1);
    assertThat(html).contains("<tr class=\"total\"><td>All causes</td><td>109</td><td>76</td><td>7,000</td><td>500</td></tr>")
        .contains("maintenance:firmware</td><td>4</td><td>6</td><td>400</td><td>0</td>");

    ((ObjectNode) r.get("reliability").get("lostGpuHoursByCause").get("host")).put("waitingAfterInterruption", 6000.0);
    assertThat(rowLabels(section(Results.render(r), "gpu-hours"))).containsExactly("host", "gpu", "maintenance:firmware");
  }

  @Test
  void theLargestJobsShowGoodputAndTrainingTimeInTheirTenantsColor() {
    String html = section(Results.render(Results.withFailures(Results.month())), "large-job-goodput");
    String microsoft = Palette.TENANT_COLORS.get(1);
    assertThat(rowLabels(html)).containsExactly("98,304 GPUs · job 31291", "65,536 GPUs · job 26726", "2,048 GPUs · job 30911");
    // the plot runs from 230 to 710: goodput 80% → 384 units, ratio 75% → 360
    assertThat(html).contains("<rect class=\"seg\" x=\"230\" y=\"").contains("width=\"384\" height=\"8\" fill=\"" + microsoft + "\"/>")
        .contains("<rect class=\"seg light\" x=\"230\" y=\"").contains("width=\"360\" height=\"8\" fill=\"" + microsoft + "\"/>")
        .contains(">80.0% · 75.0% · 12 interruptions</text>")
        .contains(">90.0% · 90.0% · 1 interruption · running</text>")
        .contains(">97.0% · 97.0% · 0 interruptions</text>")
        .contains("<title>Job 26726 · OPENAI\n65,536 GPUs · 1 interruption\ngoodput 90.0% · effective training time"
            + " ratio 90.0%\nstill running at the end</title>");
  }

  @Test
  void theTenantsTableHasEachTenantsGoodputFromEitherPlace() {
    ObjectNode r = Results.withFailures(Results.month());
    ((ObjectNode) r.get("tenants").get(1)).remove("goodput");
    ((ObjectNode) r.get("reliability").get("goodputByTenant")).put("microsoft-ai", 0.5);
    String html = section(Results.render(r), "tenants");
    assertThat(html).contains("<td>40.3 h</td><td>30.9 min</td><td>95.0%</td></tr>")
        .contains("<td>40.3 h</td><td>30.9 min</td><td>50.0%</td></tr>")
        .contains("goodput is the share of the tenant&#39;s allocated GPU-hours that did useful work");
  }

  @Test
  void theInServiceAxisStartsBelowTheLowestSampleAndSaysSo() {
    String html = section(Results.render(Results.withFailures(Results.month())), "failures");
    assertThat(html).contains("The y axis starts at 98.5%, not at zero").contains(">98.5%</text>").contains(">100.0%</text>")
        .contains("<title>day 4 to 4.3 (lowest)\nIn service: 98.70%</title>").contains("in service<span class=\"note\">99.50% time average</span>");
    // the lowest sample 98.875%: ticks of 0.5 points, the first at or below it is 98.5%
    assertThat(ReliabilitySections.inServiceFloor(new double[] {0.99, 0.98875, 1})).isCloseTo(0.985, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(ReliabilitySections.inServiceFloor(new double[] {1, 1})).isEqualTo(0.99);
    assertThat(ReliabilitySections.inServiceFloor(new double[] {0.3, 1})).isZero();
    assertThat(ReliabilitySections.inServiceFloor(new double[] {Double.NaN})).isZero();
  }

  @Test
  void nullsAndMissingFieldsReadAsDashes() {
    ObjectNode r = Results.withFailures(Results.month());
    ObjectNode rel = (ObjectNode) r.get("reliability");
    rel.putNull("goodput").putNull("interruptionsPerDay").remove("healthyFraction");
    ((ObjectNode) rel.get("largeJobs").get(0)).putNull("goodput").remove("effectiveTrainingTimeRatio");
    ((ObjectNode) rel.get("lostGpuHoursByCause")).putObject("host").putNull("lostWork");
    ((ObjectNode) rel.get("failureEventsByCause")).putNull("host");
    ((ObjectNode) rel.get("gpuHours")).putNull("checkpoint");
    ((ObjectNode) r.get("tenants").get(0)).putNull("goodput");
    ((ObjectNode) rel.get("goodputByTenant")).putNull("openai");
    String html = Results.render(r);
    assertThat(section(html, "reliability")).contains(card("Interruptions", "76", "– a day"))
        .contains(card("Goodput", "–", "useful ÷ allocated GPU-hours"))
        .contains(card("Fleet in service", "99.79%", "time average; lowest 98.70%")); // 0.998 − 7 × 0.011 / 720
    assertThat(section(html, "large-job-goodput")).contains(">– · – · 12 interruptions</text>");
    assertThat(section(html, "gpu-hours")).contains("host</td><td>–</td><td>10</td><td>–</td><td>–</td>")
        .contains("checkpoint writes<span class=\"note\">– · –</span>");
    assertThat(section(html, "tenants")).contains("<td>–</td></tr>");
    assertThat(html).doesNotContain("NaN").doesNotContain("Infinity");
    assertBalanced(html);
  }

  @Test
  void hostileCauseAndJobNamesAreEscaped() {
    String evil = "<script>alert('x')</script>\"&";
    ObjectNode r = Results.withFailures(Results.month());
    ObjectNode rel = (ObjectNode) r.get("reliability");
    for (String map : List.of("interruptionsByCause", "failureEventsByCause", "lostGpuHoursByCause")) {
      rename((ObjectNode) rel.get(map), "gpu", evil);
    }
    rename((ObjectNode) rel.get("timeline").get("byCause"), "gpu", evil);
    ((ObjectNode) rel.get("largeJobs").get(0)).put("id", evil).put("tenant", evil);
    rename((ObjectNode) rel.get("goodputByTenant"), "openai", evil);
    String html = Results.render(r);
    String escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;";
    assertThat(html).doesNotContain("<script>alert").doesNotContain("'x'");
    assertThat(count(section(html, "failures"), escaped)).isGreaterThanOrEqualTo(2); // legend and tooltips
    assertThat(count(section(html, "gpu-hours"), escaped)).isGreaterThanOrEqualTo(2); // tooltip, table
    assertThat(section(html, "gpu-hours")).contains(">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;…</text>"); // cut to 28 characters
    assertThat(section(html, "large-job-goodput")).contains("Job " + escaped);
    assertThat(count(html, "<script")).isEqualTo(1);
    assertBalanced(html);
  }

  @Test
  void theSameJsonGivesTheSameBytes() {
    assertThat(Results.render(Results.withFailures(Results.month())))
        .isEqualTo(Results.render(Results.withFailures(Results.month())));
    assertThat(Results.render(Results.withFailures(Results.year())))
        .isEqualTo(Results.render(Results.withFailures(Results.year())));
  }

  @Test
  void aYearWithFailuresStaysAModestPage() {
    String html = Results.render(Results.withFailures(Results.year()));
    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(2_000_000);
    assertThat(count(section(html, "failures"), "<rect class=\"slot\"")).isEqualTo(365);
    Matcher line = Pattern.compile("<path class=\"line normal\" d=\"([^\"]*)\" stroke=\"" + Palette.TOTAL + "\"")
        .matcher(section(html, "failures"));
    assertThat(line.find()).isTrue();
    assertThat(count(line.group(1), ",")).isBetween(2, SvgLineChart.MAX_POINTS);
  }

  private static String card(String label, String value, String sub) {
    return "<div class=\"label\">" + label + "</div><div class=\"value\">" + value + "</div><div class=\"sub\">"
        + HtmlWriter.escape(sub) + "</div>";
  }

  /** The inside of {@code <section id="id">}; fails when the section is missing. */
  static String section(String html, String id) {
    Matcher m = Pattern.compile("<section id=\"" + Pattern.quote(id) + "\">(.*?)</section>", Pattern.DOTALL).matcher(html);
    assertThat(m.find()).as("section %s", id).isTrue();
    return m.group(1);
  }

  /** The rectangles of a layer's path by their left edge: top and height. */
  private static Map<Double, double[]> columns(String path) {
    Map<Double, double[]> columns = new java.util.TreeMap<>();
    Matcher m = COLUMN.matcher(path);
    while (m.find()) {
      columns.put(Double.parseDouble(m.group(1)), new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(4))});
    }
    assertThat(m.reset().replaceAll("").trim()).as("path %s is only rectangles", path).isEmpty();
    return columns;
  }

  private static List<String> rowLabels(String html) {
    List<String> labels = new ArrayList<>();
    Matcher m = ROW_LABEL.matcher(html);
    while (m.find()) {
      labels.add(m.group(1));
    }
    return labels;
  }

  /** Moves {@code from}'s value to the end under {@code to}. */
  private static void rename(ObjectNode object, String from, String to) {
    JsonNode value = object.remove(from);
    object.set(to, value);
  }
}
