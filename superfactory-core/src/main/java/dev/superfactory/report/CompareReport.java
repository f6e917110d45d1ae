package dev.superfactory.report;

import dev.superfactory.report.result.EconomicsSummary;
import dev.superfactory.report.result.Reliability;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.ScenarioInfo;
import dev.superfactory.report.result.TenantSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code superfactory compare}: one row per policy, built from the policies' {@link RunResult}s,
 * rendered as a console table, {@code compare.json} (the {@link Comparison} record, written by
 * {@link ResultJson}) and a self-contained {@code compare.html}. Cost: O(policies · tenants).
 */
public final class CompareReport {
  private CompareReport() {}

  /**
   * {@code compare.json}: the scenario the policies shared (without its policy) and one row per policy.
   *
   * @param policies in the order given
   */
  public record Comparison(ScenarioInfo scenario, List<PolicyRow> policies) {
    public Comparison {
      policies = List.copyOf(policies);
    }
  }

  /**
   * The figures a planner compares, for one policy. Hours, fractions and money as in result.json;
   * NaN (null in the file) where the result has no value.
   *
   * @param waitP95HoursByTenant each tenant's p95 wait, in the result's tenant order
   * @param lostGpuHours allocated GPU-hours lost to failures: lost work + restart + detection + WAN stall
   */
  public record PolicyRow(
      String policy,
      double jctMeanHours,
      double jctP95Hours,
      double waitP95Hours,
      Map<String, Double> waitP95HoursByTenant,
      double utilization,
      double goodput,
      double fairness,
      long preemptions,
      double lostGpuHours,
      double revenueUsd,
      double marginUsd,
      long jobsCompleted,
      long pendingAtEnd) {
    public PolicyRow {
      waitP95HoursByTenant = Collections.unmodifiableMap(new LinkedHashMap<>(waitP95HoursByTenant));
    }
  }

  /** The comparison: per policy the figures a planner compares, in the order given. */
  public static Comparison compare(List<String> policies, List<RunResult> results) {
    if (policies.size() != results.size() || results.isEmpty()) {
      throw new IllegalArgumentException(policies.size() + " policies for " + results.size() + " results");
    }
    List<PolicyRow> rows = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      rows.add(row(policies.get(i), results.get(i)));
    }
    return new Comparison(results.get(0).scenario().withoutPolicy(), rows);
  }

  private static PolicyRow row(String policy, RunResult r) {
    Map<String, Double> byTenant = new LinkedHashMap<>();
    for (TenantSummary t : r.tenants()) {
      byTenant.put(t.name(), t.waitP95Hours());
    }
    Reliability rel = r.reliability();
    EconomicsSummary e = r.economics();
    return new PolicyRow(policy, r.completionTime().meanHours(), r.completionTime().p95Hours(),
        r.waitTime().p95Hours(), byTenant, r.utilization().allocated(), rel == null ? Double.NaN : rel.goodput(),
        r.fairness(), r.preemptions(), rel == null ? Double.NaN : lostGpuHours(rel.gpuHours()),
        e == null ? Double.NaN : e.revenueUsd(), e == null ? Double.NaN : e.marginUsd(), r.jobs().completed(),
        r.jobs().pendingAtEnd());
  }

  private static double lostGpuHours(Reliability.GpuHours h) {
    return Format.round(h.lostWork() + h.restart() + h.detection() + h.wanStall(), 3);
  }

  public static String text(Comparison compare) {
    List<String> tenants = new ArrayList<>(compare.policies().get(0).waitP95HoursByTenant().keySet());
    List<String> headers = new ArrayList<>(List.of("policy", "JCT mean>", "JCT p95>"));
    for (String t : tenants) {
      headers.add("wait p95 " + t + ">");
    }
    headers.addAll(List.of("util>", "goodput>", "Jain>", "preempt>", "lost GPU-h>", "revenue>", "margin>"));
    TextTable table = new TextTable(headers.toArray(new String[0]));
    for (PolicyRow p : compare.policies()) {
      List<Object> row = new ArrayList<>();
      row.add(p.policy());
      row.add(Format.hours(p.jctMeanHours()));
      row.add(Format.hours(p.jctP95Hours()));
      for (String t : tenants) {
        Double wait = p.waitP95HoursByTenant().get(t);
        row.add(Format.hours(wait == null ? Double.NaN : wait));
      }
      row.add(Format.percent(p.utilization()));
      row.add(Format.percent(p.goodput()));
      row.add(Double.isNaN(p.fairness()) ? "-" : Format.fixed(p.fairness(), 3));
      row.add(Format.count(p.preemptions()));
      row.add(Format.count(Math.round(p.lostGpuHours())));
      row.add(ConsoleSummary.usd(p.revenueUsd()));
      row.add(ConsoleSummary.usd(p.marginUsd()));
      table.row(row.toArray());
    }
    return table.toString();
  }

  /** A self-contained page: the table, and one bar chart per measure with the best policy marked. */
  public static String html(Comparison compare) {
    ScenarioInfo scenario = compare.scenario();
    HtmlWriter w = new HtmlWriter();
    w.raw("<!DOCTYPE html>").newline();
    w.open("html", "lang", "en").open("head").empty("meta", "charset", "utf-8")
        .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
        .element("title", "Superfactory policy comparison: " + scenario.name())
        .open("style").raw(PageAssets.CSS).raw(EXTRA_CSS).close("style").close("head");
    w.open("body");
    w.open("header", "class", "top").open("div", "class", "wrap")
        .element("p", "Superfactory · policy comparison", "class", "kicker")
        .element("h1", scenario.name())
        .element("p", String.format(Locale.ROOT, "%s days, seed %s, workload %s. Every policy ran the same jobs.",
            Double.toString(scenario.horizonDays()), scenario.seed(), scenario.workload()), "class", "sub")
        .close("div").close("header");
    w.open("main").open("div", "class", "wrap");
    w.open("section").element("h2", "Summary").open("div", "class", "tablewrap").raw("<pre class=\"cmp\">")
        .text(text(compare)).raw("</pre>").close("div").close("section");
    bars(w, compare, PolicyRow::jctMeanHours, "Mean job completion time", "hours, lower is better", false);
    bars(w, compare, PolicyRow::jctP95Hours, "p95 job completion time", "hours, lower is better", false);
    bars(w, compare, PolicyRow::utilization, "GPU utilization", "allocated ÷ available GPU-hours, higher is better",
        true);
    bars(w, compare, PolicyRow::goodput, "Goodput", "useful ÷ allocated GPU-hours, higher is better", true);
    bars(w, compare, PolicyRow::fairness, "Jain's fairness index",
        "over tenants' GPU-hours ÷ entitled shares, 1 = fair", true);
    bars(w, compare, PolicyRow::lostGpuHours, "Lost GPU-hours",
        "lost work + restart + detection + WAN stall, lower is better", false);
    bars(w, compare, PolicyRow::marginUsd, "Margin", "USD over the window, higher is better", true);
    w.close("div").close("main").close("body").close("html");
    return w.finish();
  }

  private static void bars(HtmlWriter w, Comparison compare, ToDoubleFunction<PolicyRow> measure, String title,
      String note, boolean higher) {
    double max = 0;
    double best = higher ? -Double.MAX_VALUE : Double.MAX_VALUE;
    for (PolicyRow p : compare.policies()) {
      double v = measure.applyAsDouble(p);
      if (!Double.isNaN(v)) {
        max = Math.max(max, Math.abs(v));
        best = higher ? Math.max(best, v) : Math.min(best, v);
      }
    }
    w.open("section").element("h2", title).element("p", note, "class", "note");
    for (PolicyRow p : compare.policies()) {
      double v = measure.applyAsDouble(p);
      double width = Double.isNaN(v) || max <= 0 ? 0 : 100 * Math.abs(v) / max;
      boolean isBest = !Double.isNaN(v) && v == best;
      w.open("div", "class", "barrow")
          .element("span", p.policy(), "class", "barlabel")
          .open("span", "class", "bartrack")
          .open("span", "class", isBest ? "bar best" : "bar",
              "style", String.format(Locale.ROOT, "width:%.2f%%", width)).close("span")
          .close("span")
          .element("span", Double.isNaN(v) ? "–" : Format.fixed(v, Math.abs(v) < 10 ? 3 : 0), "class", "barvalue")
          .close("div");
    }
    w.close("section");
  }

  private static final String EXTRA_CSS = ".sub{margin:0;color:#c9d4df}"
      + "pre.cmp{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;overflow-x:auto;margin:0}"
      + ".barrow{display:flex;align-items:center;gap:10px;margin:4px 0}"
      + ".barlabel{width:120px;font-size:13px}.bartrack{flex:1;background:#eef1f4;border-radius:3px;height:14px}"
      + ".bar{display:block;height:14px;border-radius:3px;background:#7b93ad}.bar.best{background:#2f7d4f}"
      + ".barvalue{width:110px;text-align:right;font-variant-numeric:tabular-nums;font-size:13px}"
      + ".note{color:#66707d;margin:0 0 8px;font-size:13px}";
}
