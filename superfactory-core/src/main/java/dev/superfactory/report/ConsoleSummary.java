package dev.superfactory.report;

import dev.superfactory.report.result.DurationStats;
import dev.superfactory.report.result.EconomicsSummary;
import dev.superfactory.report.result.JobCounts;
import dev.superfactory.report.result.Reliability;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.ScenarioInfo;
import dev.superfactory.report.result.SizeClassWait;
import dev.superfactory.report.result.TenantSummary;
import dev.superfactory.report.result.Utilization;
import dev.superfactory.report.result.TraceSummary;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The summary a capacity planner reads in the terminal, rendered from the {@link RunResult}: the
 * headline, failures by cause (when failures were simulated), tenants, money and waits by job size.
 */
public final class ConsoleSummary {
  private ConsoleSummary() {}

  public static String render(RunResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(title(r)).append('\n');
    if (r.trace() != null) {
      sb.append(trace(r.trace())).append('\n');
    }
    sb.append(headline(r)).append('\n');
    if (r.failuresSimulated()) {
      sb.append(causes(r.reliability())).append('\n');
    }
    sb.append(tenants(r)).append('\n');
    if (r.economics() != null) {
      sb.append(money(r)).append('\n');
    }
    sb.append(sizes(r));
    return sb.toString();
  }

  private static String title(RunResult r) {
    ScenarioInfo sc = r.scenario();
    int sites = r.fleet().sites().size();
    String warm = sc.warmupDays() > 0 ? " (after " + trimNumber(sc.warmupDays()) + " days of warm-up)" : "";
    return String.format(Locale.ROOT,
        "Simulated %s: %s days%s, %s GPUs on %d site%s, policy %s%s, seed %d, workload %s%n", sc.name(), trimNumber(sc.horizonDays()), warm, Format.count(r.fleet().totalGpus()), sites,
        sites == 1 ? "" : "s", sc.policy(), sites > 1 && sc.siteChoice() != null ? " (site choice " + sc.siteChoice() + ")" : "",
        sc.seed(), sc.workload()
            + (sc.offeredLoad() != null ? " at " + Format.percent(sc.offeredLoad()) + " offered load" : ""));
  }

  /** The replayed trace: what became of its rows (and why rows were skipped), and what the reader assumed. */
  private static String trace(TraceSummary t) {
    StringBuilder sb = new StringBuilder("trace " + t.source() + "\n");
    for (String note : t.notes()) {
      sb.append("  - ").append(note).append('\n');
    }
    return sb.toString();
  }

  private static TextTable headline(RunResult r) {
    JobCounts jobs = r.jobs();
    Utilization u = r.utilization();
    TextTable headline = new TextTable("measure", "value>");
    headline.row("load, as shares of the fleet's GPU-hours:", "");
    if (!Double.isNaN(u.offered())) {
      headline.row("  offered (the generator's expected GPU-hours)", Format.percent(u.offered()));
    }
    headline.row("  submitted (GPU-hours asked by the window's jobs)", Format.percent(u.submitted()));
    headline.row("  demand (GPUs allocated + asked for by pending jobs)", Format.percent(u.demand()));
    headline.row("  allocated (GPU utilization)", Format.percent(u.allocated()));
    u.bySite().forEach((site, v) -> headline.row("    site " + site, Format.percent(v)));
    headline.row("  useful (allocated x goodput)", Format.percent(u.useful()));
    headline.row("  down (failures, repairs, maintenance)", Format.percent(u.down()));
    headline.row("  idle: no job waiting + tenant limit + does not fit + queue order", idle(u));
    if (jobs.carriedOver() > 0) {
      headline.row("jobs carried over from the warm-up", Format.count(jobs.carriedOver()));
    }
    headline.row("jobs submitted", Format.count(jobs.submitted()));
    headline.row("jobs completed", Format.count(jobs.completed()));
    headline.row("jobs running at end", Format.count(jobs.runningAtEnd()));
    headline.row("jobs pending at end" + reasons(jobs.pendingReasons()), Format.count(jobs.pendingAtEnd()));
    if (jobs.rejected() > 0) {
      headline.row("jobs rejected (can never fit)", Format.count(jobs.rejected()));
    }
    if (jobs.unservedGpuHours() > 0) {
      headline.row("GPU-hours asked by the window's jobs never started", Format.count(Math.round(jobs.unservedGpuHours())));
    }
    headline.row("jobs spanning sites", Format.count(jobs.crossSite()));
    headline.row("queue wait p50 / p95 / p99, jobs started", percentiles(r.waitTime()));
    headline.row("  with pending jobs at their age", percentiles(r.waitWithPending()));
    headline.row("  per GPU, with pending jobs at their age", percentiles(r.gpuWeightedWait()));
    headline.row("slowdown mean / per GPU, with pending jobs", fixedOrDash(r.slowdown().mean()) + " / "
        + fixedOrDash(r.slowdown().gpuWeightedMean()));
    DurationStats c = r.completionTime();
    headline.row("job completion time p50 / p95", Format.hours(c.p50Hours()) + " / " + Format.hours(c.p95Hours()));
    if (r.failuresSimulated()) {
      Reliability rel = r.reliability();
      headline.row("interruptions (per day)", Format.count(rel.interruptions()) + " ("
          + Format.fixed(rel.interruptionsPerDay(), 1) + ")");
      headline.row("goodput (useful / allocated GPU-hours)", Format.percent(rel.goodput()));
      headline.row("fleet in service (time-average)", Format.percent(rel.healthyFraction()));
    }
    return headline;
  }

  private static String fixedOrDash(double v) {
    return Double.isNaN(v) ? "-" : Format.fixed(v, 2);
  }

  private static String percentiles(DurationStats w) {
    return Format.hours(w.p50Hours()) + " / " + Format.hours(w.p95Hours()) + " / " + Format.hours(w.p99Hours());
  }

  /** {@code 28.6% = 20.1 + 8.0 + 0.4 + 0.1}: the idle share and its parts, in percent. */
  static String idle(Utilization u) {
    StringJoiner parts = new StringJoiner(" + ", Format.percent(u.idle()) + " = ", "");
    u.idleReasons().values().forEach(v -> parts.add(Format.fixed(100 * v, 1)));
    return parts.toString();
  }

  private static TextTable causes(Reliability rel) {
    TextTable causes = new TextTable("failure cause", "events>", "interruptions>", "lost work GPU-h>",
        "restart GPU-h>", "detection GPU-h>", "requeue wait GPU-h>");
    rel.interruptionsByCause().forEach((cause, interruptions) -> {
      Reliability.LostGpuHours l = rel.lostGpuHoursByCause().get(cause);
      causes.row(cause, Format.count(rel.failureEventsByCause().get(cause)), Format.count(interruptions),
          Format.count(Math.round(l.lostWork())), Format.count(Math.round(l.restart())),
          Format.count(Math.round(l.detection())), Format.count(Math.round(l.waitingAfterInterruption())));
    });
    return causes;
  }

  private static TextTable tenants(RunResult r) {
    TextTable tenants = new TextTable("tenant", "jobs>", "pending>", "GPU-hours>", "fleet share>", "reserved>",
        "limit>", "goodput>", "wait p50>", "wait p95>", "wait p99>", "per-GPU wait p95>", "preempted>",
        "revenue $M>");
    for (TenantSummary t : r.tenants()) {
      tenants.row(t.name(), Format.count(t.jobsSubmitted()), Format.count(t.pendingAtEnd()),
          Format.count(Math.round(t.gpuHours())), Format.percent(t.fleetShare()), Format.count(t.reservedGpus()),
          Format.count(t.gpuLimit()), Format.percent(t.goodput()), Format.hours(t.waitP50Hours()),
          Format.hours(t.waitP95Hours()), Format.hours(t.waitP99Hours()), Format.hours(t.gpuWeightedWaitP95Hours()),
          Format.count(t.preemptions()), Format.fixed(t.revenueUsd() / 1e6, 1));
    }
    return tenants;
  }

  private static TextTable money(RunResult r) {
    EconomicsSummary e = r.economics();
    TextTable money = new TextTable("money (measured window)", "value>");
    money.row("revenue", usd(e.revenueUsd()));
    money.row("on-demand revenue not billed: provider downtime", usd(e.revenueLostToFailuresUsd()));
    money.row("cost: depreciation + power + opex", usd(e.costUsd()) + " = " + usd(e.depreciationUsd()) + " + "
        + usd(e.powerUsd()) + " + " + usd(e.opexUsd()));
    money.row("margin", usd(e.marginUsd()));
    money.row("capital spent (capex)", usd(e.capexUsd()));
    money.row("break-even utilization", Double.isNaN(e.breakEvenUtilization()) ? "never at these prices"
        : Format.percent(e.breakEvenUtilization()));
    money.row("payback of the capex at this run's rates", Double.isNaN(e.paybackYears()) ? "never"
        : Format.fixed(e.paybackYears(), 1) + " years");
    money.row("preemptions / Jain fairness over tenants", r.preemptions() + " / "
        + (Double.isNaN(r.fairness()) ? "-" : Format.fixed(r.fairness(), 3)));
    return money;
  }

  private static TextTable sizes(RunResult r) {
    TextTable sizes = new TextTable("job size (GPUs)", "jobs started>", "wait p50>", "wait p95>", "wait p99>");
    for (SizeClassWait s : r.waitBySize()) {
      sizes.row(s.gpus(), Format.count(s.jobs()), Format.hours(s.p50Hours()), Format.hours(s.p95Hours()),
          Format.hours(s.p99Hours()));
    }
    return sizes;
  }

  private static String reasons(Map<String, Long> reasons) {
    if (reasons.isEmpty()) {
      return "";
    }
    StringJoiner joined = new StringJoiner(", ", " (", ")");
    reasons.forEach((reason, jobs) -> joined.add(reason + " " + jobs));
    return joined.toString();
  }

  /** USD: {@code $1.23B}, {@code $45.6M}, {@code $789}. */
  public static String usd(double v) {
    double a = Math.abs(v);
    String sign = v < 0 ? "-" : "";
    if (a >= 1e9) {
      return sign + "$" + Format.fixed(a / 1e9, 2) + "B";
    }
    if (a >= 1e6) {
      return sign + "$" + Format.fixed(a / 1e6, 1) + "M";
    }
    return sign + "$" + Format.fixed(a, 0);
  }

  private static String trimNumber(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Format.fixed(v, 2);
  }
}
