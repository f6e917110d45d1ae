package dev.superfactory.report.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * What a run produced, as {@code result.json} holds it: the source of truth that report.html, the
 * console summary, timeseries.csv and {@code compare} render. One record per JSON object, its
 * components in the file's key order; {@link RunResults#from} builds it from a simulation and
 * {@link ResultJson} writes and reads it, so a record read back from a file equals the one written.
 * Numbers are rounded as written. A measure that could not be taken (a percentile of no jobs) is
 * NaN here and null in the file.
 *
 * <p>The sections every run writes are required (reading a file without one fails); lists and maps
 * are never null. The optional sections are null when absent, and renderers check them:
 *
 * @param trace the replayed trace; null for a synthetic workload
 * @param waitTime {@code wait} in the file (a record component cannot be named {@code wait}): from
 *     submission to start, of the jobs of the window that started
 * @param waitWithPending the same with the jobs still pending at the end counted at their age
 *     (censored: they will wait at least that long)
 * @param gpuWeightedWait {@code waitWithPending} with each job counted once per GPU it asked for,
 *     so one 16,384-GPU job weighs as much as 16,384 one-GPU jobs
 * @param fairness Jain's index over tenants' GPU-hours ÷ entitled shares; NaN if no tenant ran
 * @param reliability failures and goodput; the simulator always writes it (with {@code enabled}
 *     false when failures were off, see {@link #failuresSimulated}); null only in a result written elsewhere
 * @param economics money over the window; the simulator always writes it; null only in a result written elsewhere
 * @param run how the run went, the only part that differs between identical runs; null until {@link #withRun}
 */
public record RunResult(
    ScenarioInfo scenario,
    @JsonInclude(Include.NON_NULL) TraceSummary trace,
    FleetSummary fleet,
    JobCounts jobs,
    Utilization utilization,
    @JsonProperty("wait") DurationStats waitTime,
    DurationStats completionTime,
    DurationStats waitWithPending,
    DurationStats gpuWeightedWait,
    Slowdown slowdown,
    List<SizeClassWait> waitBySize,
    List<TenantSummary> tenants,
    long preemptions,
    double fairness,
    WaitCdf waitCdf,
    @JsonInclude(Include.NON_NULL) Reliability reliability,
    @JsonInclude(Include.NON_NULL) EconomicsSummary economics,
    List<LargestJob> largestJobs,
    Timeseries timeseries,
    @JsonInclude(Include.NON_NULL) RunInfo run) {
  public RunResult {
    Objects.requireNonNull(scenario, "a result needs its scenario section");
    Objects.requireNonNull(fleet, "a result needs its fleet section");
    Objects.requireNonNull(jobs, "a result needs its jobs section");
    Objects.requireNonNull(utilization, "a result needs its utilization section");
    Objects.requireNonNull(waitTime, "a result needs its wait section");
    Objects.requireNonNull(completionTime, "a result needs its completionTime section");
    Objects.requireNonNull(waitWithPending, "a result needs its waitWithPending section");
    Objects.requireNonNull(gpuWeightedWait, "a result needs its gpuWeightedWait section");
    Objects.requireNonNull(slowdown, "a result needs its slowdown section");
    Objects.requireNonNull(waitCdf, "a result needs its waitCdf section");
    Objects.requireNonNull(timeseries, "a result needs its timeseries section");
    waitBySize = Immutable.list(waitBySize);
    tenants = Immutable.list(tenants);
    largestJobs = Immutable.list(largestJobs);
  }

  /** This result with its {@code run} section. */
  public RunResult withRun(RunInfo info) {
    return new RunResult(scenario, trace, fleet, jobs, utilization, waitTime, completionTime, waitWithPending,
        gpuWeightedWait, slowdown, waitBySize, tenants,
        preemptions, fairness, waitCdf, reliability, economics, largestJobs, timeseries, info);
  }

  /** True when the result has a reliability section that says failures were simulated. */
  public boolean failuresSimulated() {
    return reliability != null && reliability.enabled();
  }
}
