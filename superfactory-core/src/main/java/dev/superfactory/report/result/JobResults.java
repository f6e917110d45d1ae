package dev.superfactory.report.result;

import static dev.superfactory.report.result.Window.round;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.sim.Simulation;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds {@code jobs} and {@code utilization}. Cost: O(jobs) for the cross-site jobs. */
final class JobResults {
  private JobResults() {}

  static JobCounts counts(SimulationResult r) {
    RunMetrics m = r.metrics();
    Map<String, Long> reasons = new LinkedHashMap<>();
    for (Map.Entry<PendingReason, Integer> e : r.pendingReasons().entrySet()) {
      reasons.put(Simulation.reasonName(e.getKey()), (long) e.getValue());
    }
    Window w = Window.of(r.scenario());
    Jobs jobs = r.jobs();
    long crossSite = 0;
    double crossSiteGpuHours = 0;
    for (int i = 0; i < jobs.size(); i++) {
      if (jobs.siteCount(i) > 1) {
        long from = Math.max(w.start(), jobs.start(i));
        long to = w.endOr(jobs, i);
        if (to > from) {
          crossSite++;
          crossSiteGpuHours += jobs.gpus(i) * (to - from) / 3600.0;
        }
      }
    }
    return new JobCounts(m.carriedOverJobs(), m.submittedJobs(), m.startedJobs(), m.completedJobs(), r.runningAtEnd(),
        r.pendingAtEnd(), m.rejectedJobs(), reasons, crossSite, round(crossSiteGpuHours, 3),
        round(m.unservedGpuSeconds() / 3600.0, 3));
  }

  static Utilization utilization(SimulationResult r) {
    RunMetrics m = r.metrics();
    Fleet fleet = r.scenario().fleet();
    Window w = Window.of(r.scenario());
    double available = w.availableGpuHours();
    Map<String, Double> bySite = new LinkedHashMap<>();
    for (int i = 0; i < fleet.siteCount(); i++) {
      bySite.put(fleet.site(i).name(), round(m.siteGpuSeconds(i) / 3600.0 / (fleet.siteGpus(i) * w.hours()), 6));
    }
    Map<String, Double> byTenant = new LinkedHashMap<>();
    for (int t = 0; t < r.tenants().size(); t++) {
      byTenant.put(r.tenants().get(t).name(), round(m.tenantGpuSeconds(t) / 3600.0 / available, 6));
    }
    double seconds = available * 3600.0;
    long pending = 0;
    Map<String, Double> pendingByReason = new LinkedHashMap<>();
    String[] reasons = m.pendingReasonNames();
    double[] idle = new double[IDLE_REASONS.size()];
    idle[0] = m.idleNoDemandGpuSeconds();
    for (int i = 0; i < reasons.length; i++) {
      pending += m.pendingGpuSeconds(i);
      pendingByReason.put(reasons[i], round(m.pendingGpuSeconds(i) / (w.hours() * 3600.0), 1));
      idle[idleGroup(reasons[i])] += m.idleGpuSeconds(i);
    }
    Map<String, Double> idleReasons = new LinkedHashMap<>();
    double idleTotal = 0;
    for (int i = 0; i < idle.length; i++) {
      idleReasons.put(IDLE_REASONS.get(i), round(idle[i] / seconds, 6));
      idleTotal += idle[i];
    }
    double allocated = m.allocatedGpuSeconds();
    return new Utilization(round(allocated / seconds, 6), round(allocated / 3600.0, 3), round(available, 3), bySite,
        byTenant, offered(r), round(ScenarioResults.windowDemandGpuSeconds(r.jobs(), w) / seconds, 6),
        round((allocated + pending) / seconds, 6), round(useful(r) / seconds, 6),
        round(m.downGpuSeconds() / seconds, 6), round(idleTotal / seconds, 6), idleReasons, pendingByReason);
  }

  /** Why idle GPUs were idle, grouped from the kernel's pending reasons; the first has no job waiting. */
  static final List<String> IDLE_REASONS = List.of("no-job-waiting", "tenant-limit", "does-not-fit", "queue-order");

  private static int idleGroup(String reason) {
    switch (reason) {
      case "tenant-limit":
        return 1;
      case "no-capacity":
      case "fragmented":
      case "too-large":
        return 2;
      case "new":
      case "behind-head":
      case "reservation":
        return 3;
      default:
        throw new IllegalStateException("pending reason '" + reason + "' has no idle group");
    }
  }

  private static double offered(SimulationResult r) {
    return r.scenario().workload().trace() == null ? r.scenario().workload().offeredLoad() : Double.NaN;
  }

  /**
   * Useful GPU-seconds in the window: allocated × goodput (the ledgers book whole run segments,
   * so their share, not their sum, is what applies to the window).
   */
  private static double useful(SimulationResult r) {
    double goodput = r.reliability().goodput();
    return r.metrics().allocatedGpuSeconds() * (Double.isNaN(goodput) ? 1.0 : goodput);
  }
}
