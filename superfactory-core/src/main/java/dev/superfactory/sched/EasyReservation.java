package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.FleetState;
import it.unimi.dsi.fastutil.ints.IntBidirectionalIterator;

/**
 * EASY backfilling's promise to the first job that cannot start (Lifka, JSSPP 1995; Mu'alem and
 * Feitelson, IEEE TPDS 2001): the earliest time enough GPUs will be free for it, assuming running
 * jobs end at their declared run time. Computed by walking the running jobs in order of expected
 * end and adding their GPUs per site until the job fits on one of the sites its tenant may use
 * (or, for a job that may span sites, over all of them). A running job's cordoned GPUs stay out
 * of service when it ends, so they are not counted ({@link Cordons}).
 *
 * <p>The reservation is kept while it stays valid: same job, the promised time not passed, no job
 * ended earlier than expected, no capacity came back, the queue order did not change. Costs:
 * {@link #reserve} O(running · sites) when computed (plus O(domains) per running job walked while
 * GPUs are cordoned), O(1) when reused.
 */
final class EasyReservation {
  private final FleetState state;
  private final JobTable jobs;
  private final RunningJobs running;
  private final TenantUsage tenants;
  private final Cordons cordons;
  private final int[] free;
  private Reservation current;

  EasyReservation(FleetState state, JobTable jobs, RunningJobs running, TenantUsage tenants, Cordons cordons) {
    this.state = state;
    this.jobs = jobs;
    this.running = running;
    this.tenants = tenants;
    this.cordons = cordons;
    this.free = new int[state.fleet().siteCount()];
  }

  /** A copy over the copied parts; the promise is copied (a backfill spends its spare GPUs). O(sites). */
  EasyReservation(EasyReservation from, FleetState state, JobTable jobs, RunningJobs running, TenantUsage tenants,
      Cordons cordons) {
    this(state, jobs, running, tenants, cordons);
    Reservation r = from.current;
    this.current = r == null ? null : new Reservation(r.job, r.timeSeconds, r.site, r.spareGpus);
  }

  long footprintBytes() {
    return 4L * free.length;
  }

  Reservation current() {
    return current;
  }

  void invalidate() {
    current = null;
  }

  /** Drops the reservation if it belongs to job {@code s} (it started or left). */
  void forget(int s) {
    if (current != null && current.job == s) {
      current = null;
    }
  }

  /**
   * Once the promised time has come and the job still waits (running jobs overran their declared
   * time), the promise is made again from the state now: the same head, a later time. O(running)
   * when it does, O(1) otherwise.
   */
  void renewIfDue(long now) {
    if (current != null && now >= current.timeSeconds) {
      int head = current.job;
      current = null;
      reserve(head, now);
    }
  }

  /** Drops the promise once its time has come (a full pass makes a new one as it reaches the head). */
  void dropIfDue(long now) {
    if (current != null && now >= current.timeSeconds) {
      current = null;
    }
  }

  /** The reservation for pending job {@code s}, computed now unless the current one is its own. */
  Reservation reserve(int s, long now) {
    if (current != null && current.job == s) {
      return current;
    }
    int need = jobs.gpus(s);
    boolean span = jobs.spanSites(s);
    long sites = tenants.contract(jobs.tenant(s)).siteMask();
    int total = 0;
    for (int i = 0; i < free.length; i++) {
      free[i] = allowed(sites, i) ? state.siteFreeGpus(i) : 0;
      total += free[i];
    }
    long time = now;
    int site = satisfied(total, need, span);
    IntBidirectionalIterator it = running.byExpectedEnd();
    while (site == Integer.MIN_VALUE && it.hasNext()) {
      int r = it.nextInt();
      time = Math.max(now, jobs.expectedEnd[r]);
      Allocation a = jobs.allocation[r];
      for (int i = 0; i < free.length; i++) {
        int g = allowed(sites, i) ? a.gpusOnSite(i) : 0;
        free[i] += g;
        total += g;
      }
      if (cordons.any()) {
        total -= withoutCordoned(a, sites);
      }
      site = satisfied(total, need, span);
    }
    current = site == Integer.MIN_VALUE ? new Reservation(s, Long.MAX_VALUE, -1, 0)
        : new Reservation(s, time, site, (site < 0 ? total : free[site]) - need);
    return current;
  }

  /** Takes the cordoned GPUs of {@code a} (on allowed sites) off {@link #free}; returns how many. O(domains of a). */
  private int withoutCordoned(Allocation a, long sites) {
    int taken = 0;
    for (int i = 0; i < a.domainCount(); i++) {
      int site = state.fleet().domainSite(a.domain(i));
      int c = allowed(sites, site) ? cordons.heldIn(a, i) : 0;
      free[site] -= c;
      taken += c;
    }
    return taken;
  }

  private static boolean allowed(long sites, int i) {
    return (sites & (1L << i)) != 0;
  }

  /** -1 if the whole fleet suffices (spanning job), a site index if one site does, MIN_VALUE if neither. */
  private int satisfied(int total, int need, boolean span) {
    if (span) {
      return total >= need ? -1 : Integer.MIN_VALUE;
    }
    for (int i = 0; i < free.length; i++) {
      if (free[i] >= need) {
        return i;
      }
    }
    return Integer.MIN_VALUE;
  }
}
