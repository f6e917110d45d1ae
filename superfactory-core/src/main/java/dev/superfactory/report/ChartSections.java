package dev.superfactory.report;

import dev.superfactory.report.result.Counts;
import dev.superfactory.report.result.LargestJob;
import dev.superfactory.report.result.Samples;
import dev.superfactory.report.result.TenantSummary;
import dev.superfactory.report.result.Timeseries;
import dev.superfactory.report.result.WaitCdf;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chart sections of the HTML report, one method each: utilization over time, per-tenant
 * share, the queue, the wait-time CDF, and the largest jobs on a timeline. A section whose data is
 * partly missing draws what it has and says what it lacks.
 */
final class ChartSections {
  private static final String QUEUE_JOBS = "#4a6382";
  private static final String QUEUE_GPUS = "#7a5c99";
  static final String NEUTRAL = "#6b7280";

  private ChartSections() {}

  static void utilization(ReportData data, HtmlWriter out) {
    Timeseries ts = data.result().timeseries();
    double[] hours = ts.hours().toArray();
    List<Series> lines = new ArrayList<>();
    List<Legend.Entry> legend = new ArrayList<>();
    for (Map.Entry<String, Samples> site : ts.bySite().entrySet()) {
      String color = data.sites().color(site.getKey());
      lines.add(new Series(site.getKey(), color, site.getValue().toArray()));
      legend.add(new Legend.Entry(site.getKey(), color, Legend.Mark.LINE,
          Cells.percent(ReportData.value(data.result().utilization().bySite(), site.getKey())) + " mean"));
    }
    if (!ts.allocated().isEmpty()) {
      lines.add(new Series("Total", Palette.TOTAL, ts.allocated().toArray(), Series.Stroke.BOLD));
      legend.add(0, new Legend.Entry("Total", Palette.TOTAL, Legend.Mark.BOLD,
          Cells.percent(data.result().utilization().allocated()) + " mean"));
    }
    lede(out, "Share of GPUs allocated to jobs, in total and per site, sampled every "
        + Cells.hours(data.result().scenario().sampleIntervalHours())
        + ". Lines keep each pixel column's minimum and maximum; hover for means.");
    if (hours.length == 0 || lines.isEmpty()) {
      empty(out, "No utilization samples in this result.");
      return;
    }
    Legend.write(out, legend);
    figure(out, () -> SvgLineChart.render(out, "Utilization over time, total and per site", Frame.timeChart(300),
        data.time(), hours, ValueAxis.percent("GPUs allocated (%)"), lines, false, HoverBands.Summary.MEAN));
  }

  static void tenantShare(ReportData data, HtmlWriter out) {
    Timeseries ts = data.result().timeseries();
    double[] hours = ts.hours().toArray();
    List<Series> layers = new ArrayList<>();
    List<Legend.Entry> legend = new ArrayList<>();
    for (String tenant : inPaletteOrder(data.tenants(), new ArrayList<>(ts.byTenant().keySet()))) {
      String color = data.tenants().color(tenant);
      String label = data.tenantLabel(tenant);
      layers.add(new Series(label, color, ts.byTenant().get(tenant).toArray()));
      legend.add(new Legend.Entry(label, color, Legend.Mark.BOX,
          Cells.percent(ReportData.value(data.result().utilization().byTenant(), tenant)) + " of the fleet"));
    }
    lede(out, "Each tenant's share of all the fleet's GPUs, stacked, so the top edge is the fleet's utilization."
        + " Thinned by averaging per pixel column.");
    if (hours.length == 0 || layers.isEmpty()) {
      empty(out, "No per-tenant samples in this result.");
      return;
    }
    Legend.write(out, legend);
    figure(out, () -> SvgStackedArea.render(out, "Share of the fleet per tenant over time", Frame.timeChart(300),
        data.time(), hours, ValueAxis.percent("share of the fleet's GPUs (%)"), layers));
  }

  static void queue(ReportData data, HtmlWriter out) {
    Timeseries ts = data.result().timeseries();
    double[] hours = ts.hours().toArray();
    lede(out, "Jobs waiting to start and the GPUs they ask for. Thinning keeps every peak; hover shows the peak"
        + " per band. At the end: " + Cells.count(data.result().jobs().pendingAtEnd())
        + " pending, " + Cells.count(data.result().jobs().runningAtEnd()) + " running.");
    boolean drawn = queueChart(data, out, hours, ts.pendingJobs(), "Pending jobs", "jobs", QUEUE_JOBS);
    drawn |= queueChart(data, out, hours, ts.pendingGpus(), "Pending GPUs", "GPUs requested", QUEUE_GPUS);
    if (!drawn) {
      empty(out, "No queue samples in this result.");
    }
    pendingByReason(data, out, hours, ts.pendingGpusByReason());
  }

  /** Colors of the kernel's pending reasons, in its order (new, no capacity, fragmented, tenant limit, …). */
  private static final String[] REASON_COLORS = {"#9ca3af", "#c2410c", "#f59e0b", "#7a5c99", "#4a6382", "#0e7490",
    "#be123c"};

  /** The pending GPUs stacked by why they wait, so a planner sees what holds the queue. */
  private static void pendingByReason(ReportData data, HtmlWriter out, double[] hours, Map<String, Counts> byReason) {
    if (hours.length == 0 || byReason.isEmpty()) {
      return;
    }
    List<Series> layers = new ArrayList<>();
    List<Legend.Entry> legend = new ArrayList<>();
    double max = 0;
    double[] total = new double[hours.length];
    int i = 0;
    for (Map.Entry<String, Counts> e : byReason.entrySet()) {
      double[] v = e.getValue().toDoubles();
      String color = REASON_COLORS[i++ % REASON_COLORS.length];
      layers.add(new Series(e.getKey(), color, v));
      for (int k = 0; k < Math.min(v.length, total.length); k++) {
        total[k] += Double.isNaN(v[k]) ? 0 : v[k];
        max = Math.max(max, total[k]);
      }
      legend.add(new Legend.Entry(e.getKey(), color, Legend.Mark.BOX, Cells.count(Math.round(
          ReportData.value(data.result().utilization().pendingGpusByReason(), e.getKey()))) + " GPUs on average"));
    }
    out.element("h3", "Pending GPUs by reason");
    lede(out, "The GPUs asked for by pending jobs, stacked by the reason the scheduler last gave for each job"
        + " (tenant-limit: its tenant holds its GPU limit; no-capacity and fragmented: not enough free GPUs in whole"
        + " domains where it may run; behind-head and reservation: queue order). Averaged per pixel column.");
    Legend.write(out, legend);
    ValueAxis axis = ValueAxis.counts(max, "GPUs requested");
    figure(out, () -> SvgStackedArea.render(out, "Pending GPUs by reason over time", Frame.timeChart(220), data.time(),
        hours, axis, layers));
  }

  static void waitCdf(ReportData data, HtmlWriter out) {
    WaitCdf cdf = data.result().waitCdf();
    double[] hours = cdf.hours().toArray();
    List<Series> curves = new ArrayList<>();
    List<Legend.Entry> legend = new ArrayList<>();
    for (String tenant : inPaletteOrder(data.tenants(), new ArrayList<>(cdf.byTenant().keySet()))) {
      double[] shares = cdf.byTenant().get(tenant).toArray();
      Series s = new Series(data.tenantLabel(tenant), data.tenants().color(tenant), shares);
      curves.add(s);
      legend.add(new Legend.Entry(s.label(), s.color(), Legend.Mark.LINE,
          hasValue(s.values()) ? "p99 " + Cells.hours(tenantWaitP99(data, tenant)) : "no jobs"));
    }
    if (!cdf.all().isEmpty()) {
      curves.add(new Series("All jobs", Palette.TOTAL, cdf.all().toArray(), Series.Stroke.DASHED));
      legend.add(new Legend.Entry("All jobs", Palette.TOTAL, Legend.Mark.DASHED,
          "p99 " + Cells.hours(data.result().waitTime().p99Hours())));
    }
    double floor = SvgCdfChart.floor(curves);
    lede(out, "The share of jobs that started within a given wait, per tenant; higher and further left is better,"
        + " and curves at 100% lie on top of each other."
        + (floor > 0 ? " The y axis starts at " + Cells.number(floor * 100, 2) + "% to show the tail." : ""));
    if (!SvgCdfChart.drawable(hours)) {
      empty(out, "The result has too few wait-time points for a chart.");
      return;
    }
    Legend.write(out, legend);
    figure(out, () -> SvgCdfChart.render(out, "Wait-time distribution per tenant", hours, curves));
  }

  static void largestJobs(ReportData data, HtmlWriter out) {
    List<SvgTimeline.Bar> bars = new ArrayList<>();
    Set<String> tenants = new LinkedHashSet<>();
    for (LargestJob job : data.result().largestJobs()) {
      String tenant = Cells.text(job.tenant());
      tenants.add(tenant);
      bars.add(new SvgTimeline.Bar(Cells.text(job.id()), data.tenantLabel(tenant), data.tenants().color(tenant),
          job.gpus(), job.submitHours(), job.startHours(), job.endHours(), job.gpusBySite()));
    }
    lede(out, "The " + bars.size() + " largest jobs that ran during the window, largest first. Light: waiting to"
        + " start; solid: running. ◂ began before the window; ▸ still running at its end. Bold labels span sites.");
    if (bars.isEmpty()) {
      empty(out, "No jobs ran in the window.");
      return;
    }
    List<Legend.Entry> legend = new ArrayList<>();
    for (String tenant : inPaletteOrder(data.tenants(), new ArrayList<>(tenants))) {
      legend.add(new Legend.Entry(data.tenantLabel(tenant), data.tenants().color(tenant), Legend.Mark.BOX));
    }
    legend.add(new Legend.Entry("waiting", NEUTRAL, Legend.Mark.LIGHT));
    legend.add(new Legend.Entry("running", NEUTRAL, Legend.Mark.BOX));
    Legend.write(out, legend);
    figure(out, () -> SvgTimeline.render(out, "The largest jobs on a timeline", data.time(), bars, data.sites()));
  }

  private static boolean queueChart(ReportData data, HtmlWriter out, double[] hours, Counts counts, String title,
      String unit, String color) {
    double[] values = counts.toDoubles();
    if (hours.length == 0 || values.length == 0) {
      return false;
    }
    double max = 0;
    for (double v : values) {
      max = v > max ? v : max;
    }
    out.element("h3", title);
    ValueAxis axis = ValueAxis.counts(max, unit);
    figure(out, () -> SvgLineChart.render(out, title + " over time", Frame.timeChart(190), data.time(), hours, axis,
        List.of(new Series(title, color, values)), true, HoverBands.Summary.PEAK));
    return true;
  }

  /** The names in the palette's order (so legends list tenants the same way everywhere), unknown ones last. */
  static List<String> inPaletteOrder(Palette palette, List<String> names) {
    List<String> ordered = new ArrayList<>();
    for (String known : palette.names()) {
      if (names.contains(known)) {
        ordered.add(known);
      }
    }
    for (String name : names) {
      if (!ordered.contains(name)) {
        ordered.add(name);
      }
    }
    return ordered;
  }

  private static double tenantWaitP99(ReportData data, String tenant) {
    for (TenantSummary t : data.result().tenants()) {
      if (tenant.equals(t.name())) {
        return t.waitP99Hours();
      }
    }
    return Double.NaN;
  }

  private static boolean hasValue(double[] values) {
    for (double v : values) {
      if (!Double.isNaN(v)) {
        return true;
      }
    }
    return false;
  }

  static void figure(HtmlWriter out, Runnable chart) {
    out.open("figure", "class", "chart");
    chart.run();
    out.close("figure");
  }

  static void lede(HtmlWriter out, String text) {
    out.element("p", text, "class", "lede");
  }

  static void empty(HtmlWriter out, String text) {
    out.element("p", text, "class", "empty");
  }
}
