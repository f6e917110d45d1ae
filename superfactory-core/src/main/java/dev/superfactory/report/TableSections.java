package dev.superfactory.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table sections of the HTML report, one method each: tenants, waits by job size, the wait
 * and completion-time distributions, and the job counts with the reasons jobs were pending at
 * the end. Text columns are left-aligned, numbers right-aligned in tabular figures.
 */
final class TableSections {
  private TableSections() {}

  static void tenants(ReportData data, HtmlWriter out) {
    boolean goodput = ReliabilitySections.hasTenantGoodput(data);
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
    for (JsonNode t : data.at("tenants")) {
      out.open("tr");
      tenantCell(data, out, t);
      cells(out, Cells.count(ReportData.number(t, "gpuLimit")), Cells.count(ReportData.number(t, "jobsSubmitted")),
          Cells.count(ReportData.number(t, "jobsStarted")), Cells.count(ReportData.number(t, "jobsCompleted")),
          Cells.compact(ReportData.number(t, "gpuHours")));
      shareCell(out, ReportData.number(t, "fleetShare"), data.tenants().color(nameOf(t)));
      cells(out, Cells.hours(ReportData.number(t, "waitP50Hours")), Cells.hours(ReportData.number(t, "waitP95Hours")),
          Cells.hours(ReportData.number(t, "waitP99Hours")), Cells.hours(ReportData.number(t, "completionP50Hours")));
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
    for (JsonNode row : data.at("waitBySize")) {
      double jobs = ReportData.number(row, "jobs");
      total += Double.isNaN(jobs) ? 0 : jobs;
    }
    out.open("table");
    head(out, "Job size (GPUs)", "Jobs", "Share of jobs", "Wait p50", "Wait p95", "Wait p99");
    out.open("tbody");
    for (JsonNode row : data.at("waitBySize")) {
      double jobs = ReportData.number(row, "jobs");
      out.open("tr");
      cells(out, Cells.text(ReportData.text(row, "gpus")), Cells.count(jobs), Cells.percent(total > 0 ? jobs / total : Double.NaN),
          Cells.hours(ReportData.number(row, "p50Hours")), Cells.hours(ReportData.number(row, "p95Hours")),
          Cells.hours(ReportData.number(row, "p99Hours")));
      out.close("tr");
    }
    out.close("tbody").close("table");
  }

  static void distributions(ReportData data, HtmlWriter out) {
    ChartSections.lede(out, "Wait: from submission to start. Completion time: from submission to the end of the run.");
    out.open("table");
    head(out, "Distribution", "Jobs", "Mean", "p50", "p90", "p95", "p99", "Max");
    out.open("tbody");
    distributionRow(out, "Wait", data.at("wait"));
    distributionRow(out, "Completion time", data.at("completionTime"));
    out.close("tbody").close("table");
  }

  static void jobs(ReportData data, HtmlWriter out) {
    JsonNode jobs = data.at("jobs");
    out.open("table");
    head(out, "Jobs", "Count");
    out.open("tbody");
    for (String[] row : List.of(
        new String[] {"Carried over from the warm-up", "carriedOver"}, new String[] {"Submitted in the window", "submitted"},
        new String[] {"Started", "started"}, new String[] {"Completed", "completed"},
        new String[] {"Running at the end", "runningAtEnd"}, new String[] {"Pending at the end", "pendingAtEnd"},
        new String[] {"Rejected", "rejected"}, new String[] {"Ran across sites", "crossSite"})) {
      out.open("tr");
      cells(out, row[0], Cells.count(ReportData.number(jobs, row[1])));
      out.close("tr");
    }
    out.close("tbody").close("table");
    pendingReasons(jobs.path("pendingReasons"), out);
  }

  private static void pendingReasons(JsonNode reasons, HtmlWriter out) {
    out.element("h3", "Why jobs were pending at the end");
    List<String> names = ReportData.fieldNames(reasons);
    if (names.isEmpty()) {
      ChartSections.empty(out, reasons.isObject() ? "No job was pending at the end of the window." : Cells.DASH);
      return;
    }
    out.open("table");
    head(out, "Reason", "Jobs");
    out.open("tbody");
    for (String reason : names) {
      out.open("tr");
      cells(out, reason, Cells.count(ReportData.number(reasons, reason)));
      out.close("tr");
    }
    out.close("tbody").close("table");
  }

  private static void distributionRow(HtmlWriter out, String label, JsonNode d) {
    out.open("tr");
    cells(out, label, Cells.count(ReportData.number(d, "jobs")), Cells.hours(ReportData.number(d, "meanHours")),
        Cells.hours(ReportData.number(d, "p50Hours")), Cells.hours(ReportData.number(d, "p90Hours")),
        Cells.hours(ReportData.number(d, "p95Hours")), Cells.hours(ReportData.number(d, "p99Hours")),
        Cells.hours(ReportData.number(d, "maxHours")));
    out.close("tr");
  }

  private static void tenantCell(ReportData data, HtmlWriter out, JsonNode t) {
    String name = nameOf(t);
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

  private static String nameOf(JsonNode tenant) {
    return Cells.text(ReportData.text(tenant, "name"));
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
