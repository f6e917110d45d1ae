package dev.superfactory.sched;

import dev.superfactory.workload.Tenant;
import java.util.function.IntPredicate;

/**
 * What a policy sees during one pass, read-only: the queue, the tenants' use and contracts, the
 * EASY reservation. Jobs are named by handles (ints, valid while the job is live). Every value
 * reflects the decisions applied so far in this pass.
 *
 * <p>A pass is <em>full</em> when capacity or headroom was freed, or the queue order changed,
 * since the previous pass: then every pending job may have become startable. Otherwise only jobs
 * that arrived since the previous pass are new; every other pending job would fail again exactly
 * as before (capacity only shrank), so a policy may look at the arrivals alone.
 */
public interface PassView {
  long now();

  /** Whether every pending job should be looked at (see the class comment). */
  boolean full();

  /** Visits pending jobs in queue order until the visitor returns false (decisions may be applied meanwhile). */
  void forEachPending(IntPredicate visitor);

  /** The pending jobs in queue order. O(pending). */
  int[] pendingJobs();

  /** Visits jobs that arrived since the previous pass and are still pending, in arrival order. */
  void forEachArrival(IntPredicate visitor);

  /** The current EASY reservation, or null. */
  Reservation reservation();

  /** The caller's id of a job (a trace row, a database key). */
  long jobId(int job);

  int jobTenant(int job);

  int jobGpus(int job);

  /** When the job entered the kernel, kernel seconds. */
  long jobArrival(int job);

  /** The run time the job declared (never its true one). */
  long expectedSeconds(int job);

  /** GPU-seconds the job has held so far (its attained service). */
  double attainedGpuSeconds(int job);

  boolean isRunning(int job);

  /** Whether starting the job keeps its tenant within its reservation. */
  boolean withinReservation(int job);

  int tenantCount();

  Tenant tenant(int t);

  /** GPUs the tenant may still take before reaching its limit. */
  int tenantHeadroom(int t);

  /** The tenant's weighted dominant share: max(GPU share, WAN share) ÷ weight. */
  double weightedShare(int t);
}
