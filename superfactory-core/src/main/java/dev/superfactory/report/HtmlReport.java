package dev.superfactory.report;

import dev.superfactory.report.result.RunResult;
import java.util.List;

/**
 * report.html: one self-contained page rendered only from the {@link RunResult} (what
 * {@code result.json} holds). Inline CSS, charts as inline SVG drawn here, a small optional script
 * for tooltips; no network, no timestamps, no random ids, so the same result gives the same bytes.
 * Sections are listed in {@link #SECTIONS}; the optional ones appear when the result has their
 * data. Cost: linear in the result; long series are thinned to at most 1,500 points per line, so
 * a year of hourly samples (8,760 per series) renders in about 0.2 s of CPU in a fresh JVM, 15–30
 * ms warm, into a page of about 300 KB (about 500 KB with the reliability charts: a column a day of
 * failures by cause).
 */
public final class HtmlReport {
  /** The page's sections in order. A new section is a body method plus one line here. */
  static final List<ReportSection> SECTIONS = List.of(
      ReportSection.of("summary", "Summary", OverviewSections::cards),
      ReportSection.of("utilization", "Utilization over time", ChartSections::utilization),
      ReportSection.of("tenant-share", "Utilization per tenant", ChartSections::tenantShare)
          .onlyIf(d -> !d.result().timeseries().byTenant().isEmpty()),
      ReportSection.of("queue", "Queue", ChartSections::queue),
      ReportSection.of("wait-cdf", "Wait-time distribution per tenant", ChartSections::waitCdf),
      ReportSection.of("largest-jobs", "Largest jobs", ChartSections::largestJobs),
      ReportSection.of("reliability", "Reliability", ReliabilitySections::headline)
          .onlyIf(d -> d.result().reliability() != null),
      ReportSection.of("failures", "Failures over time", ReliabilitySections::failures)
          .onlyIf(ReportData::failuresSimulated),
      ReportSection.of("gpu-hours", "Where the GPU-hours went", ReliabilitySections::gpuHours)
          .onlyIf(ReportData::failuresSimulated),
      ReportSection.of("large-job-goodput", "Goodput of the largest jobs", ReliabilitySections::largeJobs)
          .onlyIf(ReportData::failuresSimulated),
      ReportSection.of("tenants", "Tenants", TableSections::tenants),
      ReportSection.of("contracts", "Contracts", EconomicsSections::contracts),
      ReportSection.of("money", "Money", EconomicsSections::money).onlyIf(d -> d.result().economics() != null),
      ReportSection.of("wait-by-size", "Waits by job size", TableSections::waitBySize),
      ReportSection.of("distributions", "Wait and completion times", TableSections::distributions),
      ReportSection.of("jobs", "Jobs and pending reasons", TableSections::jobs));

  private HtmlReport() {}

  public static String render(RunResult result) {
    ReportData data = new ReportData(result);
    List<ReportSection> present = SECTIONS.stream().filter(s -> s.presentIn(data)).toList();
    HtmlWriter out = new HtmlWriter(1 << 18);
    out.raw("<!doctype html>\n");
    out.open("html", "lang", "en").newline();
    head(out, data);
    out.open("body").newline();
    OverviewSections.header(data, out);
    out.newline();
    nav(out, present);
    out.open("main", "class", "wrap").newline();
    for (ReportSection section : present) {
      out.open("section", "id", section.id()).element("h2", section.title());
      section.body().write(data, out);
      out.close("section").newline();
    }
    out.close("main").newline();
    OverviewSections.footer(data, out);
    out.newline().open("script").raw(PageAssets.SCRIPT).close("script").newline();
    out.close("body").newline().close("html").newline();
    return out.finish();
  }

  private static void head(HtmlWriter out, ReportData data) {
    String name = data.result().scenario().name();
    out.open("head").newline();
    out.empty("meta", "charset", "utf-8");
    out.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
    out.element("title", (name == null ? "" : name + " · ") + "Superfactory report").newline();
    out.open("style").raw(PageAssets.CSS).close("style").newline();
    out.close("head").newline();
  }

  private static void nav(HtmlWriter out, List<ReportSection> sections) {
    if (sections.isEmpty()) {
      return;
    }
    out.open("nav", "class", "toc", "aria-label", "Sections").open("ul");
    for (ReportSection s : sections) {
      out.open("li").element("a", s.title(), "href", "#" + s.id()).close("li");
    }
    out.close("ul").close("nav").newline();
  }
}
