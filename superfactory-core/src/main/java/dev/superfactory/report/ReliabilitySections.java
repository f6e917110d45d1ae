package dev.superfactory.report;

import dev.superfactory.report.result.Reliability;
import dev.superfactory.report.result.TenantSummary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The reliability sections of the HTML report, drawn from the result's reliability section and
 * {@code timeseries.healthy}: the headline numbers, failure events per day by cause with the fleet
 * in service, where the allocated GPU-hours went and what each cause cost, and the goodput of the
 * largest jobs. Goodput is useful ÷ allocated GPU-hours; the effective training time ratio is
 * productive time ÷ time since the job started (MegaScale, Jiang et al., NSDI 2024; Llama 3, arXiv
 * 2407.21783, §3.3.4). A result that says failures were not simulated gets one line instead (the
 * other sections are gated on {@link ReportData#failuresSimulated}). Cost: linear in the result.
 */
final class ReliabilitySections {
  /** One of {@code reliability.gpuHours}: how the page names it, its color, and its value in a ledger. */
  record Ledger(String label, String color, ToDoubleFunction<Reliability.GpuHours> hours) {}

  /** One allocated loss that {@code lostGpuHoursByCause} splits by cause. */
  record Loss(String label, String color, ToDoubleFunction<Reliability.LostGpuHours> hours) {}

  /** Useful work, then the overhead of checkpoints, then the losses to failures (dark to light). */
  static final List<Ledger> LEDGERS = List.of(
      new Ledger("useful work", "#3f8f5b", Reliability.GpuHours::useful),
      new Ledger("checkpoint writes", "#88b4c9", Reliability.GpuHours::checkpoint),
      new Ledger("lost work since the last checkpoint", "#1e293b", Reliability.GpuHours::lostWork),
      new Ledger("restart", "#475569", Reliability.GpuHours::restart),
      new Ledger("failure detection", "#7c8ba1", Reliability.GpuHours::detection),
      new Ledger("WAN stalls", "#b6c2d1", Reliability.GpuHours::wanStall));
  /** The losses {@code lostGpuHoursByCause} splits by cause: all ledgers but useful and checkpoint, in their colors. */
  static final List<Loss> LOSSES = List.of(
      new Loss(LEDGERS.get(2).label(), LEDGERS.get(2).color(), Reliability.LostGpuHours::lostWork),
      new Loss(LEDGERS.get(3).label(), LEDGERS.get(3).color(), Reliability.LostGpuHours::restart),
      new Loss(LEDGERS.get(4).label(), LEDGERS.get(4).color(), Reliability.LostGpuHours::detection),
      new Loss(LEDGERS.get(5).label(), LEDGERS.get(5).color(), Reliability.LostGpuHours::wanStall));
  private static final String WAITING_LABEL = "waiting in the queue after an interruption";

  private ReliabilitySections() {}

  /** The headline numbers, or one line when failures were not simulated. */
  static void headline(ReportData data, HtmlWriter out) {
    if (!data.failuresSimulated()) {
      ChartSections.lede(out, "Failures were not simulated in this run, so no job was interrupted.");
      return;
    }
    Reliability r = data.result().reliability();
    ChartSections.lede(out, "Jobs interrupted by failures and planned maintenance lose the work since their last"
        + " checkpoint and restart. Goodput is the share of allocated GPU-hours that did useful work.");
    double[] healthy = data.result().timeseries().healthy().toArray();
    double events = sum(r.failureEventsByCause(), r.failureEventsByCause().keySet());
    double days = data.result().scenario().horizonDays();
    out.open("div", "class", "cards");
    OverviewSections.card(out, "Interruptions", Cells.count(r.interruptions()),
        Cells.number(r.interruptionsPerDay(), 1) + " a day");
    OverviewSections.card(out, "Per 1,000 GPUs", Cells.number(r.interruptionsPer1000GpusPerDay(), 3),
        "interruptions a day");
    OverviewSections.card(out, "Failure events", Cells.count(events), Cells.number(events / days, 1) + " a day");
    OverviewSections.card(out, "Goodput", Cells.percent(r.goodput()), "useful ÷ allocated GPU-hours");
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
    Reliability r = data.result().reliability();
    boolean drawn = allocatedByUse(r.gpuHours(), out);
    List<String> causes = byLoss(data, r.lostGpuHoursByCause());
    drawn |= lostByCause(data, r.lostGpuHoursByCause(), causes, out);
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
    for (Reliability.LargeJob job : data.result().reliability().largeJobs()) {
      String tenant = Cells.text(job.tenant());
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

  /** The tenant's goodput: its row's, else {@code reliability.goodputByTenant}'s; NaN if neither. */
  static double tenantGoodput(ReportData data, TenantSummary tenant) {
    Reliability r = data.result().reliability();
    return Double.isNaN(tenant.goodput()) && r != null && tenant.name() != null
        ? ReportData.value(r.goodputByTenant(), tenant.name()) : tenant.goodput();
  }

  private static boolean timeline(ReportData data, HtmlWriter out) {
    Reliability.Timeline timeline = data.result().reliability().timeline();
    double[] days = timeline.days().toDoubles();
    List<Series> layers = new ArrayList<>();
    List<Legend.Entry> legend = new ArrayList<>();
    double events = 0;
    for (String cause : ChartSections.inPaletteOrder(data.causes(), new ArrayList<>(timeline.byCause().keySet()))) {
      Series s = new Series(cause, data.causes().color(cause), timeline.byCause().get(cause).toDoubles());
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
    double[] hours = data.result().timeseries().hours().toArray();
    double[] healthy = data.result().timeseries().healthy().toArray();
    if (hours.length == 0 || !(min(healthy) >= 0)) {
      return false;
    }
    double floor = inServiceFloor(healthy);
    out.element("h3", "Fleet in service");
    ChartSections.lede(out, "The share of the fleet's GPUs in service (not failed, in repair or in maintenance), sampled"
        + " every " + Cells.hours(data.result().scenario().sampleIntervalHours()) + "; hover for the"
        + " lowest value in each band." + (floor > 0 ? " The y axis starts at " + Cells.percent(floor) + ", not at zero,"
        + " so that dips are visible." : ""));
    ValueAxis axis = new ValueAxis(floor, 1, Ticks.within(floor, 1, 4).percent(), "GPUs in service (%)",
        v -> Cells.percent(v, 2));
    Series line = new Series("In service", Palette.TOTAL, healthy);
    Legend.write(out, List.of(new Legend.Entry("in service", Palette.TOTAL, Legend.Mark.LINE,
        Cells.percent(inService(data.result().reliability(), healthy), 2) + " time average")));
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

  private static boolean allocatedByUse(Reliability.GpuHours gpuHours, HtmlWriter out) {
    List<SvgShareBar.Part> parts = new ArrayList<>();
    for (Ledger l : LEDGERS) {
      parts.add(new SvgShareBar.Part(l.label(), l.hours().applyAsDouble(gpuHours), l.color()));
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

  private static boolean lostByCause(ReportData data, Map<String, Reliability.LostGpuHours> lost, List<String> causes,
      HtmlWriter out) {
    if (lost.isEmpty() || causes.isEmpty()) {
      return false;
    }
    double max = 0;
    List<SvgBarRows.Row> rows = new ArrayList<>();
    for (String cause : causes) {
      Reliability.LostGpuHours c = lost.get(cause);
      max = Math.max(max, cost(c));
      rows.add(causeRow(data, cause, c));
    }
    out.element("h3", "Lost GPU-hours by cause");
    ChartSections.lede(out, "GPU-hours each cause cost, largest first, split as in the bar above. Hatched: demand"
        + " not served while interrupted jobs waited in the queue to restart; no GPUs were allocated to it, so it is"
        + " not part of the bar above.");
    List<Legend.Entry> legend = new ArrayList<>();
    for (Loss l : LOSSES) {
      legend.add(new Legend.Entry(l.label(), l.color(), Legend.Mark.BOX));
    }
    legend.add(new Legend.Entry(WAITING_LABEL, SvgBarRows.HATCH_COLOR, Legend.Mark.HATCHED));
    Legend.write(out, legend);
    ValueAxis axis = ValueAxis.counts(max, "GPU-hours");
    ChartSections.figure(out, () -> SvgBarRows.render(out, "Lost GPU-hours by cause", axis, rows, 200, 170));
    return true;
  }

  private static SvgBarRows.Row causeRow(ReportData data, String cause, Reliability.LostGpuHours lost) {
    List<SvgBarRows.Segment> bar = new ArrayList<>();
    StringBuilder tip = new StringBuilder(cause).append(": ").append(Cells.compact(lostTotal(lost)))
        .append(" allocated GPU-hours lost");
    for (Loss l : LOSSES) {
      double v = hours(lost, l);
      bar.add(new SvgBarRows.Segment(v, l.color(), SvgBarRows.Fill.SOLID));
      tip.append('\n').append(l.label()).append(": ").append(Cells.compact(v));
    }
    double waiting = waiting(lost);
    bar.add(new SvgBarRows.Segment(waiting, SvgBarRows.HATCH_COLOR, SvgBarRows.Fill.HATCHED));
    tip.append('\n').append(WAITING_LABEL).append(": ").append(Cells.compact(waiting));
    String note = Cells.compact(lostTotal(lost)) + (waiting > 0 ? " + " + Cells.compact(waiting) + " waiting" : "");
    return new SvgBarRows.Row(cause, data.causes().color(cause), List.of(bar), note, tip.toString());
  }

  private static void causeTable(ReportData data, Reliability r, List<String> causes, HtmlWriter out) {
    out.element("h3", "Failures and interruptions by cause");
    Map<String, Long> events = r.failureEventsByCause();
    Map<String, Long> interruptions = r.interruptionsByCause();
    Map<String, Reliability.LostGpuHours> lost = r.lostGpuHoursByCause();
    out.open("table");
    TableSections.head(out, "Cause", "Failure events", "Interruptions", "Lost GPU-hours", "Waiting GPU-hours");
    out.open("tbody");
    for (String cause : causes) {
      out.open("tr").open("td");
      Legend.swatch(out, data.causes().color(cause), Legend.Mark.BOX);
      out.text(cause).close("td");
      TableSections.cells(out, Cells.count(ReportData.value(events, cause)),
          Cells.count(ReportData.value(interruptions, cause)), Cells.compact(lostTotal(lost.get(cause))),
          Cells.compact(waiting(lost.get(cause))));
      out.close("tr");
    }
    out.open("tr", "class", "total");
    TableSections.cells(out, "All causes", Cells.count(sum(events, causes)), Cells.count(sum(interruptions, causes)),
        Cells.compact(allLost(lost, causes)), Cells.compact(allWaiting(lost, causes)));
    out.close("tr").close("tbody").close("table");
  }

  /** The causes, the costliest first (allocated losses plus waiting); ties keep the result's order. */
  private static List<String> byLoss(ReportData data, Map<String, Reliability.LostGpuHours> lost) {
    List<String> causes = new ArrayList<>(data.causes().names());
    causes.sort(Comparator.comparingDouble((String c) -> -cost(lost.get(c))));
    return causes;
  }

  /** Everything a cause cost: allocated losses plus waiting after interruptions, missing values as zero. */
  private static double cost(Reliability.LostGpuHours lost) {
    return zeroIfMissing(lostTotal(lost)) + zeroIfMissing(waiting(lost));
  }

  private static SvgBarRows.Row jobRow(ReportData data, Reliability.LargeJob job, String tenant) {
    String color = data.tenants().color(tenant);
    double goodput = job.goodput();
    double ettr = job.effectiveTrainingTimeRatio();
    String interrupted = Cells.count(job.interruptions())
        + (job.interruptions() == 1 ? " interruption" : " interruptions");
    String id = Cells.text(job.id());
    String label = Cells.count(job.gpus()) + " GPUs · job " + id;
    String note = Cells.percent(goodput) + " · " + Cells.percent(ettr) + " · " + interrupted
        + (job.completed() ? "" : " · running");
    String tip = "Job " + id + " · " + data.tenantLabel(tenant) + "\n"
        + Cells.count(job.gpus()) + " GPUs · " + interrupted + "\ngoodput " + Cells.percent(goodput)
        + " · effective training time ratio " + Cells.percent(ettr)
        + (job.completed() ? "\ncompleted" : "\nstill running at the end");
    return new SvgBarRows.Row(label, color, List.of(
        List.of(new SvgBarRows.Segment(goodput, color, SvgBarRows.Fill.SOLID)),
        List.of(new SvgBarRows.Segment(ettr, color, SvgBarRows.Fill.LIGHT))), note, tip);
  }

  /** One loss of a cause; NaN when the cause has none. */
  private static double hours(Reliability.LostGpuHours lost, Loss loss) {
    return lost == null ? Double.NaN : loss.hours().applyAsDouble(lost);
  }

  private static double waiting(Reliability.LostGpuHours lost) {
    return lost == null ? Double.NaN : lost.waitingAfterInterruption();
  }

  /** The cause's allocated losses (lost work, restart, detection, WAN stalls); NaN when none is given. */
  private static double lostTotal(Reliability.LostGpuHours lost) {
    double total = Double.NaN;
    for (Loss l : LOSSES) {
      total = plus(total, hours(lost, l));
    }
    return total;
  }

  private static double allLost(Map<String, Reliability.LostGpuHours> lost, List<String> causes) {
    double total = Double.NaN;
    for (String c : causes) {
      total = plus(total, lostTotal(lost.get(c)));
    }
    return total;
  }

  private static double allWaiting(Map<String, Reliability.LostGpuHours> lost, List<String> causes) {
    double total = Double.NaN;
    for (String c : causes) {
      total = plus(total, waiting(lost.get(c)));
    }
    return total;
  }

  /** The sum of the named counts; NaN when none is there. */
  private static double sum(Map<String, Long> counts, Collection<String> names) {
    double total = Double.NaN;
    for (String n : names) {
      total = plus(total, ReportData.value(counts, n));
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
  private static double inService(Reliability reliability, double[] healthy) {
    double fraction = reliability.healthyFraction();
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
