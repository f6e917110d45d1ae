package dev.superfactory.report;

import dev.superfactory.report.result.DurationStats;
import dev.superfactory.report.result.JobCounts;
import dev.superfactory.report.result.SizeClassWait;
import dev.superfactory.report.result.TenantSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table sections of the HTML report, one method each: tenants, waits by job size, the wait
 * and completion-time distributions, and the job counts with the reasons jobs were pending at
 * the end. Text columns are left-aligned, numbers right-aligned in tabular figures.
 */
final class TableSections {
  private TableSections() {}

  static void tenants(ReportData data, HtmlWriter out) {
    boolean goodput = data.failuresSimulated();
    ChartSections.lede(out, "Submitted, started and completed jobs in the window, GPU-hours allocated, and each"
        + " tenant's share of all the fleet's GPU-hours"
        + (goodput ? "; goodput is the share of the tenant's allocated GPU-hours that did useful work." : "."));
    out.open("div", "class", "scroll").open("table");
    List<String> headers = new ArrayList<>(List.of("Tenant", "GPU limit", "Submitted", "Started", "Completed",
        "GPU-hours", "Fleet share", "Wait p50", "Wait p95", "Wait p99", "Completion p50"));
    if (goodput) {
      headers.add("Goodput");
    }
    head(out, headers.toArray(String[]::new));
    out.open("tbody");
    for (TenantSummary t : data.result().tenants()) {
      out.open("tr");
      tenantCell(data, out, t);
      cells(out, Cells.count(t.gpuLimit()), Cells.count(t.jobsSubmitted()), Cells.count(t.jobsStarted()),
          Cells.count(t.jobsCompleted()), Cells.compact(t.gpuHours()));
      shareCell(out, t.fleetShare(), data.tenants().color(Cells.text(t.name())));
      cells(out, Cells.hours(t.waitP50Hours()), Cells.hours(t.waitP95Hours()), Cells.hours(t.waitP99Hours()),
          Cells.hours(t.completionP50Hours()));
      if (goodput) {
        cells(out, Cells.percent(ReliabilitySections.tenantGoodput(data, t)));
      }
      out.close("tr");
    }
    out.close("tbody").close("table").close("div");
  }

  static void waitBySize(ReportData data, HtmlWriter out) {
    ChartSections.lede(out, "Waiting time by the number of GPUs a job asks for: large jobs wait for room to free up.");
    double total = 0;
    for (SizeClassWait row : data.result().waitBySize()) {
      total += row.jobs();
    }
    out.open("table");
    head(out, "Job size (GPUs)", "Jobs", "Share of jobs", "Wait p50", "Wait p95", "Wait p99");
    out.open("tbody");
    for (SizeClassWait row : data.result().waitBySize()) {
      out.open("tr");
      cells(out, Cells.text(row.gpus()), Cells.count(row.jobs()),
          Cells.percent(total > 0 ? row.jobs() / total : Double.NaN), Cells.hours(row.p50Hours()),
          Cells.hours(row.p95Hours()), Cells.hours(row.p99Hours()));
      out.close("tr");
    }
    out.close("tbody").close("table");
  }

  static void distributions(ReportData data, HtmlWriter out) {
    ChartSections.lede(out, "Wait: from submission to start. Completion time: from submission to the end of the run.");
    out.open("table");
    head(out, "Distribution", "Jobs", "Mean", "p50", "p90", "p95", "p99", "Max");
    out.open("tbody");
    distributionRow(out, "Wait", data.result().waitTime());
    distributionRow(out, "Completion time", data.result().completionTime());
    out.close("tbody").close("table");
  }

  static void jobs(ReportData data, HtmlWriter out) {
    JobCounts jobs = data.result().jobs();
    out.open("table");
    head(out, "Jobs", "Count");
    out.open("tbody");
    countRow(out, "Carried over from the warm-up", jobs.carriedOver());
    countRow(out, "Submitted in the window", jobs.submitted());
    countRow(out, "Started", jobs.started());
    countRow(out, "Completed", jobs.completed());
    countRow(out, "Running at the end", jobs.runningAtEnd());
    countRow(out, "Pending at the end", jobs.pendingAtEnd());
    countRow(out, "Rejected", jobs.rejected());
    countRow(out, "Ran across sites", jobs.crossSite());
    out.close("tbody").close("table");
    pendingReasons(jobs.pendingReasons(), out);
  }

  private static void countRow(HtmlWriter out, String label, long count) {
    out.open("tr");
    cells(out, label, Cells.count(count));
    out.close("tr");
  }

  private static void pendingReasons(Map<String, Long> reasons, HtmlWriter out) {
    out.element("h3", "Why jobs were pending at the end");
    if (reasons.isEmpty()) {
      ChartSections.empty(out, "No job was pending at the end of the window.");
      return;
    }
    out.open("table");
    head(out, "Reason", "Jobs");
    out.open("tbody");
    for (String reason : reasons.keySet()) {
      out.open("tr");
      cells(out, reason, Cells.count(ReportData.value(reasons, reason)));
      out.close("tr");
    }
    out.close("tbody").close("table");
  }

  private static void distributionRow(HtmlWriter out, String label, DurationStats d) {
    out.open("tr");
    cells(out, label, Cells.count(d.jobs()), Cells.hours(d.meanHours()), Cells.hours(d.p50Hours()),
        Cells.hours(d.p90Hours()), Cells.hours(d.p95Hours()), Cells.hours(d.p99Hours()), Cells.hours(d.maxHours()));
    out.close("tr");
  }

  private static void tenantCell(ReportData data, HtmlWriter out, TenantSummary t) {
    String name = Cells.text(t.name());
    String label = data.tenantLabel(name);
    out.open("td");
    Legend.swatch(out, data.tenants().color(name), Legend.Mark.BOX);
    out.text(label);
    if (!label.equals(name)) {
      out.element("span", name, "class", "sub");
    }
    out.close("td");
  }

  /** The share as text and as a small bar in the tenant's color. */
  private static void shareCell(HtmlWriter out, double share, String color) {
    out.open("td").text(Cells.percent(share));
    if (!Double.isNaN(share)) {
      double width = Math.max(0, Math.min(100, share * 100));
      out.open("span", "class", "share").element("span", "",
          "style", String.format(Locale.ROOT, "width:%.1f%%;background:%s", width, color)).close("span");
    }
    out.close("td");
  }

  static void head(HtmlWriter out, String... headers) {
    out.open("thead").open("tr");
    for (String h : headers) {
      out.element("th", h);
    }
    out.close("tr").close("thead");
  }

  static void cells(HtmlWriter out, String... cells) {
    for (String c : cells) {
      out.element("td", c);
    }
  }
}
