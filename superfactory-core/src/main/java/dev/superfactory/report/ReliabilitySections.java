package dev.superfactory.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The reliability sections of the HTML report, drawn from {@code reliability} and
 * {@code timeseries.healthy}, which the simulator writes when it simulates failures: the headline
 * numbers, failure events per day by cause with the fleet in service, where the allocated
 * GPU-hours went and what each cause cost, and the goodput of the largest jobs. Goodput is useful
 * ÷ allocated GPU-hours; the effective training time ratio is productive time ÷ time since the
 * job started (MegaScale, Jiang et al., NSDI 2024; Llama 3, arXiv 2407.21783, §3.3.4). A result
 * that says failures were not simulated gets one line instead. Cost: linear in the JSON.
 */
final class ReliabilitySections {
  /** One of {@code reliability.gpuHours}: its key, how the page names it, its color. */
  record Ledger(String key, String label, String color) {}

  /** Useful work, then the overhead of checkpoints, then the losses to failures (dark to light). */
  static final List<Ledger> LEDGERS = List.of(
      new Ledger("useful", "useful work", "#3f8f5b"),
      new Ledger("checkpoint", "checkpoint writes", "#88b4c9"),
      new Ledger("lostWork", "lost work since the last checkpoint", "#1e293b"),
      new Ledger("restart", "restart", "#475569"),
      new Ledger("detection", "failure detection", "#7c8ba1"),
      new Ledger("wanStall", "WAN stalls", "#b6c2d1"));
  /** The losses {@code lostGpuHoursByCause} splits by cause (all ledgers but useful and checkpoint). */
  static final List<Ledger> LOSSES = LEDGERS.subList(2, LEDGERS.size());
  static final String WAITING = "waitingAfterInterruption";
  private static final String WAITING_LABEL = "waiting in the queue after an interruption";

  private ReliabilitySections() {}

  /** The headline numbers, or one line when failures were not simulated. */
  static void headline(ReportData data, HtmlWriter out) {
    if (!data.failuresSimulated()) {
      ChartSections.lede(out, "Failures were not simulated in this run, so no job was interrupted.");
      return;
    }
    JsonNode r = data.at("reliability");
    ChartSections.lede(out, "Jobs interrupted by failures and planned maintenance lose the work since their last"
        + " checkpoint and restart. Goodput is the share of allocated GPU-hours that did useful work.");
    double[] healthy = ReportData.numbers(data.at("timeseries.healthy"));
    double events = sum(r.path("failureEventsByCause"), ReportData.fieldNames(r.path("failureEventsByCause")));
    double days = ReportData.number(data.at("scenario"), "horizonDays");
    out.open("div", "class", "cards");
    OverviewSections.card(out, "Interruptions", Cells.count(ReportData.number(r, "interruptions")),
        Cells.number(ReportData.number(r, "interruptionsPerDay"), 1) + " a day");
    OverviewSections.card(out, "Per 1,000 GPUs", Cells.number(ReportData.number(r, "interruptionsPer1000GpusPerDay"), 3),
        "interruptions a day");
    OverviewSections.card(out, "Failure events", Cells.count(events), Cells.number(events / days, 1) + " a day");
    OverviewSections.card(out, "Goodput", Cells.percent(ReportData.number(r, "goodput")), "useful ÷ allocated GPU-hours");
    double lowest = min(healthy);
    OverviewSections.card(out, "Fleet in service", Cells.percent(inService(r, healthy), 2),
        "time average" + (Double.isNaN(lowest) ? "" : "; lowest " + Cells.percent(lowest, 2)));
    out.close("div");
  }

  /** Failure events per day by cause, and the fleet in service, on the time axis of the charts above. */
  static void failures(ReportData data, HtmlWriter out) {
    boolean drawn = timeline(data, out);
    drawn |= fleetInService(data, out);
    if (!drawn) {
      ChartSections.empty(out, "No failure timeline or in-service samples in this result.");
    }
  }

  /** Allocated GPU-hours by use, lost GPU-hours by cause, and failures and interruptions by cause. */
  static void gpuHours(ReportData data, HtmlWriter out) {
    JsonNode r = data.at("reliability");
    boolean drawn = allocatedByUse(r.path("gpuHours"), out);
    List<String> causes = byLoss(data, r.path("lostGpuHoursByCause"));
    drawn |= lostByCause(data, r.path("lostGpuHoursByCause"), causes, out);
    if (!causes.isEmpty()) {
      causeTable(data, r, causes, out);
    } else if (!drawn) {
      ChartSections.empty(out, "No GPU-hour ledgers in this result.");
    }
  }

  /** Goodput and effective training time ratio of the largest jobs, as bars in the tenant's color. */
  static void largeJobs(ReportData data, HtmlWriter out) {
    List<SvgBarRows.Row> rows = new ArrayList<>();
    Set<String> tenants = new LinkedHashSet<>();
    for (JsonNode job : data.at("reliability.largeJobs")) {
      String tenant = Cells.text(ReportData.text(job, "tenant"));
      tenants.add(tenant);
      rows.add(jobRow(data, job, tenant));
    }
    ChartSections.lede(out, "The " + rows.size() + " largest jobs that ran in the window, largest first. Solid: goodput"
        + " (useful ÷ allocated GPU-hours); light: effective training time ratio (productive time ÷ time since the"
        + " job started, which also counts waiting to restart), both from zero; on the right: goodput · ratio ·"
        + " interruptions.");
    if (rows.isEmpty()) {
      ChartSections.empty(out, "No jobs ran in the window.");
      return;
    }
    List<Legend.Entry> legend = new ArrayList<>();
    for (String tenant : ChartSections.inPaletteOrder(data.tenants(), new ArrayList<>(tenants))) {
      legend.add(new Legend.Entry(data.tenantLabel(tenant), data.tenants().color(tenant), Legend.Mark.BOX));
    }
    legend.add(new Legend.Entry("goodput", ChartSections.NEUTRAL, Legend.Mark.BOX));
    legend.add(new Legend.Entry("effective training time ratio", ChartSections.NEUTRAL, Legend.Mark.LIGHT));
    Legend.write(out, legend);
    ChartSections.figure(out, () -> SvgBarRows.render(out, "Goodput of the largest jobs",
        ValueAxis.percent("goodput and effective training time ratio (%)"), rows, 230, 290));
  }

  /** The tenant's goodput: {@code tenants[].goodput}, else {@code reliability.goodputByTenant}; NaN if neither. */
  static double tenantGoodput(ReportData data, JsonNode tenant) {
    double goodput = ReportData.number(tenant, "goodput");
    String name = ReportData.text(tenant, "name");
    return Double.isNaN(goodput) && name != null
        ? ReportData.number(data.at("reliability.goodputByTenant"), name) : goodput;
  }

  /** True when the tenants table gets a goodput column: failures were simulated and some tenant has one. */
  static boolean hasTenantGoodput(ReportData data) {
    if (!data.failuresSimulated()) {
      return false;
    }
    for (JsonNode t : data.at("tenants")) {
      if (t.has("goodput")) {
        return true;
      }
    }
    return data.at("reliability.goodputByTenant").isObject();
  }

  private static boolean timeline(ReportData data, HtmlWriter out) {
    double[] days = ReportData.numbers(data.at("reliability.timeline.days"));
    JsonNode byCause = data.at("reliability.timeline.byCause");
    List<Series> layers = new ArrayList<>();
    List<Legend.Entry> legend = new ArrayList<>();
    double events = 0;
    for (String cause : ChartSections.inPaletteOrder(data.causes(), ReportData.fieldNames(byCause))) {
      Series s = new Series(cause, data.causes().color(cause), ReportData.numbers(byCause.path(cause)));
      double total = sum(s.values(), days.length);
      events += total;
      layers.add(s);
      legend.add(new Legend.Entry(cause, s.color(), Legend.Mark.BOX, Cells.count(total)));
    }
    if (days.length == 0 || layers.isEmpty()) {
      return false;
    }
    out.element("h3", "Failure events per day");
    ChartSections.lede(out, "Failure events each day of the window, stacked by cause, with each cause's total ("
        + Cells.count(events) + " in all). An event interrupts the jobs on the GPUs it takes down: none if they"
        + " were idle, several if it takes down a shared host, domain or site.");
    Legend.write(out, legend);
    ChartSections.figure(out, () -> SvgDailyBars.render(out, "Failure events per day, stacked by cause",
        Frame.timeChart(240), data.time(), days, layers, "failure events per day", "failure events"));
    return true;
  }

  private static boolean fleetInService(ReportData data, HtmlWriter out) {
    double[] hours = ReportData.numbers(data.at("timeseries.hours"));
    double[] healthy = ReportData.numbers(data.at("timeseries.healthy"));
    if (hours.length == 0 || !(min(healthy) >= 0)) {
      return false;
    }
    double floor = inServiceFloor(healthy);
    out.element("h3", "Fleet in service");
    ChartSections.lede(out, "The share of the fleet's GPUs in service (not failed, in repair or in maintenance), sampled"
        + " every " + Cells.hours(ReportData.number(data.at("scenario"), "sampleIntervalHours")) + "; hover for the"
        + " lowest value in each band." + (floor > 0 ? " The y axis starts at " + Cells.percent(floor) + ", not at zero,"
        + " so that dips are visible." : ""));
    ValueAxis axis = new ValueAxis(floor, 1, Ticks.within(floor, 1, 4).percent(), "GPUs in service (%)",
        v -> Cells.percent(v, 2));
    Series line = new Series("In service", Palette.TOTAL, healthy);
    Legend.write(out, List.of(new Legend.Entry("in service", Palette.TOTAL, Legend.Mark.LINE,
        Cells.percent(inService(data.at("reliability"), healthy), 2) + " time average")));
    ChartSections.figure(out, () -> SvgLineChart.render(out, "Share of the fleet's GPUs in service over time",
        Frame.timeChart(220), data.time(), hours, axis, List.of(line), false, HoverBands.Summary.LOW));
    return true;
  }

  /** The lowest round value below every sample, at most 99%, when all are at or above 50%; else 0. */
  static double inServiceFloor(double[] healthy) {
    double min = min(healthy);
    if (!(min >= 0.5)) {
      return 0;
    }
    return min >= 1 ? 0.99 : Math.min(Ticks.covering(min, 1, 4).first(), 0.99);
  }

  private static boolean allocatedByUse(JsonNode gpuHours, HtmlWriter out) {
    List<SvgShareBar.Part> parts = new ArrayList<>();
    for (Ledger l : LEDGERS) {
      parts.add(new SvgShareBar.Part(l.label(), ReportData.number(gpuHours, l.key()), l.color()));
    }
    double total = SvgShareBar.total(parts);
    if (!(total > 0)) {
      return false;
    }
    out.element("h3", "Allocated GPU-hours by use");
    ChartSections.lede(out, "Every GPU-hour allocated to jobs in the window (" + Cells.compact(total) + "), by what it"
        + " went to; the bar is 100%.");
    List<Legend.Entry> legend = new ArrayList<>();
    for (SvgShareBar.Part p : parts) {
      legend.add(new Legend.Entry(p.label(), p.color(), Legend.Mark.BOX,
          Cells.percent(p.value() / total) + " · " + Cells.compact(p.value())));
    }
    Legend.write(out, legend);
    ChartSections.figure(out, () -> SvgShareBar.render(out, "Allocated GPU-hours by use", parts, "GPU-hours"));
    return true;
  }

  private static boolean lostByCause(ReportData data, JsonNode lost, List<String> causes, HtmlWriter out) {
    if (!lost.isObject() || causes.isEmpty()) {
      return false;
    }
    double max = 0;
    List<SvgBarRows.Row> rows = new ArrayList<>();
    for (String cause : causes) {
      JsonNode c = lost.path(cause);
      max = Math.max(max, cost(c));
      rows.add(causeRow(data, cause, c));
    }
    out.element("h3", "Lost GPU-hours by cause");
    ChartSections.lede(out, "GPU-hours each cause cost, largest first, split as in the bar above. Hatched: demand"
        + " not served while interrupted jobs waited in the queue to restart; no GPUs were allocated to it, so it is"
        + " not part of the bar above.");
    List<Legend.Entry> legend = new ArrayList<>();
    for (Ledger l : LOSSES) {
      legend.add(new Legend.Entry(l.label(), l.color(), Legend.Mark.BOX));
    }
    legend.add(new Legend.Entry(WAITING_LABEL, SvgBarRows.HATCH_COLOR, Legend.Mark.HATCHED));
    Legend.write(out, legend);
    ValueAxis axis = ValueAxis.counts(max, "GPU-hours");
    ChartSections.figure(out, () -> SvgBarRows.render(out, "Lost GPU-hours by cause", axis, rows, 200, 170));
    return true;
  }

  private static SvgBarRows.Row causeRow(ReportData data, String cause, JsonNode lost) {
    List<SvgBarRows.Segment> bar = new ArrayList<>();
    StringBuilder tip = new StringBuilder(cause).append(": ").append(Cells.compact(lostTotal(lost)))
        .append(" allocated GPU-hours lost");
    for (Ledger l : LOSSES) {
      double v = ReportData.number(lost, l.key());
      bar.add(new SvgBarRows.Segment(v, l.color(), SvgBarRows.Fill.SOLID));
      tip.append('\n').append(l.label()).append(": ").append(Cells.compact(v));
    }
    double waiting = ReportData.number(lost, WAITING);
    bar.add(new SvgBarRows.Segment(waiting, SvgBarRows.HATCH_COLOR, SvgBarRows.Fill.HATCHED));
    tip.append('\n').append(WAITING_LABEL).append(": ").append(Cells.compact(waiting));
    String note = Cells.compact(lostTotal(lost)) + (waiting > 0 ? " + " + Cells.compact(waiting) + " waiting" : "");
    return new SvgBarRows.Row(cause, data.causes().color(cause), List.of(bar), note, tip.toString());
  }

  private static void causeTable(ReportData data, JsonNode r, List<String> causes, HtmlWriter out) {
    out.element("h3", "Failures and interruptions by cause");
    JsonNode events = r.path("failureEventsByCause");
    JsonNode interruptions = r.path("interruptionsByCause");
    JsonNode lost = r.path("lostGpuHoursByCause");
    out.open("table");
    TableSections.head(out, "Cause", "Failure events", "Interruptions", "Lost GPU-hours", "Waiting GPU-hours");
    out.open("tbody");
    for (String cause : causes) {
      out.open("tr").open("td");
      Legend.swatch(out, data.causes().color(cause), Legend.Mark.BOX);
      out.text(cause).close("td");
      TableSections.cells(out, Cells.count(ReportData.number(events, cause)),
          Cells.count(ReportData.number(interruptions, cause)), Cells.compact(lostTotal(lost.path(cause))),
          Cells.compact(ReportData.number(lost.path(cause), WAITING)));
      out.close("tr");
    }
    out.open("tr", "class", "total");
    TableSections.cells(out, "All causes", Cells.count(sum(events, causes)), Cells.count(sum(interruptions, causes)),
        Cells.compact(allLost(lost, causes)), Cells.compact(sumOf(lost, causes, WAITING)));
    out.close("tr").close("tbody").close("table");
  }

  /** The causes, the costliest first (allocated losses plus waiting); ties keep the result's order. */
  private static List<String> byLoss(ReportData data, JsonNode lost) {
    Set<String> names = new LinkedHashSet<>(data.causes().names());
    List<String> causes = new ArrayList<>(names);
    causes.sort(Comparator.comparingDouble((String c) -> -cost(lost.path(c))));
    return causes;
  }

  /** Everything a cause cost: allocated losses plus waiting after interruptions, missing values as zero. */
  private static double cost(JsonNode lost) {
    return zeroIfMissing(lostTotal(lost)) + zeroIfMissing(ReportData.number(lost, WAITING));
  }

  private static SvgBarRows.Row jobRow(ReportData data, JsonNode job, String tenant) {
    String color = data.tenants().color(tenant);
    double goodput = ReportData.number(job, "goodput");
    double ettr = ReportData.number(job, "effectiveTrainingTimeRatio");
    double interruptions = ReportData.number(job, "interruptions");
    JsonNode completed = job.path("completed");
    boolean running = completed.isBoolean() && !completed.booleanValue();
    String interrupted = Cells.count(interruptions) + (interruptions == 1 ? " interruption" : " interruptions");
    String id = Cells.text(ReportData.text(job, "id"));
    String label = Cells.count(ReportData.number(job, "gpus")) + " GPUs · job " + id;
    String note = Cells.percent(goodput) + " · " + Cells.percent(ettr) + " · " + interrupted + (running ? " · running" : "");
    String tip = "Job " + id + " · " + data.tenantLabel(tenant) + "\n"
        + Cells.count(ReportData.number(job, "gpus")) + " GPUs · " + interrupted + "\ngoodput " + Cells.percent(goodput)
        + " · effective training time ratio " + Cells.percent(ettr)
        + (running ? "\nstill running at the end" : completed.isBoolean() ? "\ncompleted" : "");
    return new SvgBarRows.Row(label, color, List.of(
        List.of(new SvgBarRows.Segment(goodput, color, SvgBarRows.Fill.SOLID)),
        List.of(new SvgBarRows.Segment(ettr, color, SvgBarRows.Fill.LIGHT))), note, tip);
  }

  /** The cause's allocated losses (lost work, restart, detection, WAN stalls); NaN when none is given. */
  private static double lostTotal(JsonNode lost) {
    double total = Double.NaN;
    for (Ledger l : LOSSES) {
      double v = ReportData.number(lost, l.key());
      total = plus(total, v);
    }
    return total;
  }

  private static double allLost(JsonNode lost, List<String> causes) {
    double total = Double.NaN;
    for (String c : causes) {
      double v = lostTotal(lost.path(c));
      total = plus(total, v);
    }
    return total;
  }

  private static double sumOf(JsonNode byCause, List<String> causes, String field) {
    double total = Double.NaN;
    for (String c : causes) {
      double v = ReportData.number(byCause.path(c), field);
      total = plus(total, v);
    }
    return total;
  }

  /** The sum of the named numbers of an object; NaN when none is a number. */
  private static double sum(JsonNode object, List<String> names) {
    double total = Double.NaN;
    for (String n : names) {
      double v = ReportData.number(object, n);
      total = plus(total, v);
    }
    return total;
  }

  private static double sum(double[] values, int n) {
    double total = 0;
    for (int i = 0; i < Math.min(n, values.length); i++) {
      total += zeroIfMissing(values[i]);
    }
    return total;
  }

  /** {@code reliability.healthyFraction}, else the mean of the samples; NaN if neither. */
  private static double inService(JsonNode reliability, double[] healthy) {
    double fraction = ReportData.number(reliability, "healthyFraction");
    if (!Double.isNaN(fraction)) {
      return fraction;
    }
    double sum = 0;
    int n = 0;
    for (double h : healthy) {
      if (!Double.isNaN(h)) {
        sum += h;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** The lowest sample; NaN if there is none. */
  private static double min(double[] values) {
    double min = Double.NaN;
    for (double v : values) {
      min = Double.isNaN(v) || v >= min ? min : v;
    }
    return min;
  }

  /** {@code total + v} where a missing total counts as zero and a missing {@code v} adds nothing. */
  private static double plus(double total, double v) {
    return Double.isNaN(v) ? total : zeroIfMissing(total) + v;
  }

  private static double zeroIfMissing(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
