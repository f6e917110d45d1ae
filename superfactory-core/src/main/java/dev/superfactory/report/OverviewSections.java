package dev.superfactory.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The report's frame and headline: the header with the scenario facts, the summary cards, and the
 * footer with how the run went. Every value goes through {@link Cells}, so a missing one reads "–".
 */
final class OverviewSections {
  private OverviewSections() {}

  static void header(ReportData data, HtmlWriter out) {
    JsonNode s = data.at("scenario");
    out.open("header", "class", "top").open("div", "class", "wrap");
    out.element("p", "Superfactory · simulation report", "class", "kicker");
    out.element("h1", Cells.text(ReportData.text(s, "name")));
    out.open("dl", "class", "facts");
    fact(out, "Source", Cells.text(ReportData.text(s, "source")));
    fact(out, "Policy", Cells.text(ReportData.text(s, "policy")));
    fact(out, "Workload", Cells.text(ReportData.text(s, "workload")));
    fact(out, "Seed", Cells.text(ReportData.text(s, "seed")));
    fact(out, "Window", Cells.days(ReportData.number(s, "horizonDays")));
    fact(out, "Warm-up", Cells.days(ReportData.number(s, "warmupDays")));
    if (s.has("offeredLoad")) {
      fact(out, "Offered load", Cells.percent(ReportData.number(s, "offeredLoad")));
    }
    fact(out, "Demanded load", Cells.percent(ReportData.number(s, "demandedLoad")));
    fact(out, "Sampled every", Cells.hours(ReportData.number(s, "sampleIntervalHours")));
    fact(out, "Fleet", Cells.count(ReportData.number(data.at("fleet"), "totalGpus")) + " GPUs");
    sites(data, out);
    out.close("dl");
    out.close("div").close("header");
  }

  /** The headline numbers a capacity planner looks at first. */
  static void cards(ReportData data, HtmlWriter out) {
    JsonNode jobs = data.at("jobs");
    JsonNode wait = data.at("wait");
    out.open("div", "class", "cards");
    card(out, "Utilization", Cells.percent(ReportData.number(data.at("utilization"), "allocated")),
        "of " + Cells.count(ReportData.number(data.at("fleet"), "totalGpus")) + " GPUs");
    card(out, "Jobs completed", Cells.count(ReportData.number(jobs, "completed")), submitted(jobs));
    card(out, "Pending at end", Cells.count(ReportData.number(jobs, "pendingAtEnd")), runningAndRejected(jobs));
    card(out, "Wait p50", Cells.hours(ReportData.number(wait, "p50Hours")),
        "mean " + Cells.hours(ReportData.number(wait, "meanHours")));
    card(out, "Wait p95", Cells.hours(ReportData.number(wait, "p95Hours")),
        "p90 " + Cells.hours(ReportData.number(wait, "p90Hours")));
    card(out, "Wait p99", Cells.hours(ReportData.number(wait, "p99Hours")),
        "max " + Cells.hours(ReportData.number(wait, "maxHours")));
    card(out, "Cross-site jobs", Cells.count(ReportData.number(jobs, "crossSite")),
        Cells.compact(ReportData.number(jobs, "crossSiteGpuHours")) + " GPU-hours across sites");
    out.close("div");
  }

  static void footer(ReportData data, HtmlWriter out) {
    JsonNode run = data.at("run");
    out.open("footer").open("div", "class", "wrap");
    out.element("p", "Run: " + Cells.number(ReportData.number(run, "wallSeconds"), 3) + " s wall time · "
        + Cells.count(ReportData.number(run, "events")) + " events · "
        + Cells.count(ReportData.number(run, "eventsPerSecond")) + " events/s · peak heap "
        + Cells.number(ReportData.number(run, "peakHeapMiB"), 1) + " MiB");
    out.element("p", "Superfactory " + Cells.text(ReportData.text(run, "version")) + " · Java "
        + Cells.text(ReportData.text(run, "java")) + " · rendered from result.json, the source of truth");
    out.close("div").close("footer");
  }

  private static void fact(HtmlWriter out, String label, String value) {
    out.open("div").element("dt", label).element("dd", value).close("div");
  }

  private static void sites(ReportData data, HtmlWriter out) {
    JsonNode sites = data.at("fleet.sites");
    if (!sites.isArray() || sites.isEmpty()) {
      return;
    }
    out.open("div").element("dt", "Sites").open("dd");
    String separator = "";
    for (JsonNode site : sites) {
      String name = Cells.text(ReportData.text(site, "name"));
      out.text(separator);
      Legend.swatch(out, data.sites().color(name), Legend.Mark.BOX);
      out.text(name + " " + Cells.count(ReportData.number(site, "gpus")));
      separator = "  ";
    }
    out.close("dd").close("div");
  }

  static void card(HtmlWriter out, String label, String value, String sub) {
    out.open("div", "class", "card");
    out.element("div", label, "class", "label");
    out.element("div", value, "class", "value");
    out.element("div", sub, "class", "sub");
    out.close("div");
  }

  private static String submitted(JsonNode jobs) {
    String s = "of " + Cells.count(ReportData.number(jobs, "submitted")) + " submitted";
    double carried = ReportData.number(jobs, "carriedOver");
    return carried > 0 ? s + ", " + Cells.count(carried) + " carried over" : s;
  }

  private static String runningAndRejected(JsonNode jobs) {
    String s = Cells.count(ReportData.number(jobs, "runningAtEnd")) + " running at end";
    double rejected = ReportData.number(jobs, "rejected");
    return rejected > 0 ? s + ", " + Cells.count(rejected) + " rejected" : s;
  }
}
