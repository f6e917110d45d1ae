package dev.superfactory.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.superfactory.sweep.SweepResult.AxisInfo;
import dev.superfactory.sweep.SweepResult.Cell;
import dev.superfactory.sweep.SweepResult.Stat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SweepPageTest {
  private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)\\b[^>]*?(/?)>");
  private static final Pattern ATTR = Pattern.compile("([a-zA-Z-]+)=\"([^\"]*)\"");
  private static final Pattern ROW = Pattern.compile("(?s)<tr data-cell=\"(\\d+)\"( class=\"best\")?>(.*?)</tr>");
  private static final Pattern TD = Pattern.compile("(?s)<td([^>]*)>(.*?)</td>");
  private static final Outputs.Output UTIL = new Outputs.Output("util", "GPU utilization", "fraction", true);
  private static final Outputs.Output WAIT = new Outputs.Output("gpu-wait-p95", "p95 wait per GPU", "hours", false);
  private static final Outputs.Output REVENUE = new Outputs.Output("revenue", "Revenue", "USD", true);
  private static final Outputs.Output COMPLETED = new Outputs.Output("completed", "Jobs completed", "jobs", true);
  private static final Outputs.Output PAYBACK = new Outputs.Output("payback", "Payback", "years", false);
  private static final Outputs.Output GOODPUT = new Outputs.Output("goodput", "Goodput", "fraction", true);

  @Test
  void oneNumericAxisGivesARowPerCellWithItsValuesAndOneLinePerChartAndNoHeatMap() {
    AxisInfo load = new AxisInfo("load", true, 0, List.of("0.5", "0.7", "0.9"));
    List<Cell> cells = List.of(
        cell(0, Map.of("load", "0.5"), 1, Map.of("util", one(0.853), "gpu-wait-p95", one(1.234),
            "revenue", one(1.23e9), "completed", one(12345))),
        cell(1, Map.of("load", "0.7"), 1, Map.of("util", one(0.9), "gpu-wait-p95", one(2.5),
            "revenue", one(3.4e8), "completed", one(20000))),
        cell(2, Map.of("load", "0.9"), 1, Map.of("util", one(0.95), "gpu-wait-p95", one(7.891),
            "revenue", one(-5e6), "completed", one(1234.5))));
    String html = SweepPage.render(result(List.of(load), List.of(1L), List.of(UTIL, WAIT, REVENUE, COMPLETED), null,
        cells));

    List<Row> rows = rows(html);
    assertThat(rows).extracting(Row::cell).containsExactly(0, 1, 2);
    assertThat(rows).noneMatch(Row::best);
    assertThat(rows.get(0).text("util")).isEqualTo("85.3%");
    assertThat(rows.get(0).text("gpu-wait-p95")).isEqualTo("1.23 h");
    assertThat(rows.get(0).text("revenue")).isEqualTo("$1.2B");
    assertThat(rows.get(1).text("revenue")).isEqualTo("$340M");
    assertThat(rows.get(2).text("revenue")).isEqualTo("-$5.0M");
    assertThat(rows.get(0).text("completed")).isEqualTo("12,345");
    assertThat(rows.get(2).text("completed")).isEqualTo("1,234.5");
    assertThat(rows.get(2).value("gpu-wait-p95")).isEqualTo(7.891);
    assertThat(rows.get(1).axis("load")).isEqualTo("0.7");
    // every cell of a row names its cell; the output cells their output
    for (Row r : rows) {
      assertThat(r.tds()).allMatch(td -> td.get("data-cell").equals(Integer.toString(r.cell())));
      assertThat(r.tds().stream().filter(td -> td.containsKey("data-output")).map(td -> td.get("data-output")))
          .containsExactly("util", "gpu-wait-p95", "revenue", "completed");
    }
    assertThat(html).doesNotContain("class=\"heat\"").doesNotContain("id=\"heat-maps\"");
    List<String> charts = charts(html);
    assertThat(charts).hasSize(4);
    for (String c : charts) {
      assertThat(count(c, "<path class=\"line\"")).isEqualTo(1);
      assertThat(c).contains("data-xscale=\"linear\"").doesNotContain("class=\"ci\"").doesNotContain("ul class=\"legend\"");
    }
    assertThat(html).doesNotContain("id=\"objective\"");
    assertSelfContained(html);
    assertBalanced(html);
  }

  @Test
  void twoAxesWithSeedsGiveALinePerCategoryWithCiBandsAndAHeatMapOfTheMeans() {
    String html = SweepPage.render(loadByPolicy(null, false));

    List<Row> rows = rows(html);
    assertThat(rows).extracting(Row::cell).containsExactly(0, 1, 2, 3);
    assertThat(rows.get(3).axis("policy")).isEqualTo("fair");
    assertThat(rows.get(3).text("util")).isEqualTo("80.0%±1.50%");
    assertThat(rows.get(3).value("util")).isEqualTo(0.8);
    assertThat(rows.get(0).text("gpu-wait-p95")).isEqualTo("1.00 h±0.10 h");

    // load is numeric: a line per policy and a CI band per line; policy is a category: dots and whiskers
    String byLoad = chart(html, "util", "load");
    assertThat(count(byLoad, "<path class=\"line\"")).isEqualTo(2);
    assertThat(byLoad).contains("data-series=\"fifo\"").contains("data-series=\"fair\"");
    assertThat(count(byLoad, "<polygon class=\"ci\"")).isEqualTo(2);
    // the legend: the axis once as its title, then its values
    assertThat(byLoad).contains("<span class=\"legend-title\">policy:</span>");
    assertThat(legendEntries(byLoad)).containsExactly("fifo", "fair");
    String byPolicy = chart(html, "util", "policy");
    assertThat(byPolicy).contains("data-xscale=\"category\"").doesNotContain("<path class=\"line\"");
    assertThat(count(byPolicy, "<line class=\"ci\"")).isEqualTo(4);
    assertThat(html).contains("<a href=\"#charts-util\">GPU utilization</a>").contains("<a href=\"#heat-maps\">");
    assertThat(count(byPolicy, "<circle class=\"dot\"")).isEqualTo(4);
    assertThat(charts(html)).hasSize(4); // two outputs × two axes

    Map<String, Map<String, String>> heat = heat(html, "util");
    assertThat(heat).hasSize(4);
    assertThat(heat.get("0.5|fifo").get("data-v")).isEqualTo("0.6");
    assertThat(heat.get("0.9|fair").get("data-v")).isEqualTo("0.8");
    assertThat(heat.get("0.9|fair").get("text")).isEqualTo("80.0%");
    assertThat(heat(html, "gpu-wait-p95").get("0.5|fair").get("text")).isEqualTo("2.00 h");
    assertSelfContained(html);
    assertBalanced(html);
  }

  @Test
  void heatMapColoursTheBetterEndDarkWhicheverWayTheOutputGoes() {
    String html = SweepPage.render(loadByPolicy(null, false));
    // util (higher is better) is highest at 0.9/fair; the wait (lower is better) is lowest at 0.5/fifo
    assertThat(heat(html, "util").get("0.9|fair").get("style")).startsWith("background:" + SweepHeatMap.color(1));
    assertThat(heat(html, "util").get("0.5|fifo").get("style")).startsWith("background:" + SweepHeatMap.color(0));
    assertThat(heat(html, "gpu-wait-p95").get("0.5|fifo").get("style")).startsWith("background:" + SweepHeatMap.color(1));
    assertThat(SweepHeatMap.color(0)).isEqualTo("#ffffcc");
    assertThat(SweepHeatMap.color(1)).isEqualTo("#253494");
  }

  @Test
  void aWideAxisIsDrawnOnALogScaleWithEvenlySpacedDecades() {
    AxisInfo bw = new AxisInfo("fleet.wan[0].bandwidth", true, 0, List.of("1Tbps", "10Tbps", "100Tbps", "1000Tbps"));
    AxisInfo narrow = new AxisInfo("load", true, 1, List.of("1", "2", "3", "50"));
    assertThat(SweepCharts.logScale(bw)).isTrue();
    assertThat(SweepCharts.logScale(narrow)).isFalse();
    assertThat(SweepCharts.logScale(new AxisInfo("x", true, 0, List.of("0", "1", "1000")))).isFalse();
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      cells.add(cell(i, Map.of("fleet.wan[0].bandwidth", bw.values().get(i)), 1, Map.of("util", one(0.5 + i / 10.0))));
    }
    String html = SweepPage.render(result(List.of(bw), List.of(1L), List.of(UTIL), null, cells));
    String chart = chart(html, "util", "fleet.wan[0].bandwidth");
    assertThat(chart).contains("data-xscale=\"log\"").contains("fleet.wan[0].bandwidth (log scale)");
    double[] xs = pathXs(chart);
    assertThat(xs).hasSize(4);
    assertThat(xs[2] - xs[1]).isCloseTo(xs[1] - xs[0], within(0.2));
    assertThat(xs[3] - xs[2]).isCloseTo(xs[1] - xs[0], within(0.2));

    List<Cell> linear = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      linear.add(cell(i, Map.of("load", narrow.values().get(i)), 1, Map.of("util", one(0.5))));
    }
    String flat = chart(SweepPage.render(result(List.of(narrow), List.of(1L), List.of(UTIL), null, linear)), "util",
        "load");
    double[] lx = pathXs(flat);
    assertThat(flat).contains("data-xscale=\"linear\"");
    // 1, 2, 3, 50 on a linear scale: the last gap is 47 times the first
    assertThat((lx[3] - lx[2]) / (lx[1] - lx[0])).isCloseTo(47, within(0.5));
  }

  @Test
  void theObjectiveMarksTheBestRowAndCellsAndShowsFeasibilityAndRank() {
    String html = SweepPage.render(loadByPolicy("minimize gpu-wait-p95 where util >= 0.65", true));

    assertThat(html).contains("Best: minimize gpu-wait-p95 where util &gt;= 0.65 → cell 1 with axes load = 0.5, "
        + "policy = fair (3 of 4 cells feasible).");
    List<Row> rows = rows(html);
    assertThat(rows).filteredOn(Row::best).extracting(Row::cell).containsExactly(1);
    assertThat(rows.get(0).text("feasible")).isEqualTo("no");
    assertThat(rows.get(0).text("rank")).isEqualTo("–");
    assertThat(rows.get(0).tds().get(rows.get(0).tds().size() - 1).get("data-v")).isEmpty();
    assertThat(rows.get(1).text("feasible")).isEqualTo("yes");
    assertThat(rows.get(1).text("rank")).isEqualTo("1");
    assertThat(rows.get(3).text("rank")).isEqualTo("3");
    assertThat(html).contains("<th scope=\"col\" data-type=\"num\">rank</th>");
    // one ring per chart: the best cell appears once in each
    for (String c : charts(html)) {
      assertThat(count(c, "class=\"best-ring\"")).isEqualTo(1);
    }
    assertThat(heat(html, "util").get("0.5|fair").get("class")).isEqualTo("best");
    assertThat(heat(html, "util").values()).filteredOn(td -> "best".equals(td.get("class"))).hasSize(1);
  }

  @Test
  void anObjectiveNoCellMeetsSaysSo() {
    SweepResult r = loadByPolicy("minimize gpu-wait-p95 where util >= 0.99", false);
    List<Cell> infeasible = r.cells().stream().map(c -> new Cell(c.index(), c.axes(), c.runs(), c.outputs(), false,
        null, false, c.points())).toList();
    String html = SweepPage.render(result(r.axes(), r.seeds(), r.outputs(), r.objective(), infeasible));
    assertThat(html).contains("No feasible point for minimize gpu-wait-p95 where util &gt;= 0.99 (0 of 4 cells feasible).");
    assertThat(rows(html)).noneMatch(Row::best);
    assertThat(html).doesNotContain("class=\"best-ring\"").doesNotContain("class=\"best\"");
  }

  @Test
  void anOutputMissingEverywhereHasDashesInTheTableAndNoChartOrHeatMap() {
    SweepResult base = loadByPolicy(null, false);
    List<Cell> cells = new ArrayList<>();
    for (Cell c : base.cells()) {
      Map<String, Stat> outputs = new LinkedHashMap<>(c.outputs());
      outputs.put("goodput", new Stat(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0));
      cells.add(new Cell(c.index(), c.axes(), c.runs(), outputs, null, null, false, c.points()));
    }
    List<Outputs.Output> outputs = List.of(UTIL, WAIT, GOODPUT);
    String html = SweepPage.render(result(base.axes(), base.seeds(), outputs, null, cells));
    for (Row r : rows(html)) {
      assertThat(r.text("goodput")).isEqualTo("–");
      assertThat(r.td("goodput").get("data-v")).isEmpty();
    }
    assertThat(charts(html)).hasSize(4).noneMatch(c -> c.contains("data-output=\"goodput\""));
    assertThat(html).doesNotContain("id=\"charts-goodput\"").doesNotContain("<table class=\"heat\" data-output=\"goodput\"");
    assertThat(html).contains("<table class=\"heat\" data-output=\"util\"");
  }

  @Test
  void threeAxesAverageTheThirdAndSayWhere() {
    AxisInfo load = new AxisInfo("load", true, 0, List.of("0.5", "0.9"));
    AxisInfo policy = new AxisInfo("policy", false, 1, List.of("fifo"));
    AxisInfo horizon = new AxisInfo("horizon", true, 2, List.of("10", "20"));
    List<Cell> cells = new ArrayList<>();
    int i = 0;
    for (String l : load.values()) {
      for (String h : horizon.values()) {
        double u = Double.parseDouble(l) / 2 + Double.parseDouble(h) / 100; // 0.35, 0.45 | 0.55, 0.65
        cells.add(cell(i++, Map.of("load", l, "policy", "fifo", "horizon", h), 3, Map.of("util", ci(u, 0.01))));
      }
    }
    String html = SweepPage.render(result(List.of(load, policy, horizon), List.of(1L, 2L, 3L), List.of(UTIL), null,
        cells));
    String byLoad = chart(html, "util", "load");
    assertThat(byLoad).contains("Each point averages the cell means over horizon (no CI band for an average).")
        .doesNotContain("class=\"ci\"");
    // (0.35 + 0.45) / 2 at load 0.5, (0.55 + 0.65) / 2 at 0.9
    assertThat(byLoad).contains("GPU utilization: 40.0%").contains("GPU utilization: 60.0%");
    assertThat(Double.parseDouble(heat(html, "util").get("0.9|fifo").get("data-v"))).isCloseTo(0.6, within(1e-12));
  }

  @Test
  void aZippedPartnerIsNeverTheSecondAxis() {
    // blocks and sites move together (zip 0); policy varies on its own (zip 1): lines and heat map use policy
    AxisInfo blocks = new AxisInfo("blocks", true, 0, List.of("18", "36"));
    AxisInfo sites = new AxisInfo("sites", true, 0, List.of("1", "2"));
    AxisInfo policy = new AxisInfo("policy", false, 1, List.of("fifo", "fair", "las"));
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      cells.add(cell(i, Map.of("blocks", blocks.values().get(i / 3), "sites", sites.values().get(i / 3),
          "policy", policy.values().get(i % 3)), 1, Map.of("util", one(0.5 + i / 20.0))));
    }
    String html = SweepPage.render(result(List.of(blocks, sites, policy), List.of(1L), List.of(UTIL), null, cells));
    String byBlocks = chart(html, "util", "blocks");
    assertThat(count(byBlocks, "<path class=\"line\"")).isEqualTo(3);
    assertThat(byBlocks).contains("data-series=\"las\"").doesNotContain("averages");
    Map<String, Map<String, String>> heat = heat(html, "util");
    assertThat(heat.keySet()).containsExactly("18|fifo", "18|fair", "18|las", "36|fifo", "36|fair", "36|las");
    assertThat(heat.get("36|las").get("data-v")).isEqualTo("0.75");
    // all axes in one zip group: nothing varies independently, so no heat map and one line per chart
    List<Cell> zipped = cells.subList(0, 2).stream().map(c -> cell(c.index(), Map.of("blocks",
        blocks.values().get(c.index()), "sites", sites.values().get(c.index())), 1, c.outputs())).toList();
    String flat = SweepPage.render(result(List.of(blocks, sites), List.of(1L), List.of(UTIL), null, zipped));
    assertThat(flat).doesNotContain("id=\"heat-maps\"");
    assertThat(count(chart(flat, "util", "sites"), "<path class=\"line\"")).isEqualTo(1);
  }

  @Test
  void longLogAxisLabelsNeverOverlapAndEachPointsTooltipKeepsTheFullValue() {
    // 7 log-spaced values as the WAN sweep writes them; with a second axis the chart is a narrow one
    AxisInfo bw = new AxisInfo("fleet.wan[0].bandwidth", true, 0, List.of("1Tbps", "3.16228Tbps", "10Tbps",
        "31.6228Tbps", "100Tbps", "316.228Tbps", "1000Tbps"));
    AxisInfo policy = new AxisInfo("policy", false, 1, List.of("fifo", "fair"));
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      cells.add(cell(i, Map.of("fleet.wan[0].bandwidth", bw.values().get(i / 2), "policy",
          policy.values().get(i % 2)), 1, Map.of("util", one(0.5 + i / 100.0))));
    }
    String narrow = chart(SweepPage.render(result(List.of(bw, policy), List.of(1L), List.of(UTIL), null, cells)),
        "util", "fleet.wan[0].bandwidth");
    List<Label> labels = xLabels(narrow);
    assertNoOverlap(labels);
    assertThat(labels.get(0).text()).isEqualTo("1Tbps");
    assertThat(labels.get(labels.size() - 1).text()).isEqualTo("1000Tbps");
    assertThat(labels).extracting(Label::text).contains("3.16Tbps").doesNotContain("3.16228Tbps");
    assertThat(narrow).contains("fleet.wan[0].bandwidth = 3.16228Tbps, policy = fifo");

    // alone in its row the chart is wide enough for every full label
    List<Cell> one = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      one.add(cell(i, Map.of("fleet.wan[0].bandwidth", bw.values().get(i)), 1, Map.of("util", one(0.5))));
    }
    List<Label> wide = xLabels(chart(SweepPage.render(result(List.of(bw), List.of(1L), List.of(UTIL), null, one)),
        "util", "fleet.wan[0].bandwidth"));
    assertNoOverlap(wide);
    assertThat(wide).extracting(Label::text).containsExactlyElementsOf(bw.values());

    // 12 long categories cannot all be printed: the first, the last and every k-th, none overlapping
    List<String> names = IntStream.range(0, 12).mapToObj(i -> "policy-number-" + i).toList();
    AxisInfo many = new AxisInfo("policy", false, 0, names);
    List<Cell> byName = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      byName.add(cell(i, Map.of("policy", names.get(i)), 1, Map.of("util", one(0.5))));
    }
    List<Label> sparse = xLabels(chart(SweepPage.render(result(List.of(many), List.of(1L), List.of(UTIL), null,
        byName)), "util", "policy"));
    assertNoOverlap(sparse);
    assertThat(sparse.get(0).text()).isEqualTo("policy-number-0");
    assertThat(sparse.get(sparse.size() - 1).text()).isEqualTo("policy-number-11");
    assertThat(sparse.size()).isBetween(3, 11);
  }

  @Test
  void aChartAloneInItsRowIsWideAndTwoChartsShareARow() {
    String twoAxes = SweepPage.render(loadByPolicy(null, false));
    assertThat(chart(twoAxes, "util", "load")).contains("viewBox=\"0 0 460 250\"");
    AxisInfo load = new AxisInfo("load", true, 0, List.of("0.5", "0.9"));
    String oneAxis = SweepPage.render(result(List.of(load), List.of(1L), List.of(UTIL), null, List.of(
        cell(0, Map.of("load", "0.5"), 1, Map.of("util", one(0.6))), cell(1, Map.of("load", "0.9"), 1,
            Map.of("util", one(0.8))))));
    assertThat(chart(oneAxis, "util", "load")).contains("viewBox=\"0 0 1000 250\"");
    // auto-fit (not auto-fill): a single chart stretches over the row, two take half each
    assertThat(oneAxis).contains(".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr))");
  }

  @Test
  void ciBandsWhiskersAndTheYDomainStayWithinWhatTheUnitCanBe() {
    // 2 seeds make wide intervals: util 0.9 ± 0.6 would reach 150%, a wait of 1 h ± 5 h would reach -4 h
    AxisInfo load = new AxisInfo("load", true, 0, List.of("0.5", "0.9"));
    AxisInfo policy = new AxisInfo("policy", false, 1, List.of("fifo", "fair"));
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      cells.add(cell(i, Map.of("load", load.values().get(i / 2), "policy", policy.values().get(i % 2)), 2,
          Map.of("util", ci(0.9 - i / 10.0, 0.6), "gpu-wait-p95", ci(1 + i, 5), "revenue", ci(1e6 * i, 4e6))));
    }
    SweepResult r = result(List.of(load, policy), List.of(1L, 2L), List.of(UTIL, WAIT, REVENUE), null, cells);
    String html = SweepPage.render(r);

    String util = chart(html, "util", "load");
    assertThat(yTicks(util)).allSatisfy(t -> assertThat(t).isBetween(0.0, 100.0));
    assertThat(bandYs(util)).isNotEmpty().allSatisfy(y -> assertThat(y).isBetween(10.0, 210.0));
    assertThat(util).contains("Shaded: 95% CI over the seeds (clipped to the possible range).");
    String wait = chart(html, "gpu-wait-p95", "load");
    assertThat(yTicks(wait)).allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(0.0));
    assertThat(bandYs(wait)).allSatisfy(y -> assertThat(y).isBetween(10.0, 210.0));
    // the category chart's whiskers end at 0 h too: the lowest whisker end is the x axis (y = 210)
    String waitByPolicy = chart(html, "gpu-wait-p95", "policy");
    assertThat(whiskerYs(waitByPolicy)).isNotEmpty().allSatisfy(y -> assertThat(y).isBetween(10.0, 210.0))
        .contains(210.0);
    assertThat(waitByPolicy).contains("(clipped to the possible range)");
    // dollars can be negative (a margin): nothing clipped, so the note does not say so
    String revenue = chart(html, "revenue", "load");
    assertThat(revenue).contains("Shaded: 95% CI over the seeds.").doesNotContain("clipped");
    assertThat(yTickLabels(revenue)).anyMatch(t -> t.startsWith("-$"));
    // the result keeps the raw interval (sweep.json is written from it)
    assertThat(r.cells().get(0).outputs().get("util").ciHigh()).isCloseTo(1.5, within(1e-12));
  }

  @Test
  void coincidingLinesShareOneBandSeveralBandsAreFainterAndTheLegendNamesTheAxisOnce() {
    // utilization depends on load only, not on the price: the five price lines of a chart by load coincide
    AxisInfo price = new AxisInfo("tenants[*].prices.onDemandUsdPerGpuHour", true, 0,
        List.of("x0.5", "x0.75", "x1", "x1.5", "x2"));
    AxisInfo load = new AxisInfo("workload.load", true, 1, List.of("0.7", "0.85", "1.0"));
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      double l = Double.parseDouble(load.values().get(i % 3));
      cells.add(cell(i, Map.of(price.path(), price.values().get(i / 3), load.path(), load.values().get(i % 3)), 2,
          Map.of("util", ci(l * 0.75, 0.05))));
    }
    String html = SweepPage.render(result(List.of(price, load), List.of(1L, 2L), List.of(UTIL), null, cells));
    String byLoad = chart(html, "util", "workload.load");
    assertThat(count(byLoad, "<path class=\"line\"")).isEqualTo(5);
    assertThat(count(byLoad, "<polygon class=\"ci\"")).isEqualTo(1);
    assertThat(byLoad).contains("fill-opacity=\"0.180\"")
        .contains("The lines for tenants[*].prices.onDemandUsdPerGpuHour: x0.5, x0.75, x1, x1.5, x2 coincide");
    assertThat(count(byLoad, "class=\"legend-title\"")).isEqualTo(1);
    assertThat(legendEntries(byLoad)).containsExactly("x0.5", "x0.75", "x1", "x1.5", "x2");
    // by price: three distinct bands (one per load), each 1 - 0.82^(1/3) = 0.064, so the three together are as dark
    // as a lone band: 1 - (1 - 0.064)^3 = 0.18
    String byPrice = chart(html, "util", price.path());
    assertThat(count(byPrice, "<polygon class=\"ci\"")).isEqualTo(3);
    assertThat(attributes(byPrice, "fill-opacity")).containsExactly("0.064", "0.064", "0.064");
    assertThat(byPrice).doesNotContain("coincide");
  }

  @Test
  void valuesAreWrittenByTheirUnit() {
    assertThat(SweepUnits.value("USD", 1.23e9)).isEqualTo("$1.2B");
    assertThat(SweepUnits.value("USD", 3.4e8)).isEqualTo("$340M");
    assertThat(SweepUnits.value("USD", 950)).isEqualTo("$950");
    assertThat(SweepUnits.value("hours", 1.234)).isEqualTo("1.23 h");
    assertThat(SweepUnits.value("years", 3.456)).isEqualTo("3.46 y");
    assertThat(SweepUnits.value("days", 41.5)).isEqualTo("41.50 d");
    assertThat(SweepUnits.value("jobs", 1234567)).isEqualTo("1,234,567");
    assertThat(SweepUnits.value("fraction", 0.853)).isEqualTo("85.3%");
    assertThat(SweepUnits.value("ratio", 1.23456)).isEqualTo("1.235");
    assertThat(SweepUnits.value("years", Double.NaN)).isEqualTo("–");
    assertThat(SweepUnits.plusMinus("fraction", 0.0123)).isEqualTo("±1.23%");
    assertThat(SweepUnits.plusMinus("hours", Double.NaN)).isEmpty();
  }

  /**
   * load {0.5, 0.9} × policy {fifo, fair}, 3 seeds. util: 0.6, 0.7, 0.75, 0.8 (± 0.015); wait: 1, 2, 3, 4 h (± 0.1).
   * With {@code ranked}: util ≥ 0.65 leaves cells 1–3, the lowest wait is cell 1's (2 h).
   */
  private static SweepResult loadByPolicy(String objective, boolean ranked) {
    AxisInfo load = new AxisInfo("load", true, 0, List.of("0.5", "0.9"));
    AxisInfo policy = new AxisInfo("policy", false, 1, List.of("fifo", "fair"));
    double[] util = {0.6, 0.7, 0.75, 0.8};
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Map<String, String> axes = new LinkedHashMap<>();
      axes.put("load", load.values().get(i / 2));
      axes.put("policy", policy.values().get(i % 2));
      Map<String, Stat> outputs = new LinkedHashMap<>();
      outputs.put("util", ci(util[i], 0.015));
      outputs.put("gpu-wait-p95", ci(i + 1, 0.1));
      Boolean feasible = ranked ? util[i] >= 0.65 : null;
      Integer rank = ranked && i > 0 ? i : null;
      cells.add(new Cell(i, axes, 3, outputs, feasible, rank, ranked && i == 1, List.of()));
    }
    return result(List.of(load, policy), List.of(1L, 2L, 3L), List.of(UTIL, WAIT), objective, cells);
  }

  private static SweepResult result(List<AxisInfo> axes, List<Long> seeds, List<Outputs.Output> outputs,
      String objective, List<Cell> cells) {
    return new SweepResult("test-sweep", "A sweep built by hand", "preset fairwater", axes, seeds, outputs, objective,
        cells.size() * seeds.size(), cells);
  }

  private static Cell cell(int index, Map<String, String> axes, int runs, Map<String, Stat> outputs) {
    return new Cell(index, new LinkedHashMap<>(axes), runs, new LinkedHashMap<>(outputs), null, null, false, List.of());
  }

  private static Stat one(double mean) {
    return new Stat(mean, Double.NaN, Double.NaN, Double.NaN, 1);
  }

  private static Stat ci(double mean, double half) {
    return new Stat(mean, mean - half, mean + half, half, 3);
  }

  // ---- reading the page back ----

  record Label(double x, String text) {}

  /** The printed x tick labels of a chart, left to right. */
  private static List<Label> xLabels(String chart) {
    String axis = between(chart, "<g class=\"x-axis\">", "</g>");
    return Pattern.compile("<text x=\"(-?[0-9.]+)\"[^>]*>([^<]*)</text>").matcher(axis).results()
        .map(m -> new Label(Double.parseDouble(m.group(1)), m.group(2))).toList();
  }

  /** Fails when two neighbouring labels overlap, each estimated 0.6 × 12 px per character, centred on its x. */
  private static void assertNoOverlap(List<Label> labels) {
    for (int k = 1; k < labels.size(); k++) {
      Label a = labels.get(k - 1);
      Label b = labels.get(k);
      assertThat(b.x() - a.x()).as("room between %s and %s", a.text(), b.text())
          .isGreaterThanOrEqualTo((a.text().length() + b.text().length()) / 2.0 * 0.6 * 12);
    }
  }

  private static List<String> yTickLabels(String chart) {
    String axis = between(chart, "<g class=\"y-axis\">", "</g>");
    return Pattern.compile("<text x=\"[^\"]*\"[^>]*>([^<]*)</text>").matcher(axis).results()
        .map(m -> m.group(1)).toList();
  }

  /** The y tick values as numbers: "50%" → 50, "-$2M" → -2. */
  private static List<Double> yTicks(String chart) {
    return yTickLabels(chart).stream().map(t -> Double.parseDouble(t.replaceAll("[^0-9.-]", ""))).toList();
  }

  private static List<Double> bandYs(String chart) {
    List<Double> ys = new ArrayList<>();
    for (String points : attributes(chart.replaceAll("(?s)^.*?(?=<svg)", ""), "points")) {
      for (String p : points.split(" ")) {
        ys.add(Double.parseDouble(p.split(",")[1]));
      }
    }
    return ys;
  }

  private static List<Double> whiskerYs(String chart) {
    return Pattern.compile("<line class=\"ci\"[^>]* y1=\"([0-9.-]+)\" y2=\"([0-9.-]+)\"").matcher(chart)
        .results().flatMap(m -> java.util.stream.Stream.of(m.group(1), m.group(2))).map(Double::parseDouble).toList();
  }

  private static List<String> attributes(String markup, String name) {
    return Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(markup).results().map(m -> m.group(1)).toList();
  }

  private static List<String> legendEntries(String chart) {
    String legend = between(chart, "<ul class=\"legend\">", "</ul>");
    return Pattern.compile("</span>([^<]*)</li>").matcher(legend).results().map(m -> m.group(1)).toList();
  }

  record Row(int cell, boolean best, List<Map<String, String>> tds) {
    Map<String, String> td(String output) {
      return tds.stream().filter(t -> output.equals(t.get("data-output"))).findFirst().orElseThrow();
    }

    String text(String column) {
      if (column.equals("feasible") || column.equals("rank")) {
        return tds.get(tds.size() - (column.equals("rank") ? 1 : 2)).get("text");
      }
      return td(column).get("text");
    }

    double value(String output) {
      return Double.parseDouble(td(output).get("data-v"));
    }

    String axis(String path) {
      return tds.stream().filter(t -> path.equals(t.get("data-axis"))).findFirst().orElseThrow().get("text");
    }
  }

  private static List<Row> rows(String html) {
    String table = between(html, "<table id=\"cells\"", "</table>");
    List<Row> rows = new ArrayList<>();
    Matcher m = ROW.matcher(table);
    while (m.find()) {
      rows.add(new Row(Integer.parseInt(m.group(1)), m.group(2) != null, tds(m.group(3))));
    }
    return rows;
  }

  private static List<Map<String, String>> tds(String markup) {
    List<Map<String, String>> out = new ArrayList<>();
    Matcher m = TD.matcher(markup);
    while (m.find()) {
      Map<String, String> attrs = new LinkedHashMap<>();
      Matcher a = ATTR.matcher(m.group(1));
      while (a.find()) {
        attrs.put(a.group(1), a.group(2));
      }
      attrs.put("text", m.group(2).replaceAll("<[^>]*>", ""));
      out.add(attrs);
    }
    return out;
  }

  /** Heat map cells of one output by "row|column". */
  private static Map<String, Map<String, String>> heat(String html, String output) {
    String table = between(html, "<table class=\"heat\" data-output=\"" + output + "\"", "</table>");
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (Map<String, String> td : tds(table)) {
      out.put(td.get("data-row") + "|" + td.get("data-col"), td);
    }
    return out;
  }

  private static List<String> charts(String html) {
    List<String> out = new ArrayList<>();
    for (int i = html.indexOf("<figure class=\"chart\""); i >= 0; i = html.indexOf("<figure class=\"chart\"", i + 1)) {
      out.add(html.substring(i, html.indexOf("</figure>", i)));
    }
    return out;
  }

  private static String chart(String html, String output, String axis) {
    String head = "<figure class=\"chart\" data-output=\"" + output + "\" data-axis=\"" + axis + "\"";
    return charts(html).stream().filter(c -> c.startsWith(head)).findFirst().orElseThrow();
  }

  /** The x of each point of the first line's path. */
  private static double[] pathXs(String chart) {
    String d = between(chart, "<path class=\"line\" d=\"", "\"").substring("<path class=\"line\" d=\"".length());
    return Pattern.compile("[ML]?(-?[0-9.]+),").matcher(d).results()
        .mapToDouble(r -> Double.parseDouble(r.group(1))).toArray();
  }

  private static String between(String text, String start, String end) {
    int i = text.indexOf(start);
    assertThat(i).as("%s in the page", start).isGreaterThanOrEqualTo(0);
    return text.substring(i, text.indexOf(end, i + start.length()));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  private static void assertSelfContained(String html) {
    assertThat(html.toLowerCase(Locale.ROOT)).doesNotContain("http://").doesNotContain("https://")
        .doesNotContain("<link").doesNotContain(" src=").doesNotContain("@import").doesNotContain("url(");
  }

  /** Fails unless every tag outside script and style closes the innermost open one. */
  private static void assertBalanced(String html) {
    String markup = html.replaceAll("(?s)<(script|style)>.*?</\\1>", "<$1></$1>");
    Deque<String> open = new ArrayDeque<>();
    Matcher m = TAG.matcher(markup);
    while (m.find()) {
      String name = m.group(2).toLowerCase(Locale.ROOT);
      if (!m.group(3).isEmpty()) {
        continue;
      }
      if (m.group(1).isEmpty()) {
        open.push(name);
      } else {
        assertThat(open.peek()).as("closing </%s> at %d", name, m.start()).isEqualTo(name);
        open.pop();
      }
    }
    assertThat(open).as("unclosed elements").isEmpty();
  }
}
