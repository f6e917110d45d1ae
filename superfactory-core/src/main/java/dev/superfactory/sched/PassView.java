package dev.superfactory.sched;

import dev.superfactory.workload.Tenant;

/**
 * What a policy sees during one pass, read-only: the queue, the tenants' use and contracts, the
 * EASY reservation. Jobs are named by handles (ints, valid while the job is live). Every value
 * reflects the decisions applied so far in this pass.
 *
 * <p>A pass is <em>full</em> when capacity or headroom was freed, or the queue order changed,
 * since the previous pass: then every pending job may have become startable. Otherwise only jobs
 * that arrived since the previous pass are new; every other pending job would fail again exactly
 * as before (no capacity was freed and the reservation still holds), so a policy may look at the
 * arrivals alone.
 */
public interface PassView {
  long now();

  /** Whether every pending job should be looked at (see the class comment). */
  boolean full();

  /**
   * The first pending job in queue order, or -1. With {@link #nextPending} a cursor: read the next
   * job before deciding on this one (a start takes it out of the queue). O(1).
   */
  int firstPending();

  /** The pending job after {@code job} in queue order, or -1. O(1). */
  int nextPending(int job);

  /** The pending jobs in queue order. O(pending). */
  int[] pendingJobs();

  /**
   * Whether the policy may stop this pass here: no pending job can start for the rest of it, nor
   * reclaim its tenant's reservation, and no one reads why they wait (a kernel forked for a
   * forecast, {@link Scheduler#forkForForecast}; elsewhere always false). It stays true for the
   * rest of the pass as long as the policy starts nothing with victims and makes no new
   * reservation: a policy that may do either must not stop on it. O(1) mostly; O(tenants²) when
   * the free GPUs are below the smallest request, once per change of the fleet within the pass.
   */
  default boolean restCannotStart() {
    return false;
  }

  /**
   * As {@link #restCannotStart}, when every decision left in the pass is a backfill around
   * {@code reservation} ({@link Decisions#backfill}): no pending job can use the free GPUs
   * without delaying it, nor reclaim. Same conditions of use. Same cost.
   */
  default boolean restCannotBackfill(Reservation reservation) {
    return false;
  }

  /** How many jobs arrived since the previous pass (some may no longer be pending). */
  int arrivals();

  /** The i-th job that arrived since the previous pass, in arrival order, or -1 if it is no longer pending. */
  int arrival(int i);

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
