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
import java.util.Map;
import java.util.function.DoubleFunction;
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

  /**
   * One measure of the comparison: a console column, an HTML table column and a bar chart, all from this
   * one descriptor, so the page shows exactly the console's text.
   *
   * @param header the column heading (console and HTML table)
   * @param title the bar chart's heading
   * @param note what the figure is and its unit, shown under the chart's heading
   * @param higherIsBetter which way the best policy lies
   * @param value the figure of one policy; NaN where it has none (printed {@code -})
   * @param format the console's text for a value that is not NaN
   */
  public record Metric(String header, String title, String note, boolean higherIsBetter,
      ToDoubleFunction<PolicyRow> value, DoubleFunction<String> format) {

    /** The console's text for this policy's figure: {@code -} where it has none. */
    public String formatted(PolicyRow p) {
      double v = value.applyAsDouble(p);
      return Double.isNaN(v) ? "-" : format.apply(v);
    }

    /** The note with the direction of the best: what a chart says under its heading. */
    public String direction() {
      return note + ", " + (higherIsBetter ? "higher" : "lower") + " is better";
    }

    /**
     * Which policies hold the best figure, compared as printed: two figures that print alike are tied, and
     * when every policy with a figure prints alike, none is marked (there is nothing to choose). Cost: O(policies).
     */
    public boolean[] best(List<PolicyRow> policies) {
      double bestValue = Double.NaN;
      for (PolicyRow p : policies) {
        double v = value.applyAsDouble(p);
        if (!Double.isNaN(v) && (Double.isNaN(bestValue) || (higherIsBetter ? v > bestValue : v < bestValue))) {
          bestValue = v;
        }
      }
      boolean[] best = new boolean[policies.size()];
      if (Double.isNaN(bestValue)) {
        return best;
      }
      String bestText = format.apply(bestValue);
      boolean anyOther = false;
      for (int i = 0; i < best.length; i++) {
        String text = formatted(policies.get(i));
        best[i] = text.equals(bestText);
        anyOther |= !best[i] && !"-".equals(text);
      }
      return anyOther ? best : new boolean[best.length];
    }
  }

  /**
   * The measures compared, in column order: one line each, so a new measure is a one-line change. The
   * per-tenant waits follow the tenants of the first policy's result.
   */
  public static List<Metric> metrics(Comparison compare) {
    List<Metric> m = new ArrayList<>();
    m.add(new Metric("JCT mean", "Mean job completion time", "submit to finish of completed jobs", false,
        PolicyRow::jctMeanHours, Format::hours));
    m.add(new Metric("JCT p95", "p95 job completion time", "submit to finish of completed jobs", false,
        PolicyRow::jctP95Hours, Format::hours));
    for (String t : compare.policies().get(0).waitP95HoursByTenant().keySet()) {
      m.add(new Metric("wait p95 " + t, "p95 queue wait of " + t, "submit to first start", false,
          p -> p.waitP95HoursByTenant().getOrDefault(t, Double.NaN), Format::hours));
    }
    m.add(new Metric("util", "GPU utilization", "allocated ÷ available GPU-hours", true,
        PolicyRow::utilization, Format::percent));
    m.add(new Metric("goodput", "Goodput", "useful ÷ allocated GPU-hours", true, PolicyRow::goodput, Format::percent));
    m.add(new Metric("Jain", "Jain's fairness index", "over tenants' GPU-hours ÷ entitled shares, 1 = fair", true,
        PolicyRow::fairness, v -> Format.fixed(v, 3)));
    m.add(new Metric("preempt", "Preemptions", "jobs stopped by the scheduler", false,
        p -> p.preemptions(), CompareReport::count));
    m.add(new Metric("lost GPU-h", "Lost GPU-hours", "lost work + restart + detection + WAN stall", false,
        PolicyRow::lostGpuHours, CompareReport::count));
    m.add(new Metric("revenue", "Revenue", "USD billed over the window", true,
        PolicyRow::revenueUsd, ConsoleSummary::usd));
    m.add(new Metric("margin", "Margin", "USD revenue less costs over the window", true,
        PolicyRow::marginUsd, ConsoleSummary::usd));
    return m;
  }

  /** The console table: a row per policy, a column per {@link #metrics metric}. */
  public static String text(Comparison compare) {
    List<Metric> metrics = metrics(compare);
    List<String> headers = new ArrayList<>(List.of("policy"));
    metrics.forEach(m -> headers.add(m.header() + ">"));
    TextTable table = new TextTable(headers.toArray(new String[0]));
    for (PolicyRow p : compare.policies()) {
      List<String> row = new ArrayList<>(List.of(p.policy()));
      metrics.forEach(m -> row.add(m.formatted(p)));
      table.row(row.toArray());
    }
    return table.toString();
  }

  /** A self-contained page: the table, and one bar chart per measure with the best policy marked. */
  public static String html(Comparison compare) {
    return ComparePage.render(compare, metrics(compare));
  }

  private static String count(double v) {
    return Format.count(Math.round(v));
  }
}
