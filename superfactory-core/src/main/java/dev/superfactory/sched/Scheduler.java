package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;
import dev.superfactory.workload.Contract;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongBidirectionalIterator;
import it.unimi.dsi.fastutil.longs.LongRBTreeSet;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The scheduler kernel: holds the queue, the running jobs and the tenants' usage, runs a
 * {@link QueuePolicy} and is the only code that changes the {@link FleetState}. It knows a clock
 * value and the fleet, never the simulation: the discrete-event loop and a live service drive it
 * the same way, with {@link #submit}, {@link #finish} and {@link #schedule}.
 *
 * <p>Costs. {@link #submit} and {@link #finish} O(log running). A pass is incremental: when no
 * capacity was freed since the previous pass, only new arrivals are examined, O(arrivals ·
 * placement); when capacity was freed, the queue is walked once, O(pending), with each job
 * rejected in O(1) if its tenant is at its limit or a job of the same shape and no more GPUs
 * already failed to fit in this pass, and only otherwise placed (see {@link Placer}). The EASY
 * reservation is O(running) to compute and reused while valid (same head, reserved time not yet
 * passed, no job ended earlier than expected). So no pass costs O(queue × fleet).
 */
public final class Scheduler implements SchedulingPass {
  /** Told when the kernel starts a job or refuses one forever. */
  public interface Listener {
    void started(int job, Allocation allocation, long now);

    /** The job can never run (larger than its tenant limit or the GPUs it may use). */
    default void rejected(int job, PendingReason reason, long now) {}

    /** The job is about to be preempted: its GPUs are released right after this call and it is requeued. */
    default void preempted(int job, Allocation allocation, int byJob, long now) {}
  }

  private static final int ID_BITS = 28;
  private static final long ALL_SITES = -1L;

  private final Fleet fleet;
  private final FleetState state;
  private final Jobs jobs;
  private final QueuePolicy policy;
  private final Listener listener;
  private final Placer placer;
  private final PlacementPlan plan = new PlacementPlan();
  private final int[] tenantLimit;
  private final int[] tenantGpus;
  private final List<Tenant> tenants;
  private final boolean allLend;
  private JobProgress progress = JobProgress.NONE;
  private long preemptions;
  private final double[] tenantWan;
  private final double wanCapacity;

  // pending queue: intrusive doubly linked list over job ids, in arrival order
  private int[] next = new int[0];
  private int[] prev = new int[0];
  private byte[] reason = new byte[0];
  private int head = -1;
  private int tail = -1;
  private int pendingCount;
  private long pendingGpus;
  private final IntArrayList arrivals = new IntArrayList();

  // running jobs by expected end
  private final LongRBTreeSet byExpectedEnd = new LongRBTreeSet();
  private Allocation[] allocation = new Allocation[0];
  private long[] expectedEnd = new long[0];
  private int runningCount;

  private Reservation reservation;
  private boolean capacityFreed = true;
  private boolean spanAllowed = true;
  private OwnerIndex owners; // GPU → running job; only when tracking is on
  private long reservedGpus; // held outside any job (hot spares)
  private long now;
  private final int[] siteScratch;
  // per pass: the smallest gang that failed to fit, by (spanSites, log2 group)
  private final int[][] failedAtLeast = new int[2][32];
  // per pass: the smallest job whose reclaim found nothing to free
  private int reclaimFailedAtLeast = Integer.MAX_VALUE;

  public Scheduler(FleetState state, Jobs jobs, List<Tenant> tenants, QueuePolicy policy, Listener listener) {
    this.state = state;
    this.fleet = state.fleet();
    this.jobs = jobs;
    this.policy = policy;
    this.listener = listener;
    this.placer = new Placer(state);
    this.tenants = List.copyOf(tenants);
    this.allLend = tenants.stream().allMatch(x -> x.contract().lends() || x.reservedGpus() == 0);
    this.tenantLimit = tenants.stream().mapToInt(Tenant::gpuLimit).toArray();
    this.tenantGpus = new int[tenants.size()];
    this.siteScratch = new int[fleet.siteCount()];
    this.tenantWan = new double[tenants.size()];
    double wan = 0;
    for (dev.superfactory.fleet.WanLink l : fleet.wanLinks()) {
      wan += l.bandwidthBytesPerSecond();
    }
    this.wanCapacity = wan;
    ensureCapacity(jobs.size());
  }

  public QueuePolicy policy() {
    return policy;
  }

  // ---- driving the kernel ----

  /** A job enters the queue (or is rejected if it can never run). */
  public void submit(int job, long now) {
    ensureCapacity(job + 1);
    int gpus = jobs.gpus(job);
    int cap = capacityFor(jobs.tenant(job), jobs.spanSites(job));
    if (gpus > tenantLimit[jobs.tenant(job)] || gpus > cap) {
      reason[job] = (byte) PendingReason.TOO_LARGE.ordinal();
      listener.rejected(job, PendingReason.TOO_LARGE, now);
      return;
    }
    reason[job] = (byte) PendingReason.NEW.ordinal();
    next[job] = -1;
    prev[job] = tail;
    if (tail >= 0) {
      next[tail] = job;
    } else {
      head = job;
    }
    tail = job;
    pendingCount++;
    pendingGpus += gpus;
    arrivals.add(job);
  }

  /** GPUs a job of this tenant could ever use: its sites' GPUs (summed if it may span sites). */
  private int capacityFor(int tenant, boolean span) {
    long mask = tenants.get(tenant).contract().siteMask();
    int sum = 0;
    int largest = 0;
    for (int s = 0; s < fleet.siteCount(); s++) {
      if ((mask & (1L << s)) != 0) {
        sum += fleet.siteGpus(s);
        largest = Math.max(largest, fleet.siteGpus(s));
      }
    }
    return span ? sum : largest;
  }

  /** Where checkpoint state and attained service come from (the simulator sets it). */
  public void progress(JobProgress p) {
    this.progress = p;
  }

  /** A running job ends (completed, or stopped by the caller): its GPUs are released. */
  public void finish(int job, long now) {
    Allocation a = allocation[job];
    if (a == null) {
      throw new IllegalStateException("job " + job + " is not running");
    }
    if (owners != null) {
      owners.clear(a);
    }
    state.release(a);
    allocation[job] = null;
    byExpectedEnd.remove(key(expectedEnd[job], job));
    runningCount--;
    tenantGpus[jobs.tenant(job)] -= a.gpus();
    tenantWan[jobs.tenant(job)] -= wanDemand(a);
    capacityFreed = true;
    if (now < expectedEnd[job]) {
      reservation = null; // ended earlier than the reservation assumed
    }
  }

  /**
   * Puts an interrupted job (already {@link #finish finished} as far as its GPUs go) back at the
   * front of the queue, ahead of every job that has not run yet.
   */
  public void requeueFront(int job, long now) {
    if (isPending(job) || isRunning(job)) {
      throw new IllegalStateException("job " + job + " is already queued or running");
    }
    reason[job] = (byte) PendingReason.NEW.ordinal();
    prev[job] = -1;
    next[job] = head;
    if (head >= 0) {
      prev[head] = job;
    } else {
      tail = job;
    }
    head = job;
    pendingCount++;
    pendingGpus += jobs.gpus(job);
    capacityFreed = true; // the queue order changed: look at everything
    reservation = null;
  }

  /**
   * Restarts a failed job in place: gives up its share of every domain that holds a GPU out of
   * service and takes as many GPUs elsewhere (on its site, unless it may span sites and spanning
   * is allowed now). Returns the job's new allocation, the same one if none of its GPUs is down,
   * or null if no replacement fits: then the job keeps only its healthy part, and the caller
   * releases it and requeues the job. O(domains of the job) plus one placement.
   */
  public Allocation repairInPlace(int job, it.unimi.dsi.fastutil.ints.IntSet affectedDomains) {
    Allocation a = allocation[job];
    if (affectedDomains.isEmpty()) {
      return a;
    }
    int[] targets = affectedDomains.toIntArray();
    it.unimi.dsi.fastutil.ints.IntArrayList hit = new it.unimi.dsi.fastutil.ints.IntArrayList();
    for (int i = 0; i < a.domainCount(); i++) {
      int d = a.domain(i);
      for (int t : targets) {
        if (d == t && state.holdsDown(a, i)) {
          hit.add(i);
          break;
        }
      }
    }
    Allocation[] parts = a.splitOff(fleet, hit.toIntArray());
    Allocation healthy = parts[0];
    Allocation broken = parts[1];
    if (broken.gpus() == 0) {
      return a;
    }
    if (owners != null) {
      owners.clear(broken);
    }
    state.release(broken);
    allocation[job] = healthy;
    tenantGpus[jobs.tenant(job)] -= broken.gpus();
    capacityFreed = true;
    long sites = ALL_SITES;
    boolean span = jobs.spanSites(job) && spanAllowed;
    if (!span && healthy.gpus() > 0) {
      for (int s = 0; s < fleet.siteCount(); s++) {
        if (healthy.gpusOnSite(s) > 0) {
          sites = 1L << s;
        }
      }
    }
    if (!placer.plan(broken.gpus(), jobs.scaleUpGroup(job), span, sites, plan)) {
      return null;
    }
    Allocation replacement = state.allocate(plan);
    Allocation merged = healthy.merge(replacement);
    allocation[job] = merged;
    tenantGpus[jobs.tenant(job)] += replacement.gpus();
    if (owners != null) {
      owners.assign(replacement, job);
    }
    return merged;
  }

  /** GPUs came back into service (a repair): the next pass looks at the whole queue again. */
  public void capacityReturned() {
    capacityFreed = true;
    reservation = null;
  }

  /** Records which job holds each GPU from now on (needed to find the jobs a failure hits). */
  public void trackOwners() {
    if (owners == null) {
      owners = new OwnerIndex(fleet);
      for (int j = 0; j < allocation.length; j++) {
        if (allocation[j] != null) {
          owners.assign(allocation[j], j);
        }
      }
    }
  }

  /** The running job holding fleet-wide GPU {@code gpu}, or -1 (requires {@link #trackOwners}). */
  public int owner(int gpu) {
    return owners.owner(gpu);
  }

  /** Whether new gangs may be placed across sites (false while a WAN link is cut). */
  public void allowSpanning(boolean allowed) {
    if (allowed && !spanAllowed) {
      capacityFreed = true; // spanning jobs may fit again
    }
    spanAllowed = allowed;
  }

  /**
   * Shrinks a running multi-site job to one site: its GPUs elsewhere are released. Returns the
   * GPUs it keeps. The job's tenant usage drops accordingly.
   */
  public int shrinkToSite(int job, int site) {
    Allocation a = allocation[job];
    Allocation[] parts = a.splitBySite(fleet, site);
    Allocation keep = parts[0];
    Allocation drop = parts[1];
    if (drop.gpus() == 0) {
      return keep.gpus();
    }
    if (owners != null) {
      owners.clear(drop);
    }
    state.release(drop);
    allocation[job] = keep;
    tenantGpus[jobs.tenant(job)] -= drop.gpus();
    capacityFreed = true;
    reservation = null;
    return keep.gpus();
  }

  /** Holds GPUs outside any job (hot spares): the scheduler never places jobs on them. */
  public void holdReserved(Allocation a) {
    reservedGpus += a.gpus();
  }

  /** Replaces a running job's allocation by one of the same size (a hot-spare swap). */
  public void replaceAllocation(int job, Allocation replacement) {
    Allocation old = allocation[job];
    if (old == null || replacement.gpus() != old.gpus()) {
      throw new IllegalStateException("a swap must keep job " + job + "'s GPU count");
    }
    if (owners != null) {
      owners.clear(old);
      owners.assign(replacement, job);
    }
    allocation[job] = replacement;
  }

  /** One scheduling pass at time {@code now}. */
  public void schedule(long now) {
    this.now = now;
    if (reservation != null && now >= reservation.timeSeconds) {
      reservation = null; // the promised time has passed: recompute
    }
    if (!capacityFreed && arrivals.isEmpty()) {
      return;
    }
    for (int[] row : failedAtLeast) {
      Arrays.fill(row, Integer.MAX_VALUE);
    }
    reclaimFailedAtLeast = Integer.MAX_VALUE;
    policy.schedule(this);
    arrivals.clear();
    capacityFreed = false;
  }

  // ---- SchedulingPass ----

  @Override
  public long now() {
    return now;
  }

  @Override
  public boolean full() {
    return capacityFreed;
  }

  @Override
  public void forEachPending(IntPredicate visitor) {
    int j = head;
    while (j >= 0) {
      int n = next[j];
      if (!visitor.test(j)) {
        return;
      }
      j = n;
    }
  }

  @Override
  public int[] pendingJobs() {
    int[] out = new int[pendingCount];
    int i = 0;
    for (int j = head; j >= 0; j = next[j]) {
      out[i++] = j;
    }
    return out;
  }

  @Override
  public void forEachArrival(IntPredicate visitor) {
    for (int i = 0; i < arrivals.size(); i++) {
      int j = arrivals.getInt(i);
      if (allocation[j] == null && isPending(j) && !visitor.test(j)) {
        return;
      }
    }
  }

  @Override
  public Outcome tryStart(int job) {
    Outcome o = place(job);
    if (o == Outcome.STARTED) {
      commit(job);
    }
    return o;
  }

  @Override
  public Outcome tryBackfill(int job, Reservation r) {
    if (withinReservation(job) && jobs.tenant(r.job) != jobs.tenant(job)) {
      return tryStart(job, true); // a reservation does not wait behind another tenant's queue
    }
    boolean endsAfter = now + jobs.expectedSeconds(job) > r.timeSeconds;
    long avoid = 0;
    if (endsAfter && jobs.gpus(job) > r.spareGpus) {
      // it cannot use the reserved site(s): rejected at once, or placed only elsewhere (no wasted plan)
      if (r.site < 0) {
        defer(job, PendingReason.RESERVATION);
        return Outcome.RESERVED;
      }
      avoid = 1L << r.site;
    }
    Outcome o = place(job, avoid);
    if (o != Outcome.STARTED) {
      return o;
    }
    if (endsAfter) {
      int used = 0;
      for (int i = 0; i < plan.size(); i++) {
        if (r.site < 0 || fleet.domainSite(plan.domain(i)) == r.site) {
          used += plan.count(i);
        }
      }
      if (used > r.spareGpus) {
        defer(job, PendingReason.RESERVATION);
        return Outcome.RESERVED;
      }
      r.spareGpus -= used;
    }
    commit(job);
    return Outcome.STARTED;
  }

  @Override
  public Reservation reserve(int job) {
    if (reservation != null && reservation.job == job) {
      return reservation;
    }
    int need = jobs.gpus(job);
    boolean span = jobs.spanSites(job);
    int[] free = siteScratch;
    int total = 0;
    for (int s = 0; s < free.length; s++) {
      free[s] = state.siteFreeGpus(s);
      total += free[s];
    }
    long time = now;
    int site = satisfied(free, total, need, span);
    LongBidirectionalIterator it = byExpectedEnd.iterator();
    while (site == Integer.MIN_VALUE && it.hasNext()) {
      long k = it.nextLong();
      int r = (int) (k & ((1L << ID_BITS) - 1));
      time = Math.max(now, k >>> ID_BITS);
      Allocation a = allocation[r];
      for (int s = 0; s < free.length; s++) {
        int g = a.gpusOnSite(s);
        free[s] += g;
        total += g;
      }
      site = satisfied(free, total, need, span);
    }
    if (site == Integer.MIN_VALUE) {
      reservation = new Reservation(job, Long.MAX_VALUE, -1, 0);
    } else {
      int spare = (site < 0 ? total : free[site]) - need;
      reservation = new Reservation(job, time, site, spare);
    }
    return reservation;
  }

  /** -1 if the whole fleet suffices (spanning job), a site index if one site does, MIN_VALUE if neither. */
  private static int satisfied(int[] free, int total, int need, boolean span) {
    if (span) {
      return total >= need ? -1 : Integer.MIN_VALUE;
    }
    for (int s = 0; s < free.length; s++) {
      if (free[s] >= need) {
        return s;
      }
    }
    return Integer.MIN_VALUE;
  }

  @Override
  public Reservation reservation() {
    return reservation;
  }

  @Override
  public void defer(int job, PendingReason why) {
    byte b = (byte) why.ordinal();
    if (reason[job] != b) {
      reason[job] = b;
    }
  }

  // ---- placement and commit ----

  private Outcome place(int job) {
    return place(job, 0);
  }

  /** Plans a job's placement, avoiding the sites in {@code avoidSites}; the plan is left in {@link #plan}. */
  private Outcome place(int job, long avoidSites) {
    int gpus = jobs.gpus(job);
    int t = jobs.tenant(job);
    if (tenantGpus[t] + gpus > tenantLimit[t]) {
      defer(job, PendingReason.TENANT_LIMIT);
      return Outcome.TENANT_LIMIT;
    }
    if (gpus > state.freeGpus() - unlentReservations(t, gpus)) {
      defer(job, PendingReason.NO_CAPACITY);
      return Outcome.NO_FIT;
    }
    boolean span = jobs.spanSites(job);
    long sites = tenants.get(t).contract().siteMask() & ~avoidSites;
    int group = jobs.scaleUpGroup(job);
    int shape = 31 - Integer.numberOfLeadingZeros(group);
    int spanIndex = span ? 1 : 0;
    boolean memo = avoidSites == 0 && Integer.bitCount(group) == 1;
    if (memo && gpus >= failedAtLeast[spanIndex][shape]
        || !placer.plan(gpus, group, span && spanAllowed, sites, plan)) {
      if (memo) {
        failedAtLeast[spanIndex][shape] = Math.min(failedAtLeast[spanIndex][shape], gpus);
      }
      defer(job, gpus > state.freeGpus() ? PendingReason.NO_CAPACITY : PendingReason.FRAGMENTED);
      return Outcome.NO_FIT;
    }
    return Outcome.STARTED;
  }

  /**
   * GPUs other tenants reserve, do not lend, and do not use: off limits to a job of tenant
   * {@code t} that would borrow. O(tenants).
   */
  private int unlentReservations(int t, int gpus) {
    Contract c = tenants.get(t).contract();
    if (allLend || tenantGpus[t] + gpus <= c.reservedGpus()) {
      return 0; // within its own reservation
    }
    int unlent = 0;
    for (int u = 0; u < tenantGpus.length; u++) {
      Contract o = tenants.get(u).contract();
      if (u != t && !o.lends()) {
        unlent += Math.max(0, o.reservedGpus() - tenantGpus[u]);
      }
    }
    return unlent;
  }

  // ---- preemption ----

  /** Which running jobs a preemption may take, besides the rule that non-preemptible tenants are never touched. */
  public interface VictimFilter {
    boolean eligible(int victim);
  }

  /**
   * Starts {@code job}, preempting eligible running jobs if it does not fit: victims are taken in
   * order of least work lost (checkpoint-aware: a job that just checkpointed loses least), only
   * from preemptible tenants, until the job can be placed. Nothing is preempted unless the free
   * GPUs plus the eligible victims' GPUs could hold the job. O(running log running) when it
   * preempts.
   */
  public Outcome tryStartPreempting(int job, VictimFilter filter) {
    Outcome o = tryStart(job);
    if (o != Outcome.NO_FIT) {
      return o;
    }
    int need = jobs.gpus(job);
    it.unimi.dsi.fastutil.ints.IntArrayList candidates = new it.unimi.dsi.fastutil.ints.IntArrayList();
    long available = state.freeGpus();
    for (LongBidirectionalIterator it = byExpectedEnd.iterator(); it.hasNext(); ) {
      int r = (int) (it.nextLong() & ((1L << ID_BITS) - 1));
      if (r != job && tenants.get(jobs.tenant(r)).contract().preemptible() && progress.canPreempt(r)
          && filter.eligible(r)) {
        candidates.add(r);
        available += allocation[r].gpus();
      }
    }
    if (available < need) {
      return Outcome.NO_FIT;
    }
    long now = this.now;
    int[] order = candidates.toIntArray();
    double[] cost = new double[order.length];
    Integer[] idx = new Integer[order.length];
    for (int i = 0; i < order.length; i++) {
      cost[i] = progress.lostGpuSecondsIfStopped(order[i], now) / allocation[order[i]].gpus();
      idx[i] = i;
    }
    // least work lost per GPU first (a job that just checkpointed loses least); among equals the
    // larger, which frees more contiguous GPUs; then the newer
    java.util.Arrays.sort(idx, (x, y) -> cost[x] != cost[y] ? Double.compare(cost[x], cost[y])
        : allocation[order[x]].gpus() != allocation[order[y]].gpus()
            ? Integer.compare(allocation[order[y]].gpus(), allocation[order[x]].gpus())
            : Integer.compare(order[y], order[x]));
    long preempted = 0;
    for (Integer i : idx) {
      if (preempted >= 2L * need) {
        return Outcome.NO_FIT; // freed twice what it needs and still no fit: fragmentation, stop
      }
      preempted += allocation[order[i]].gpus();
      preempt(order[i], job);
      o = tryStart(job);
      if (o == Outcome.STARTED) {
        return o;
      }
      if (o == Outcome.TENANT_LIMIT) {
        return o;
      }
    }
    return Outcome.NO_FIT;
  }

  /** Stops a running job at once and puts it back in the queue in its arrival position. */
  private void preempt(int victim, int byJob) {
    Allocation a = allocation[victim];
    if (!tenants.get(jobs.tenant(victim)).contract().preemptible()) {
      throw new IllegalStateException("job " + victim + " is not preemptible");
    }
    listener.preempted(victim, a, byJob, now);
    finish(victim, now);
    insertByArrival(victim);
    preemptions++;
    for (int[] row : failedAtLeast) { // capacity grew within the pass: earlier failures may now fit
      Arrays.fill(row, Integer.MAX_VALUE);
    }
    reclaimFailedAtLeast = Integer.MAX_VALUE;
  }

  private void insertByArrival(int job) {
    reason[job] = (byte) PendingReason.NEW.ordinal();
    int after = -1;
    int at = head;
    while (at >= 0 && (jobs.submit(at) < jobs.submit(job) || jobs.submit(at) == jobs.submit(job) && at < job)) {
      after = at;
      at = next[at];
    }
    prev[job] = after;
    next[job] = at;
    if (after >= 0) {
      next[after] = job;
    } else {
      head = job;
    }
    if (at >= 0) {
      prev[at] = job;
    } else {
      tail = job;
    }
    pendingCount++;
    pendingGpus += jobs.gpus(job);
  }

  /** Running jobs preempted so far. */
  public long preemptions() {
    return preemptions;
  }

  /**
   * Starts a job, reclaiming its tenant's reservation if needed: if the job fits within the
   * reservation but not in the free GPUs, borrowed jobs of other tenants are preempted (see
   * {@link #tryStartPreempting}): a job is a victim only if its tenant stays at or above its own
   * reservation without it.
   */
  @Override
  public Outcome tryStart(int job, boolean reclaim) {
    Outcome o = tryStart(job);
    int t = jobs.tenant(job);
    int need = jobs.gpus(job);
    if (o != Outcome.NO_FIT || !reclaim || tenantGpus[t] + need > tenants.get(t).reservedGpus()
        || need >= reclaimFailedAtLeast) {
      return o;
    }
    // O(tenants) bound: the borrowed GPUs of other tenants, the most a reclaim could free
    long borrowed = 0;
    for (int u = 0; u < tenantGpus.length; u++) {
      if (u != t) {
        borrowed += Math.max(0, tenantGpus[u] - tenants.get(u).reservedGpus());
      }
    }
    if (state.freeGpus() + borrowed < need) {
      reclaimFailedAtLeast = Math.min(reclaimFailedAtLeast, need);
      return o;
    }
    // a victim's tenant must stay within what it borrowed: taking it below its own reservation
    // would let it reclaim in turn, and reclaims would cascade
    long before = preemptions;
    Outcome started = tryStartPreempting(job, v -> {
      int u = jobs.tenant(v);
      return u != t && tenantGpus[u] - allocation[v].gpus() >= tenants.get(u).reservedGpus();
    });
    if (started != Outcome.STARTED && preemptions == before) {
      // nothing could be freed for this size: larger jobs cannot reclaim either in this pass
      reclaimFailedAtLeast = Math.min(reclaimFailedAtLeast, need);
    }
    return started;
  }

  /** Whether starting the job keeps its tenant within its reservation. */
  @Override
  public boolean withinReservation(int job) {
    int t = jobs.tenant(job);
    return tenantGpus[t] + jobs.gpus(job) <= tenants.get(t).reservedGpus();
  }

  // ---- tenants, for policies ----

  @Override
  public int tenantCount() {
    return tenants.size();
  }

  @Override
  public int tenantHeadroom(int t) {
    return tenantLimit[t] - tenantGpus[t];
  }

  @Override
  public Tenant tenant(int t) {
    return tenants.get(t);
  }

  @Override
  public int jobTenant(int job) {
    return jobs.tenant(job);
  }

  @Override
  public int jobGpus(int job) {
    return jobs.gpus(job);
  }

  @Override
  public long jobSubmit(int job) {
    return jobs.submit(job);
  }

  @Override
  public long jobDurationSeconds(int job) {
    return jobs.durationSeconds(job);
  }

  @Override
  public double attainedGpuSeconds(int job) {
    return progress.attainedGpuSeconds(job, now);
  }

  @Override
  public boolean isRunningJob(int job) {
    return isRunning(job);
  }

  /**
   * A tenant's weighted dominant share (Ghodsi et al., DRF, NSDI 2011): the larger of its share
   * of the fleet's GPUs and of the WAN capacity its cross-site jobs use, divided by its weight.
   */
  @Override
  public double weightedShare(int t) {
    double gpuShare = (double) tenantGpus[t] / fleet.totalGpus();
    double wan = wanCapacity > 0 ? tenantWan[t] / wanCapacity : 0;
    return Math.max(gpuShare, wan) / tenants.get(t).contract().weight();
  }

  /** Commits the plan made by {@link #place} for this job. */
  private void commit(int job) {
    Allocation a = state.allocate(plan);
    allocation[job] = a;
    if (owners != null) {
      owners.assign(a, job);
    }
    expectedEnd[job] = now + jobs.expectedSeconds(job);
    byExpectedEnd.add(key(expectedEnd[job], job));
    runningCount++;
    tenantGpus[jobs.tenant(job)] += jobs.gpus(job);
    tenantWan[jobs.tenant(job)] += wanDemand(a);
    unlink(job);
    if (reservation != null && reservation.job == job) {
      reservation = null;
    }
    listener.started(job, a, now);
  }

  private void unlink(int job) {
    int p = prev[job];
    int n = next[job];
    if (p >= 0) {
      next[p] = n;
    } else {
      head = n;
    }
    if (n >= 0) {
      prev[n] = p;
    } else {
      tail = p;
    }
    prev[job] = -2; // marks "not pending"
    next[job] = -1;
    pendingCount--;
    pendingGpus -= jobs.gpus(job);
  }

  /**
   * WAN bandwidth a gang spanning sites draws: the scale-out bandwidth of its GPUs outside its
   * largest site (their gradients cross the WAN), capped by the WAN. 0 for a single-site gang.
   */
  private double wanDemand(Allocation a) {
    if (wanCapacity <= 0 || a.siteCount() < 2) {
      return 0;
    }
    int largest = 0;
    double demand = 0;
    for (int s = 0; s < fleet.siteCount(); s++) {
      if (a.gpusOnSite(s) > a.gpusOnSite(largest)) {
        largest = s;
      }
    }
    for (int s = 0; s < fleet.siteCount(); s++) {
      if (s != largest) {
        demand += a.gpusOnSite(s) * fleet.site(s).scaleOutBandwidthBytesPerSecond();
      }
    }
    return Math.min(demand, wanCapacity);
  }

  private static long key(long time, int job) {
    return (time << ID_BITS) | job;
  }

  private void ensureCapacity(int n) {
    if (n <= next.length) {
      return;
    }
    int c = Math.max(n, next.length * 2);
    int old = next.length;
    next = Arrays.copyOf(next, c);
    prev = Arrays.copyOf(prev, c);
    Arrays.fill(prev, old, c, -2);
    reason = Arrays.copyOf(reason, c);
    allocation = Arrays.copyOf(allocation, c);
    expectedEnd = Arrays.copyOf(expectedEnd, c);
  }

  // ---- read-only views ----

  public boolean isPending(int job) {
    return job < prev.length && prev[job] != -2;
  }

  public boolean isRunning(int job) {
    return job < allocation.length && allocation[job] != null;
  }

  public Allocation allocation(int job) {
    return allocation[job];
  }

  public PendingReason reason(int job) {
    return PendingReason.values()[reason[job]];
  }

  public int pendingCount() {
    return pendingCount;
  }

  public long pendingGpus() {
    return pendingGpus;
  }

  public int runningCount() {
    return runningCount;
  }

  public int tenantGpus(int tenant) {
    return tenantGpus[tenant];
  }

  /**
   * Checks the kernel's bookkeeping against the fleet state: running allocations add up to the
   * allocated GPUs, tenants' usage to their jobs and within limits, each gang holds exactly its
   * GPU count with every scale-up group inside one domain. O(running · domains per job).
   */
  public void checkInvariants() {
    long allocated = 0;
    int running = 0;
    long[] byTenant = new long[tenantGpus.length];
    for (int j = 0; j < allocation.length; j++) {
      Allocation a = allocation[j];
      if (a == null) {
        continue;
      }
      running++;
      if (a.gpus() > jobs.gpus(j) || a.gpus() < jobs.gpus(j) && a.siteCount() != 1) {
        throw new IllegalStateException("job " + j + " holds " + a.gpus() + " GPUs, asked " + jobs.gpus(j));
      }
      int group = jobs.scaleUpGroup(j);
      for (int i = 0; i < a.domainCount(); i++) {
        if (a.gpusInDomain(i) % group != 0) {
          throw new IllegalStateException("job " + j + " splits a scale-up group of " + group
              + " across domains (" + a.gpusInDomain(i) + " GPUs in domain " + a.domain(i) + ")");
        }
      }
      if (!jobs.spanSites(j) && a.siteCount() > 1) {
        throw new IllegalStateException("job " + j + " spans sites but may not");
      }
      if (owners != null) {
        int job = j;
        a.forEachGpu(fleet, g -> {
          if (owners.owner(g) != job) {
            throw new IllegalStateException("GPU " + g + " of job " + job + " is owned by " + owners.owner(g));
          }
        });
      }
      allocated += a.gpus();
      byTenant[jobs.tenant(j)] += a.gpus();
    }
    if (allocated + reservedGpus != state.allocatedGpus() || running != runningCount
        || running != byExpectedEnd.size()) {
      throw new IllegalStateException("running jobs hold " + allocated + " GPUs; the fleet says "
          + state.allocatedGpus() + " allocated");
    }
    for (int t = 0; t < tenantGpus.length; t++) {
      if (byTenant[t] != tenantGpus[t] || tenantGpus[t] > tenantLimit[t]) {
        throw new IllegalStateException("tenant " + t + " usage " + tenantGpus[t] + " (jobs say " + byTenant[t]
            + ", limit " + tenantLimit[t] + ")");
      }
    }
    int count = 0;
    for (int j = head; j >= 0; j = next[j]) {
      count++;
    }
    if (count != pendingCount) {
      throw new IllegalStateException("pending list has " + count + " jobs, counter says " + pendingCount);
    }
  }
}
