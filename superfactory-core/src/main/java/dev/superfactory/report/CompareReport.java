package dev.superfactory.report;

import dev.superfactory.report.result.EconomicsSummary;
import dev.superfactory.report.result.Reliability;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.ScenarioInfo;
import dev.superfactory.report.result.TenantSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
   * {@code compare.json}: the scenario the policies shared (without its policy), the objective the
   * policies are ranked on, and one row per policy, best first.
   *
   * @param objective the {@link Metric#key key} of the measure the rows are ranked on
   * @param policies best first on the objective (ties and policies without a figure keep the order given)
   */
  public record Comparison(ScenarioInfo scenario, String objective, List<PolicyRow> policies) {
    public Comparison {
      policies = List.copyOf(policies);
    }
  }

  /** The objective unless the user names another: GPU-weighted mean slowdown, pending jobs counted. */
  public static final String DEFAULT_OBJECTIVE = "slowdown";

  /**
   * The figures a planner compares, for one policy. Hours, fractions and money as in result.json;
   * NaN (null in the file) where the result has no value.
   *
   * @param rank 1 for the best on the comparison's objective
   * @param waitP95HoursByTenant each tenant's p95 wait per GPU, pending jobs counted at their age, in
   *     the result's tenant order
   * @param unservedGpuHours GPU-hours asked for by the window's jobs that never started
   * @param slowdown GPU-weighted mean bounded slowdown, pending jobs counted at their age
   * @param lostGpuHours allocated GPU-hours not kept: work lost to failures and preemptions + restart +
   *     detection + WAN stall
   */
  public record PolicyRow(
      String policy,
      int rank,
      long jobsSubmitted,
      long jobsCompleted,
      long pendingAtEnd,
      long rejected,
      double unservedGpuHours,
      double slowdown,
      double gpuWaitP95Hours,
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
      double marginUsd) {
    public PolicyRow {
      waitP95HoursByTenant = Collections.unmodifiableMap(new LinkedHashMap<>(waitP95HoursByTenant));
    }

    PolicyRow withRank(int r) {
      return new PolicyRow(policy, r, jobsSubmitted, jobsCompleted, pendingAtEnd, rejected, unservedGpuHours,
          slowdown, gpuWaitP95Hours, jctMeanHours, jctP95Hours, waitP95Hours, waitP95HoursByTenant, utilization,
          goodput, fairness, preemptions, lostGpuHours, revenueUsd, marginUsd);
    }
  }

  /** The comparison ranked on the {@link #DEFAULT_OBJECTIVE default objective}. */
  public static Comparison compare(List<String> policies, List<RunResult> results) {
    return compare(policies, results, DEFAULT_OBJECTIVE);
  }

  /**
   * The comparison: per policy the figures a planner compares, ranked on {@code objective} (a
   * {@link Metric#key}; an unknown one is an {@link IllegalArgumentException} naming the known ones).
   */
  public static Comparison compare(List<String> policies, List<RunResult> results, String objective) {
    if (policies.size() != results.size() || results.isEmpty()) {
      throw new IllegalArgumentException(policies.size() + " policies for " + results.size() + " results");
    }
    List<PolicyRow> rows = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      rows.add(row(policies.get(i), results.get(i)));
    }
    Comparison unranked = new Comparison(results.get(0).scenario().withoutPolicy(), objective, rows);
    Metric m = metric(unranked, objective);
    List<PolicyRow> ranked = new ArrayList<>(rows);
    // best first; NaN last either way; the sort is stable, so ties keep the order given
    ranked.sort(Comparator.comparing((PolicyRow p) -> Double.isNaN(m.value().applyAsDouble(p)))
        .thenComparingDouble(p -> m.higherIsBetter() ? -m.value().applyAsDouble(p) : m.value().applyAsDouble(p)));
    List<PolicyRow> out = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      out.add(ranked.get(i).withRank(i + 1));
    }
    return new Comparison(unranked.scenario(), objective, out);
  }

  /** The measure named {@code key}, or an {@link IllegalArgumentException} listing the known keys. */
  public static Metric metric(Comparison compare, String key) {
    List<Metric> all = metrics(compare);
    for (Metric m : all) {
      if (m.key().equals(key)) {
        return m;
      }
    }
    throw new IllegalArgumentException(unknownMetric(key, all.stream().map(Metric::key).toList()));
  }

  /** "unknown measure 'KEY'; did you mean 'NEAR'? (known: …)": one wording wherever a key is checked. */
  public static String unknownMetric(String key, List<String> keys) {
    String nearest = dev.superfactory.input.Suggest.nearest(key, keys);
    return "unknown measure '" + key + "'" + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
        + " (known: " + String.join(", ", keys) + ")";
  }

  private static PolicyRow row(String policy, RunResult r) {
    Map<String, Double> byTenant = new LinkedHashMap<>();
    for (TenantSummary t : r.tenants()) {
      byTenant.put(t.name(), t.gpuWeightedWaitP95Hours());
    }
    Reliability rel = r.reliability();
    EconomicsSummary e = r.economics();
    return new PolicyRow(policy, 0, r.jobs().submitted(), r.jobs().completed(), r.jobs().pendingAtEnd(),
        r.jobs().rejected(), r.jobs().unservedGpuHours(), r.slowdown().gpuWeightedMean(),
        r.gpuWeightedWait().p95Hours(), r.completionTime().meanHours(), r.completionTime().p95Hours(),
        r.waitTime().p95Hours(), byTenant, r.utilization().allocated(), rel == null ? Double.NaN : rel.goodput(),
        r.fairness(), r.preemptions(), rel == null ? Double.NaN : lostGpuHours(rel.gpuHours()),
        e == null ? Double.NaN : e.revenueUsd(), e == null ? Double.NaN : e.marginUsd());
  }

  private static double lostGpuHours(Reliability.GpuHours h) {
    return Format.round(h.lostWork() + h.restart() + h.detection() + h.wanStall(), 3);
  }

  /**
   * One measure of the comparison: a console column, an HTML table column and a bar chart, all from this
   * one descriptor, so the page shows exactly the console's text.
   *
   * @param key the name {@code compare --metric} takes
   * @param header the column heading (console and HTML table)
   * @param title the bar chart's heading
   * @param note what the figure is and its unit, shown under the chart's heading
   * @param higherIsBetter which way the best policy lies
   * @param value the figure of one policy; NaN where it has none (printed {@code -})
   * @param format the console's text for a value that is not NaN
   */
  public record Metric(String key, String header, String title, String note, boolean higherIsBetter,
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
    return metrics(List.copyOf(compare.policies().get(0).waitP95HoursByTenant().keySet()));
  }

  /** The keys {@code compare --metric} takes for these tenants, in column order. */
  public static List<String> metricKeys(List<String> tenants) {
    return metrics(tenants).stream().map(Metric::key).toList();
  }

  private static List<Metric> metrics(List<String> tenants) {
    List<Metric> m = new ArrayList<>();
    m.add(new Metric("completed", "done", "Jobs completed", "jobs that finished in the window", true,
        p -> p.jobsCompleted(), CompareReport::count));
    m.add(new Metric("pending", "pending", "Jobs pending at the end", "jobs still queued when the window closed",
        false, p -> p.pendingAtEnd(), CompareReport::count));
    m.add(new Metric("rejected", "rejected", "Jobs rejected", "jobs that could never fit", false,
        p -> p.rejected(), CompareReport::count));
    m.add(new Metric("unserved", "unserved GPU-h", "Unserved demand",
        "GPU-hours asked for by the window's jobs that never started", false,
        PolicyRow::unservedGpuHours, CompareReport::count));
    m.add(new Metric("slowdown", "slowdown/GPU", "GPU-weighted mean slowdown",
        "bounded slowdown (wait + run) ÷ max(run, 10 s), per GPU asked for, pending jobs at their age", false,
        PolicyRow::slowdown, v -> Format.fixed(v, 2)));
    m.add(new Metric("gpu-wait-p95", "wait p95/GPU", "p95 wait per GPU",
        "submit to start, per GPU asked for, pending jobs at their age", false,
        PolicyRow::gpuWaitP95Hours, Format::hours));
    for (String t : tenants) {
      m.add(new Metric("gpu-wait-p95:" + t, "wait p95/GPU " + t, "p95 wait per GPU of " + t,
          "submit to start, per GPU asked for, pending jobs at their age", false,
          p -> p.waitP95HoursByTenant().getOrDefault(t, Double.NaN), Format::hours));
    }
    m.add(new Metric("wait-p95", "wait p95", "p95 queue wait of started jobs",
        "submit to first start of the jobs that started (blind to jobs left waiting)", false,
        PolicyRow::waitP95Hours, Format::hours));
    m.add(new Metric("jct-mean", "JCT mean", "Mean job completion time", "submit to finish of completed jobs", false,
        PolicyRow::jctMeanHours, Format::hours));
    m.add(new Metric("jct-p95", "JCT p95", "p95 job completion time", "submit to finish of completed jobs", false,
        PolicyRow::jctP95Hours, Format::hours));
    m.add(new Metric("util", "util", "GPU utilization", "allocated ÷ available GPU-hours", true,
        PolicyRow::utilization, Format::percent));
    m.add(new Metric("goodput", "goodput", "Goodput", "useful ÷ allocated GPU-hours", true, PolicyRow::goodput,
        Format::percent));
    m.add(new Metric("fairness", "Jain", "Jain's fairness index",
        "over tenants' GPU-hours ÷ entitled shares, 1 = fair", true, PolicyRow::fairness, v -> Format.fixed(v, 3)));
    m.add(new Metric("preemptions", "preempt", "Preemptions", "jobs stopped by the scheduler", false,
        p -> p.preemptions(), CompareReport::count));
    m.add(new Metric("lost", "lost GPU-h", "Lost GPU-hours",
        "work redone after failures and preemptions + restart + detection + WAN stall", false,
        PolicyRow::lostGpuHours, CompareReport::count));
    m.add(new Metric("revenue", "revenue", "Revenue", "USD billed over the window", true,
        PolicyRow::revenueUsd, ConsoleSummary::usd));
    m.add(new Metric("margin", "margin", "Margin", "USD revenue less costs over the window", true,
        PolicyRow::marginUsd, ConsoleSummary::usd));
    return m;
  }

  /** The line that says what the rows are ranked on. */
  public static String objectiveLine(Comparison compare) {
    Metric m = metric(compare, compare.objective());
    return "Ranked by " + m.title() + ": " + m.direction() + " (--metric KEY ranks by another measure)";
  }

  /** The console table: a row per policy, best first, a column per {@link #metrics metric}. */
  public static String text(Comparison compare) {
    List<Metric> metrics = metrics(compare);
    List<String> headers = new ArrayList<>(List.of("rank>", "policy"));
    metrics.forEach(m -> headers.add(m.header() + ">"));
    TextTable table = new TextTable(headers.toArray(new String[0]));
    for (PolicyRow p : compare.policies()) {
      List<String> row = new ArrayList<>(List.of(Integer.toString(p.rank()), p.policy()));
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
