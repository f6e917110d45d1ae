package dev.superfactory.workload;

import java.util.List;

/**
 * Where a run's jobs come from: a synthetic generator (classes and per-tenant mixes, scaled to an
 * offered load) or a trace file.
 *
 * @param offeredLoad demanded GPU-time ÷ fleet GPU-time over the horizon (0.85 = 85%)
 * @param jobCount if > 0, generate about this many jobs and scale durations to keep the load
 * @param classes job classes
 * @param mixes per-tenant shares and class mixes
 * @param trace a trace to replay instead, or null
 * @param traceSpeedup a replayed trace's submit times are divided by this (2 = arrivals twice as
 *     fast, twice the load); 1 = as recorded
 */
public record WorkloadSpec(
    double offeredLoad, long jobCount, List<JobClass> classes, List<TenantMix> mixes, TraceSource trace,
    double traceSpeedup) {
  public WorkloadSpec {
    classes = List.copyOf(classes);
    mixes = List.copyOf(mixes);
    if (!(traceSpeedup > 0)) {
      throw new IllegalArgumentException("traceSpeedup must be > 0, got " + traceSpeedup);
    }
  }

  public WorkloadSpec(double offeredLoad, long jobCount, List<JobClass> classes, List<TenantMix> mixes,
      TraceSource trace) {
    this(offeredLoad, jobCount, classes, mixes, trace, 1.0);
  }

  public WorkloadSpec withTraceSpeedup(double speedup) {
    return new WorkloadSpec(offeredLoad, jobCount, classes, mixes, trace, speedup);
  }

  public WorkloadSpec withOfferedLoad(double load) {
    return new WorkloadSpec(load, jobCount, classes, mixes, trace, traceSpeedup);
  }

  public WorkloadSpec withJobCount(long count) {
    return new WorkloadSpec(offeredLoad, count, classes, mixes, trace, traceSpeedup);
  }

  public WorkloadSpec withTrace(TraceSource source) {
    return new WorkloadSpec(offeredLoad, jobCount, classes, mixes, source, traceSpeedup);
  }
}
