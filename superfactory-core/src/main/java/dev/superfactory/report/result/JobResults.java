package dev.superfactory.report.result;

import static dev.superfactory.report.result.Window.round;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds {@code jobs} and {@code utilization}. Cost: O(jobs) for the cross-site jobs. */
final class JobResults {
  private JobResults() {}

  static JobCounts counts(SimulationResult r) {
    RunMetrics m = r.metrics();
    Map<String, Long> reasons = new LinkedHashMap<>();
    for (Map.Entry<PendingReason, Integer> e : r.pendingReasons().entrySet()) {
      reasons.put(e.getKey().name().toLowerCase(Locale.ROOT).replace('_', '-'), (long) e.getValue());
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
        r.pendingAtEnd(), m.rejectedJobs(), reasons, crossSite, round(crossSiteGpuHours, 3));
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
    return new Utilization(round(m.allocatedGpuSeconds() / 3600.0 / available, 6),
        round(m.allocatedGpuSeconds() / 3600.0, 3), round(available, 3), bySite, byTenant);
  }
}
