package dev.superfactory.report.result;

import static dev.superfactory.report.result.Window.round;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.TraceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Builds {@code scenario}, {@code trace} and {@code fleet}. Cost: O(jobs) for the demanded load. */
final class ScenarioResults {
  private ScenarioResults() {}

  static ScenarioInfo scenario(SimulationResult r) {
    Scenario sc = r.scenario();
    Window w = Window.of(sc);
    boolean synthetic = sc.workload().trace() == null;
    return new ScenarioInfo(sc.name(), sc.source(), sc.seed(), round(sc.horizonSeconds() / 86400.0, 6),
        round(sc.effectiveWarmupSeconds() / 86400.0, 6), sc.scheduler().policy(), sc.scheduler().siteChoice().key(),
        synthetic ? "synthetic" : sc.workload().trace().toString(), synthetic ? sc.workload().offeredLoad() : null,
        round(windowDemandGpuSeconds(r.jobs(), w) / 3600.0 / w.availableGpuHours(), 6),
        round(r.metrics().sampleIntervalSeconds() / 3600.0, 6));
  }

  /** The replayed trace; null for a synthetic workload. */
  static TraceSummary trace(SimulationResult r) {
    TraceInfo ti = r.jobs().traceInfo();
    return ti == null ? null : new TraceSummary(ti.source(), ti.rows(), ti.jobs(), new TreeMap<>(ti.skipped()), ti.notes());
  }

  static FleetSummary fleet(SimulationResult r) {
    Fleet fleet = r.scenario().fleet();
    List<FleetSummary.Site> sites = new ArrayList<>();
    for (int i = 0; i < fleet.siteCount(); i++) {
      sites.add(new FleetSummary.Site(fleet.site(i).name(), fleet.siteGpus(i)));
    }
    return new FleetSummary(fleet.totalGpus(), sites);
  }

  /** GPU-seconds asked for by the jobs submitted in the measured window. */
  static double windowDemandGpuSeconds(Jobs jobs, Window w) {
    double sum = 0;
    for (int j = 0; j < jobs.size(); j++) {
      if (jobs.submit(j) >= w.start() && jobs.submit(j) < w.end()) {
        sum += (double) jobs.gpus(j) * jobs.durationSeconds(j);
      }
    }
    return sum;
  }
}
