package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;

/**
 * The kernel's bookkeeping checked against itself and the fleet state: every live job is either
 * queued or holds GPUs; running allocations plus hot spares add up to the allocated GPUs; each
 * gang holds exactly its GPU count (fewer only when shrunk to one site) with every scale-up group
 * inside one domain and on one site unless it may span, and no GPU twice; tenants' use adds up
 * and stays within their limits; no computing gang spans a cut WAN link; the stalled set and the
 * reservation name jobs in the right state; the owner index agrees; every cordoned GPU is out of
 * service and the cordon counts add up.
 *
 * <p>O(live jobs · domains per job + GPUs of running jobs when the owner index is on + domains + GPUs
 * of cordoned domains): for tests
 * (after every event) and the end of a run.
 */
final class SchedulerInvariants {
  private final Fleet fleet;
  private final FleetState state;
  private final JobTable jobs;
  private final PendingQueue queue;
  private final RunningJobs running;
  private final TenantUsage tenants;
  private final WanCuts wan;
  private final SparePool spares;
  private final EasyReservation easy;
  private final Cordons cordons;
  private final Int2IntOpenHashMap firstAt = new Int2IntOpenHashMap();

  SchedulerInvariants(Fleet fleet, FleetState state, JobTable jobs, PendingQueue queue, RunningJobs running,
      TenantUsage tenants, WanCuts wan, SparePool spares, EasyReservation easy, Cordons cordons) {
    this.fleet = fleet;
    this.state = state;
    this.jobs = jobs;
    this.queue = queue;
    this.running = running;
    this.tenants = tenants;
    this.wan = wan;
    this.spares = spares;
    this.easy = easy;
    this.cordons = cordons;
  }

  void check() {
    queue.checkInvariants();
    running.checkInvariants();
    cordons.checkInvariants(state);
    long allocated = 0;
    int holding = 0;
    int pending = 0;
    long[] byTenant = new long[tenants.count()];
    for (int s = 0; s < jobs.used(); s++) {
      byte st = jobs.state(s);
      if (st == JobTable.PENDING) {
        pending++;
      } else if (st != JobTable.FREE) {
        Allocation a = jobs.allocation[s];
        checkGang(s, a);
        allocated += a.gpus();
        byTenant[jobs.tenant(s)] += a.gpus();
        holding++;
      }
    }
    if (pending != queue.count() || holding != running.count() || pending + holding != jobs.live()) {
      throw new IllegalStateException(String.format("job table: %d pending, %d holding GPUs, %d live; queue says %d,"
          + " running says %d", pending, holding, jobs.live(), queue.count(), running.count()));
    }
    long spare = spares == null ? 0 : spares.gpus();
    if (allocated + spare != state.allocatedGpus()) {
      throw new IllegalStateException("running jobs hold " + allocated + " GPUs and spares " + spare
          + "; the fleet says " + state.allocatedGpus() + " allocated");
    }
    for (int s : wan.stalled()) {
      if (jobs.state(s) != JobTable.STALLED) {
        throw new IllegalStateException("job " + jobs.id[s] + " is filed as stalled but is in state " + jobs.state(s));
      }
    }
    Reservation r = easy.current();
    if (r != null && jobs.state(r.job) != JobTable.PENDING) {
      throw new IllegalStateException("the reservation is held by job handle " + r.job + ", which is not pending");
    }
    for (int t = 0; t < byTenant.length; t++) {
      if (byTenant[t] != tenants.gpus(t) || tenants.gpus(t) > tenants.ceiling(t)) {
        throw new IllegalStateException("tenant " + t + " uses " + tenants.gpus(t) + " GPUs (jobs say " + byTenant[t]
            + ", limit " + tenants.limit(t) + ")");
      }
    }
  }

  /** A domain listed at two positions of one allocation must not share a GPU between them. */
  private void checkNoGpuTwice(long id, Allocation a) {
    firstAt.clear();
    firstAt.defaultReturnValue(-1);
    for (int i = 0; i < a.domainCount(); i++) {
      int j = firstAt.putIfAbsent(a.domain(i), i);
      if (j < 0) {
        continue;
      }
      for (int w = 0; w < a.words(i); w++) {
        if ((a.mask(i, w) & a.mask(j, w)) != 0) {
          throw new IllegalStateException("job " + id + " holds a GPU of domain " + a.domain(i) + " twice");
        }
      }
    }
  }

  private void checkGang(int s, Allocation a) {
    long id = jobs.id[s];
    int gpus = jobs.gpus(s);
    boolean shrunk = wan.shrunk().contains(s) || jobs.flag(s, JobTable.REGROW); // regrows once it recovers
    if (a.gpus() > gpus || a.gpus() < gpus && !(shrunk && a.siteCount() == 1)) {
      throw new IllegalStateException("job " + id + " holds " + a.gpus() + " GPUs, asked " + gpus);
    }
    int group = jobs.group(s);
    for (int i = 0; i < a.domainCount(); i++) {
      if (a.gpusInDomain(i) % group != 0) {
        throw new IllegalStateException("job " + id + " splits a scale-up group of " + group
            + " across domains (" + a.gpusInDomain(i) + " GPUs in domain " + a.domain(i) + ")");
      }
    }
    checkNoGpuTwice(id, a);
    if (!jobs.spanSites(s) && a.siteCount() > 1) {
      throw new IllegalStateException("job " + id + " spans sites but may not");
    }
    if (jobs.state(s) == JobTable.RUNNING && a.siteCount() > 1 && wan.spansCut(a)) {
      throw new IllegalStateException("job " + id + " computes across a cut WAN link");
    }
    if (running.tracksOwners()) {
      a.forEachGpu(fleet, g -> {
        if (running.owner(g) != s) {
          throw new IllegalStateException("GPU " + g + " of job " + id + " is filed under slot " + running.owner(g));
        }
      });
    }
  }
}
