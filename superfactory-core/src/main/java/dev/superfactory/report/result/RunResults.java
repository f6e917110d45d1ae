package dev.superfactory.report.result;

import dev.superfactory.sim.SimulationResult;

/**
 * Builds a {@link RunResult} from a simulation, one section at a time ({@link ScenarioResults},
 * {@link JobResults}, {@link WaitResults}, {@link TenantResults}, {@link ReliabilityResults},
 * {@link EconomicsResults}, {@link LargestJobResults}, {@link TimeseriesResults}), rounding every
 * number as the file writes it, so the same scenario and seed give equal results and
 * byte-identical JSON outside the {@code run} section. Cost: O(jobs · 50) for the largest jobs,
 * plus the time series; a few milliseconds for a month of the fairwater preset.
 */
public final class RunResults {
  private RunResults() {}

  /** The result without its {@code run} section (add it with {@link #withRun}). */
  public static RunResult from(SimulationResult r) {
    return new RunResult(ScenarioResults.scenario(r), ScenarioResults.trace(r), ScenarioResults.fleet(r),
        JobResults.counts(r), JobResults.utilization(r), WaitResults.stats(r.metrics().waits()),
        WaitResults.stats(r.metrics().completions()), WaitResults.stats(r.metrics().waitsWithPending()),
        WaitResults.stats(r.metrics().gpuWeightedWaitsWithPending()), WaitResults.slowdown(r.metrics()),
        WaitResults.bySize(r.metrics()), TenantResults.rows(r),
        r.preemptions(), TenantResults.fairness(r), WaitResults.cdf(r), ReliabilityResults.from(r),
        EconomicsResults.from(r.economics()), LargestJobResults.from(r), TimeseriesResults.from(r.metrics().series()),
        null);
  }

  /** The result with its {@code run} section: wall time, events, peak heap, versions. */
  public static RunResult withRun(SimulationResult r, String version) {
    return from(r).withRun(run(r, version));
  }

  /** How the run went; differs between identical runs. */
  public static RunInfo run(SimulationResult r, String version) {
    return new RunInfo(Window.round(r.wallSeconds(), 3), r.events(),
        Math.round(r.events() / Math.max(1e-9, r.wallSeconds())), Window.round(r.peakHeapBytes() / 1048576.0, 1),
        version, System.getProperty("java.version"));
  }
}
