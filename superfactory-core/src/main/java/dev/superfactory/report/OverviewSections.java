package dev.superfactory.report;

import dev.superfactory.report.result.DurationStats;
import dev.superfactory.report.result.FleetSummary;
import dev.superfactory.report.result.JobCounts;
import dev.superfactory.report.result.RunInfo;
import dev.superfactory.report.result.Utilization;
import dev.superfactory.report.result.ScenarioInfo;

/**
 * The report's frame and headline: the header with the scenario facts, the summary cards, and the
 * footer with how the run went. Every value goes through {@link Cells}, so a missing one reads "–".
 */
final class OverviewSections {
  private OverviewSections() {}

  static void header(ReportData data, HtmlWriter out) {
    ScenarioInfo s = data.result().scenario();
    out.open("header", "class", "top").open("div", "class", "wrap");
    out.element("p", "Superfactory · simulation report", "class", "kicker");
    out.element("h1", Cells.text(s.name()));
    out.open("dl", "class", "facts");
    fact(out, "Source", Cells.text(s.source()));
    fact(out, "Policy", Cells.text(s.policy()));
    if (s.siteChoice() != null && data.result().fleet().sites().size() > 1) {
      fact(out, "Site choice", Cells.text(s.siteChoice()));
    }
    fact(out, "Workload", Cells.text(s.workload()));
    fact(out, "Seed", Long.toString(s.seed()));
    fact(out, "Window", Cells.days(s.horizonDays()));
    fact(out, "Warm-up", Cells.days(s.warmupDays()));
    if (s.offeredLoad() != null) {
      fact(out, "Offered load", Cells.percent(s.offeredLoad()));
    }
    Utilization u = data.result().utilization();
    fact(out, "Submitted", Cells.percent(u.submitted()));
    fact(out, "Demand", Cells.percent(u.demand()) + " (allocated + pending)");
    fact(out, "Useful", Cells.percent(u.useful()) + " (allocated × goodput)");
    fact(out, "Idle", ConsoleSummary.idle(u) + " (no job waiting + tenant limit + does not fit + queue order)");
    fact(out, "Down", Cells.percent(u.down()));
    fact(out, "Sampled every", Cells.hours(s.sampleIntervalHours()));
    fact(out, "Fleet", Cells.count(data.result().fleet().totalGpus()) + " GPUs");
    sites(data, out);
    out.close("dl");
    out.close("div").close("header");
  }

  /** The headline numbers a capacity planner looks at first. */
  static void cards(ReportData data, HtmlWriter out) {
    JobCounts jobs = data.result().jobs();
    DurationStats wait = data.result().waitTime();
    out.open("div", "class", "cards");
    card(out, "Utilization", Cells.percent(data.result().utilization().allocated()),
        "of " + Cells.count(data.result().fleet().totalGpus()) + " GPUs");
    card(out, "Jobs completed", Cells.count(jobs.completed()), submitted(jobs));
    card(out, "Pending at end", Cells.count(jobs.pendingAtEnd()), runningAndRejected(jobs));
    card(out, "Wait p50", Cells.hours(wait.p50Hours()), "mean " + Cells.hours(wait.meanHours()));
    card(out, "Wait p95", Cells.hours(wait.p95Hours()), "p90 " + Cells.hours(wait.p90Hours()));
    card(out, "Wait p99", Cells.hours(wait.p99Hours()), "max " + Cells.hours(wait.maxHours()));
    DurationStats perGpu = data.result().gpuWeightedWait();
    card(out, "Wait p95 per GPU", Cells.hours(perGpu.p95Hours()), "pending jobs at their age; p99 "
        + Cells.hours(perGpu.p99Hours()));
    card(out, "Cross-site jobs", Cells.count(jobs.crossSite()),
        Cells.compact(jobs.crossSiteGpuHours()) + " GPU-hours across sites");
    out.close("div");
  }

  /** How the run went; dashes for a result without its {@code run} section. */
  static void footer(ReportData data, HtmlWriter out) {
    RunInfo run = data.result().run();
    boolean known = run != null;
    out.open("footer").open("div", "class", "wrap");
    out.element("p", "Run: event loop " + Cells.number(known ? run.wallSeconds() : Double.NaN, 3) + " s wall time · "
        + (known ? Cells.count(run.events()) : Cells.DASH) + " events · "
        + (known ? Cells.count(run.eventsPerSecond()) : Cells.DASH) + " events/s · peak heap "
        + Cells.number(known ? run.peakHeapMiB() : Double.NaN, 1) + " MiB");
    out.element("p", "Superfactory " + Cells.text(known ? run.version() : null) + " · Java "
        + Cells.text(known ? run.java() : null) + " · rendered from result.json, the source of truth");
    out.close("div").close("footer");
  }

  private static void fact(HtmlWriter out, String label, String value) {
    out.open("div").element("dt", label).element("dd", value).close("div");
  }

  private static void sites(ReportData data, HtmlWriter out) {
    if (data.result().fleet().sites().isEmpty()) {
      return;
    }
    out.open("div").element("dt", "Sites").open("dd");
    String separator = "";
    for (FleetSummary.Site site : data.result().fleet().sites()) {
      String name = Cells.text(site.name());
      out.text(separator);
      Legend.swatch(out, data.sites().color(name), Legend.Mark.BOX);
      out.text(name + " " + Cells.count(site.gpus()));
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

  private static String submitted(JobCounts jobs) {
    String s = "of " + Cells.count(jobs.submitted()) + " submitted";
    return jobs.carriedOver() > 0 ? s + ", " + Cells.count(jobs.carriedOver()) + " carried over" : s;
  }

  private static String runningAndRejected(JobCounts jobs) {
    String s = Cells.count(jobs.runningAtEnd()) + " running at end";
    return jobs.rejected() > 0 ? s + ", " + Cells.count(jobs.rejected()) + " rejected" : s;
  }
}
