package dev.superfactory.sched;

import java.util.function.IntPredicate;

/**
 * What a policy sees and may do during one pass. Pending jobs are offered in arrival order.
 *
 * <p>A pass is <em>full</em> when GPUs or tenant headroom were freed since the previous pass:
 * then every pending job may have become startable. Otherwise only jobs that arrived since the
 * previous pass are new; every other pending job would fail again exactly as before (capacity
 * only shrank), so a policy looks at the arrivals alone.
 */
public interface SchedulingPass {
  long now();

  /** Whether capacity was freed since the previous pass (see class comment). */
  boolean full();

  /** Visits pending jobs in arrival order until the visitor returns false. */
  void forEachPending(IntPredicate visitor);

  /** The pending jobs in arrival order, as an array (for policies that reorder them). O(pending). */
  int[] pendingJobs();

  /** Visits jobs that arrived since the previous pass, in arrival order, until it returns false. */
  void forEachArrival(IntPredicate visitor);

  /** Starts a job now if its tenant has headroom and the gang can be placed. */
  Outcome tryStart(int job);

  /**
   * Starts a job now only if it does not delay {@code reservation}: it ends (by its expected
   * duration) before the reserved time, or it uses no more than the reservation's spare GPUs.
   */
  Outcome tryBackfill(int job, Reservation reservation);

  /**
   * Computes (or returns the still-valid) reservation for a job that cannot start now, and makes
   * it the current one. O(running jobs) when computed, O(1) when reused.
   */
  Reservation reserve(int job);

  /** The current reservation, or null if none is held. */
  Reservation reservation();

  /** Records why a job stays pending. */
  void defer(int job, PendingReason reason);

  /**
   * Like {@link #tryStart(int)}; with {@code reclaim}, a job that fits within its tenant's
   * reservation takes it back from tenants borrowing beyond theirs (preempting their jobs).
   */
  Outcome tryStart(int job, boolean reclaim);

  /** Starts a job, preempting running jobs the filter allows (never non-preemptible ones) if needed. */
  Outcome tryStartPreempting(int job, Scheduler.VictimFilter filter);

  /** Whether starting the job keeps its tenant within its reservation. */
  boolean withinReservation(int job);

  int tenantCount();

  dev.superfactory.workload.Tenant tenant(int t);

  int jobTenant(int job);

  int jobGpus(int job);

  long jobSubmit(int job);

  /** The job's actual run time (an oracle, for SJF comparisons). */
  long jobDurationSeconds(int job);

  /** GPU-seconds the job has held so far. */
  double attainedGpuSeconds(int job);

  boolean isRunningJob(int job);

  /** GPUs the tenant may still take before reaching its limit. */
  int tenantHeadroom(int t);

  /** The tenant's weighted dominant share: max(GPU share, WAN share) ÷ weight. */
  double weightedShare(int t);
}
