package dev.superfactory.report.result;

import static dev.superfactory.report.result.Window.fraction;
import static dev.superfactory.report.result.Window.round;

import dev.superfactory.metrics.ReliabilityMetrics;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@code reliability}. Cost: O(causes · days) for the timeline, O(jobs) for the largest jobs. */
final class ReliabilityResults {
  static final int LARGE_JOBS = 10;

  private ReliabilityResults() {}

  static Reliability from(SimulationResult r) {
    ReliabilityMetrics rm = r.reliability();
    Scenario sc = r.scenario();
    double days = sc.horizonSeconds() / 86400.0;
    long total = rm.totalInterruptions();
    Map<String, Long> interruptions = new LinkedHashMap<>();
    Map<String, Long> events = new LinkedHashMap<>();
    Map<String, Reliability.LostGpuHours> lost = new LinkedHashMap<>();
    for (int c = 0; c < rm.causes().size(); c++) {
      interruptions.put(rm.causes().get(c), rm.interruptions(c));
      events.put(rm.causes().get(c), rm.events(c));
      lost.put(rm.causes().get(c), lost(rm, c));
    }
    Map<String, Double> goodputByTenant = new LinkedHashMap<>();
    for (int t = 0; t < r.tenants().size(); t++) {
      goodputByTenant.put(r.tenants().get(t).name(), fraction(rm.tenantGoodput(t)));
    }
    return new Reliability(sc.reliability().active(), total, round(total / days, 4),
        round(total / days / (sc.fleet().totalGpus() / 1000.0), 6), interruptions, events, lost, gpuHours(rm),
        fraction(rm.goodput()), goodputByTenant, fraction(r.metrics().healthyFraction()), largeJobs(r),
        timeline(rm, days));
  }

  private static Reliability.LostGpuHours lost(ReliabilityMetrics rm, int c) {
    return new Reliability.LostGpuHours(round(rm.lost(1, c) / 3600.0, 3), round(rm.lost(2, c) / 3600.0, 3),
        round(rm.lost(4, c) / 3600.0, 3), round(rm.lost(5, c) / 3600.0, 3),
        round(rm.requeueWaitGpuSeconds(c) / 3600.0, 3));
  }

  /** The ledgers by name, so the record follows {@link ReliabilityMetrics#LEDGERS}; a ledger it lacks is an error. */
  private static Reliability.GpuHours gpuHours(ReliabilityMetrics rm) {
    if (ReliabilityMetrics.LEDGERS.size() != 6) {
      throw new IllegalStateException("ledgers " + ReliabilityMetrics.LEDGERS + " do not match Reliability.GpuHours");
    }
    return new Reliability.GpuHours(ledgerHours(rm, "useful"), ledgerHours(rm, "lostWork"), ledgerHours(rm, "restart"),
        ledgerHours(rm, "checkpoint"), ledgerHours(rm, "detection"), ledgerHours(rm, "wanStall"));
  }

  private static double ledgerHours(ReliabilityMetrics rm, String name) {
    int i = ReliabilityMetrics.LEDGERS.indexOf(name);
    if (i < 0) {
      throw new IllegalStateException("no ledger '" + name + "' in " + ReliabilityMetrics.LEDGERS);
    }
    return round(rm.ledger(i) / 3600.0, 3);
  }

  /** The largest jobs that ran in the window: interruptions, goodput, effective training time ratio. */
  private static List<Reliability.LargeJob> largeJobs(SimulationResult r) {
    Jobs jobs = r.jobs();
    Window w = Window.of(r.scenario());
    List<Reliability.LargeJob> rows = new ArrayList<>();
    for (int j : LargestJobResults.largest(r, LARGE_JOBS)) {
      double elapsed = w.endOr(jobs, j) - jobs.start(j);
      double useful = r.outcomes().allocatedSeconds(j) - r.outcomes().lostSeconds(j);
      rows.add(new Reliability.LargeJob(jobs.name(j), r.tenants().get(jobs.tenant(j)).name(), jobs.gpus(j),
          r.outcomes().interruptions(j), fraction(r.outcomes().goodput(j)),
          fraction(elapsed > 0 ? useful / elapsed : Double.NaN), jobs.end(j) >= 0));
    }
    return rows;
  }

  private static Reliability.Timeline timeline(ReliabilityMetrics rm, double days) {
    int dayCount = (int) Math.max(1, Math.ceil(days));
    long[] axis = new long[dayCount];
    for (int d = 0; d < dayCount; d++) {
      axis[d] = d;
    }
    Map<String, Counts> byCause = new LinkedHashMap<>();
    for (int c = 0; c < rm.causes().size(); c++) {
      int[] perDay = rm.eventsPerDay(c);
      long[] counts = new long[Math.min(dayCount, perDay.length)];
      for (int d = 0; d < counts.length; d++) {
        counts[d] = perDay[d];
      }
      byCause.put(rm.causes().get(c), Counts.of(counts));
    }
    return new Reliability.Timeline(Counts.of(axis), byCause);
  }
}
