package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;
import dev.superfactory.sched.SchedulerListener.Interruption;
import dev.superfactory.workload.Tenant;
import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.ints.IntBidirectionalIterator;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.function.LongConsumer;
import java.util.List;

/**
 * The scheduler kernel: a closed state machine that owns every piece of scheduling state (the
 * fleet's free, allocated and down GPUs, the queue, the running jobs, the tenants' use, hot
 * spares, cut WAN links) and changes it only in answer to commands: {@link #submit},
 * {@link #cancel}, {@link #finish}, {@link #gpusDown}, {@link #gpusUp}, {@link #jobFailed},
 * {@link #recover}, {@link #wanCut}, {@link #wanRestored}, {@link #holdSpares},
 * {@link #changeContract} and {@link #schedule}. It reports every decision it takes to one
 * {@link SchedulerListener}. It knows a clock value and the fleet, never who drives it: the
 * twin's event loop and a live service send the same commands. One thread at a time.
 *
 * <p>Time is {@code long} seconds (simulated seconds in the twin, epoch seconds live), never
 * decreasing from one command to the next. Jobs are named by the caller's {@code long} ids and
 * kept in reused slots ({@link JobTable}), so memory is bounded by the jobs live at once.
 *
 * <p>The parts, each with its costs: {@link PendingQueue}, {@link RunningJobs},
 * {@link TenantUsage}, {@link EasyReservation}, {@link Preemptor}, {@link AllocationRepair},
 * {@link Outages}, {@link SparePool}, {@link WanCuts}, {@link Placer}; {@link SchedulerInvariants}
 * checks them all.
 *
 * <p>Costs. Commands O(log running) plus what they release or repair. A pass is incremental: when
 * no capacity was freed since the previous pass, only new arrivals are examined, O(arrivals ·
 * placement); otherwise the queue is walked once, O(pending), with each job rejected in O(1) if
 * its tenant is at its limit or a job of the same shape and no more GPUs already failed to fit in
 * this pass, and only otherwise placed. No pass costs O(queue × fleet).
 */
public final class Scheduler {
  /**
   * How the kernel reacts where the contract leaves a choice.
   *
   * @param shrinkOnWanCut a cut WAN link shrinks the gangs spanning it to their largest site (true)
   *     or stalls them until it returns (false)
   */
  public record Options(boolean shrinkOnWanCut) {
    public static final Options DEFAULT = new Options(false);
  }

  private final Fleet fleet;
  private final FleetState state;
  private final Placer placer;
  private final PlacementPlan plan = new PlacementPlan();
  private final QueuePolicy policy;
  private final SchedulerListener listener;
  private final Options options;
  private final JobTable jobs = new JobTable();
  private final PendingQueue queue = new PendingQueue(jobs);
  private final RunningJobs running;
  private final TenantUsage tenants;
  private final EasyReservation easy;
  private final Preemptor preemptor;
  private final AllocationRepair repair;
  private final Outages outages;
  private final WanCuts wan;
  private final View view = new View();
  private final Decider decider = new Decider();
  private final int[] usableGpus;
  private final int[] largestDomain;
  private SparePool spares;
  private JobProgress progress = JobProgress.NONE;
  private long now;
  private boolean capacityFreed = true;
  private long preemptions;
  private int stamp;
  // per pass: the smallest gang that failed to fit, by (spanSites, log2 group)
  private final int[][] failedAtLeast = new int[2][32];
  // per pass: the smallest job whose reclaim found nothing to free
  private int reclaimFailedAtLeast = Integer.MAX_VALUE;

  public Scheduler(Fleet fleet, List<Tenant> tenants, QueuePolicy policy, Options options, SchedulerListener listener) {
    this.fleet = fleet;
    this.state = new FleetState(fleet);
    this.placer = new Placer(state);
    this.policy = policy;
    this.listener = listener;
    this.options = options;
    this.running = new RunningJobs(fleet, jobs);
    this.tenants = new TenantUsage(fleet, tenants);
    this.easy = new EasyReservation(state, jobs, running);
    this.preemptor = new Preemptor(state, jobs, running, this.tenants);
    this.repair = new AllocationRepair(state, jobs, running, this.tenants, placer);
    this.outages = new Outages(state);
    this.wan = new WanCuts(fleet);
    this.usableGpus = new int[fleet.siteCount()];
    this.largestDomain = new int[fleet.siteCount()];
    refreshUsable();
  }

  /** Where lost work and attained service of running jobs come from (the twin's ledgers, or telemetry live). */
  public void progress(JobProgress p) {
    this.progress = p;
    preemptor.progress(p);
  }

  public QueuePolicy policy() {
    return policy;
  }

  /** The fleet state, to read (free, allocated and down GPUs). Only the kernel changes it. */
  public FleetState fleetState() {
    return state;
  }

  // ---- commands ----

  /** A job enters the queue, or is rejected at once if it can never run. */
  public void submit(long job, JobRequest r, long t) {
    advance(t);
    if (r.tenant() >= tenants.count()) {
      throw new IllegalArgumentException("job " + job + ": tenant " + r.tenant() + " does not exist (there are "
          + tenants.count() + ")");
    }
    if (neverFits(r.tenant(), r.gpus(), r.scaleUpGroup(), r.spanSites())) {
      listener.rejected(job, PendingReason.TOO_LARGE, t);
      return;
    }
    boolean within = tenants.withinReservation(r.tenant(), r.gpus());
    int s = jobs.add(job, r, t);
    queue.append(s);
    listener.queued(job, within, t);
  }

  /**
   * Whether a gang can never run: larger than its tenant's limit, than the GPUs of the sites it
   * may use (one site, or all of them if it may span), or with a scale-up group no domain of
   * those sites can hold (hot spares excluded). O(sites).
   */
  private boolean neverFits(int tenant, int gpus, int group, boolean span) {
    if (gpus > tenants.limit(tenant)) {
      return true;
    }
    long mask = tenants.contract(tenant).siteMask();
    long total = 0;
    boolean groupFits = false;
    for (int site = 0; site < usableGpus.length; site++) {
      if ((mask & (1L << site)) != 0 && largestDomain[site] >= group) {
        total += usableGpus[site];
        groupFits = true;
        if (!span && usableGpus[site] >= gpus) {
          return false;
        }
      }
    }
    return !groupFits || !span || total < gpus;
  }

  /** GPUs jobs may use per site, and the largest per domain: the fleet less the hot spares. O(domains). */
  private void refreshUsable() {
    Arrays.fill(usableGpus, 0);
    Arrays.fill(largestDomain, 0);
    for (int d = 0; d < fleet.domainCount(); d++) {
      int site = fleet.domainSite(d);
      int usable = fleet.domainSize(d) - (spares == null ? 0 : spares.heldIn(d));
      usableGpus[site] += usable;
      largestDomain[site] = Math.max(largestDomain[site], usable);
    }
  }

  /** Cancels a pending or running job; false if the kernel does not know it (finished, rejected or never submitted). */
  public boolean cancel(long job, long t) {
    advance(t);
    int s = jobs.slot(job);
    if (s < 0) {
      return false;
    }
    if (jobs.state[s] == JobTable.PENDING) {
      dequeue(s);
      listener.cancelled(job, null, t);
    } else {
      listener.cancelled(job, jobs.allocation[s], t);
      release(s);
    }
    jobs.remove(s);
    capacityFreed = true;
    return true;
  }

  /** A job that holds GPUs completed: they are released. */
  public void finish(long job, long t) {
    advance(t);
    int s = jobs.require(job);
    if (!jobs.holdsGpus(s)) {
      throw new IllegalStateException("job " + job + " is not running");
    }
    listener.finished(job, jobs.allocation[s], t);
    release(s);
    jobs.remove(s);
  }

  /**
   * GPUs [first, first + count) go out of service (a failure, or a maintenance {@code drain}).
   * Each job holding one of them swaps in hot spares of the same domains if the pool has them
   * (not for a drain), else is interrupted; either way it waits for {@link #recover}. Free GPUs
   * in the range leave the free pool. O(GPUs in the range) plus the swaps.
   */
  public void gpusDown(int first, int count, long t, boolean drain) {
    advance(t);
    checkRange(first, count);
    outages.down(first, count);
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(jobs.hitStamp, 0);
      stamp = 1;
    }
    for (int g = first; g < first + count; g++) {
      int s = running.owner(g);
      if (s < 0) {
        continue;
      }
      repair.noteFailure(s, g);
      if (jobs.hitStamp[s] != stamp) {
        jobs.hitStamp[s] = stamp;
        if (drain || !trySpares(s, first, count, t)) {
          interrupt(s, drain ? Interruption.DRAIN : Interruption.FAILURE, t);
        }
      }
    }
  }

  private boolean trySpares(int s, int first, int count, long t) {
    if (spares == null || jobs.state[s] != JobTable.RUNNING) {
      return false;
    }
    Allocation before = jobs.allocation[s];
    Allocation after = repair.swapSpares(s, spares, first, count);
    if (after == null) {
      return false;
    }
    jobs.state[s] = JobTable.INTERRUPTED;
    listener.swapped(jobs.id[s], before, after, t);
    return true;
  }

  /** GPUs [first, first + count) are back in service; those no job holds become free. */
  public void gpusUp(int first, int count, long t) {
    advance(t);
    checkRange(first, count);
    outages.up(first, count);
    capacityFreed = true;
    easy.invalidate();
  }

  /** A job crashed without any GPU failing (software): it is interrupted until {@link #recover}. */
  public void jobFailed(long job, long t) {
    advance(t);
    int s = jobs.require(job);
    if (jobs.holdsGpus(s)) {
      interrupt(s, Interruption.FAILURE, t);
    }
  }

  private void interrupt(int s, Interruption why, long t) {
    if (jobs.state[s] == JobTable.INTERRUPTED) {
      return;
    }
    boolean wasStalled = jobs.state[s] == JobTable.STALLED;
    if (wasStalled) {
      wan.stalled().remove(s);
    }
    jobs.state[s] = JobTable.INTERRUPTED;
    listener.interrupted(jobs.id[s], jobs.allocation[s], why, wasStalled, t);
  }

  /**
   * An interrupted job is ready to run again (its failure detected, its drain done): it restarts
   * in place on its healthy GPUs plus replacements for the failed ones; if none fit, if it would
   * span a cut WAN link, or if it must regrow after a WAN cut, it releases its GPUs and goes to
   * the front of the queue.
   */
  public void recover(long job, long t) {
    advance(t);
    int s = jobs.require(job);
    if (jobs.state[s] != JobTable.INTERRUPTED) {
      throw new IllegalStateException("job " + job + " is not interrupted");
    }
    Allocation before = jobs.allocation[s];
    Allocation after;
    if (jobs.flag(s, JobTable.REGROW)) {
      jobs.setFlag(s, JobTable.REGROW, false);
      repair.forget(s);
      after = null;
    } else {
      after = repair.repairInPlace(s, wan.spanAllowed());
    }
    if (after != before) {
      capacityFreed = true;
    }
    if (after != null && after.siteCount() > 1 && wan.spansCut(after)) {
      after = null; // it cannot compute across a cut link: it starts again, on one site if it must
    }
    if (after != null) {
      jobs.state[s] = JobTable.RUNNING;
      if (after != before) {
        running.refileSites(s);
      }
      listener.restarted(job, before, after, t);
      return;
    }
    listener.requeued(job, before, t);
    release(s);
    queue.pushFront(s);
    capacityFreed = true;
    easy.invalidate();
  }

  /**
   * WAN link {@code link} is cut: no new gang spans sites until every link is up, and each
   * computing gang across the link shrinks to its largest site or stalls ({@link Options}).
   */
  public void wanCut(int link, long t) {
    advance(t);
    if (!wan.cut(link)) {
      return;
    }
    for (int s : running.multiSite()) {
      if (jobs.state[s] != JobTable.RUNNING || !wan.spans(jobs.allocation[s], link)) {
        continue;
      }
      if (options.shrinkOnWanCut()) {
        shrink(s, t);
      } else {
        jobs.state[s] = JobTable.STALLED;
        wan.stalled().add(s);
        listener.stalled(jobs.id[s], jobs.allocation[s], t);
      }
    }
  }

  private void shrink(int s, long t) {
    Allocation before = jobs.allocation[s];
    int keep = 0;
    for (int i = 1; i < fleet.siteCount(); i++) {
      if (before.gpusOnSite(i) > before.gpusOnSite(keep)) {
        keep = i;
      }
    }
    Allocation[] parts = repair.shrinkToSite(s, keep);
    wan.shrunk().add(s);
    capacityFreed = true;
    easy.invalidate();
    listener.shrunk(jobs.id[s], before, parts[0], parts[1], t);
  }

  /**
   * One cut of WAN link {@code link} is repaired. Once the link is up, stalled gangs that no
   * longer span a cut link resume, and once every link is up, gangs shrunk by a cut are
   * interrupted to regrow (they checkpoint, requeue and start again across sites).
   */
  public void wanRestored(int link, long t) {
    advance(t);
    capacityFreed = true; // like any repair: the next pass looks at every pending job again
    easy.invalidate();
    if (!wan.restore(link)) {
      return;
    }
    for (int s : byId(wan.stalled().toIntArray())) {
      if (!wan.spansCut(jobs.allocation[s])) {
        wan.stalled().remove(s);
        jobs.state[s] = JobTable.RUNNING;
        listener.resumed(jobs.id[s], jobs.allocation[s], t);
      }
    }
    if (!wan.spanAllowed()) {
      return;
    }
    for (int s : byId(wan.shrunk().toIntArray())) {
      wan.shrunk().remove(s);
      jobs.setFlag(s, JobTable.REGROW, true);
      if (jobs.state[s] == JobTable.RUNNING) {
        interrupt(s, Interruption.REGROW, t);
      }
    }
  }

  /** Slots in order of the caller's job ids (a defined order for jobs handled together). */
  private int[] byId(int[] slots) {
    IntArrays.quickSort(slots, (a, b) -> Long.compare(jobs.id[a], jobs.id[b]));
    return slots;
  }

  /** Sets aside up to {@code perDomain} free GPUs of every domain as hot spares (once). */
  public void holdSpares(int perDomain, long t) {
    advance(t);
    if (spares != null) {
      throw new IllegalStateException("hot spares are already held");
    }
    if (perDomain < 0) {
      throw new IllegalArgumentException("spares per domain must be >= 0, got " + perDomain);
    }
    spares = new SparePool(fleet, state, perDomain, outages::isDown);
    refreshUsable();
  }

  /**
   * Tenant {@code t}'s contract changes (a new index adds a tenant). Its running jobs keep their
   * GPUs even above a lowered limit; its pending jobs that can never run now are rejected.
   */
  public void changeContract(int t, Tenant updated, long time) {
    advance(time);
    if (t < 0 || t > tenants.count()) {
      throw new IllegalArgumentException("tenant " + t + " does not exist (there are " + tenants.count() + ")");
    }
    tenants.change(t, updated);
    capacityFreed = true;
    easy.invalidate();
    for (int s : queue.toArray()) {
      if (jobs.tenant[s] == t && neverFits(t, jobs.gpus[s], jobs.group[s], jobs.spanSites(s))) {
        long job = jobs.id[s];
        dequeue(s);
        jobs.remove(s);
        listener.rejected(job, PendingReason.TOO_LARGE, time);
      }
    }
  }

  /** One scheduling pass at time {@code t}: the policy decides, the kernel applies. */
  public void schedule(long t) {
    advance(t);
    easy.expire(t);
    if (!capacityFreed && !queue.hasArrivals()) {
      return;
    }
    resetPassMemo();
    policy.schedule(view, decider);
    queue.clearArrivals();
    capacityFreed = false;
  }

  private void advance(long t) {
    if (t < now) {
      throw new IllegalArgumentException(String.format(
          "time %d s is before the kernel's clock (%d s): commands must come in time order", t, now));
    }
    now = t;
  }

  private void checkRange(int first, int count) {
    if (first < 0 || count <= 0 || first > fleet.totalGpus() - count) {
      throw new IllegalArgumentException(String.format(
          "GPU range [%d, %d) is outside the fleet's %d GPUs", first, (long) first + count, fleet.totalGpus()));
    }
  }

  // ---- decisions ----

  /** The kernel's side of a policy's pass: every decision validated, then applied. */
  private final class Decider implements QueuePolicy.Decisions {
    @Override
    public Outcome start(int job, Start how) {
      requirePending(job);
      Outcome o = tryStart(job, how.reclaim());
      if (o == Outcome.NO_FIT && how.victims() != null) {
        o = tryStartPreempting(job, how.victims());
      }
      if (o == Outcome.NO_FIT && how.reserveIfBlocked()) {
        easy.reserve(job, now);
      }
      return o;
    }

    @Override
    public Outcome backfill(int job, Reservation reservation) {
      requirePending(job);
      return tryBackfill(job, java.util.Objects.requireNonNull(reservation, "reservation"));
    }

    @Override
    public void defer(int job, PendingReason reason) {
      requirePending(job);
      Scheduler.this.defer(job, java.util.Objects.requireNonNull(reason, "reason"));
    }

    private void requirePending(int s) {
      if (s < 0 || s >= jobs.used() || jobs.state[s] != JobTable.PENDING) {
        throw new IllegalStateException("policy " + policy.name() + " decided on job handle " + s
            + ", which is not pending");
      }
    }
  }

  private void defer(int s, PendingReason why) {
    if (queue.setReason(s, why)) {
      listener.deferred(jobs.id[s], why, now);
    }
  }

  /** Places and starts job {@code s} now if its tenant has headroom and the gang fits. */
  private Outcome tryStart(int s) {
    Outcome o = place(s, 0);
    if (o == Outcome.STARTED) {
      commit(s);
    }
    return o;
  }

  /**
   * Like {@link #tryStart(int)}; with {@code reclaim}, a job that fits within its tenant's
   * reservation takes it back from tenants borrowing beyond theirs: a victim's tenant must stay at
   * or above its own reservation without it (else it could reclaim in turn, and reclaims cascade).
   */
  private Outcome tryStart(int s, boolean reclaim) {
    Outcome o = tryStart(s);
    int t = jobs.tenant[s];
    int need = jobs.gpus[s];
    if (o != Outcome.NO_FIT || !reclaim || !tenants.withinReservation(t, need) || need >= reclaimFailedAtLeast) {
      return o;
    }
    if (state.freeGpus() + tenants.borrowedByOthers(t) < need) {
      reclaimFailedAtLeast = Math.min(reclaimFailedAtLeast, need);
      return o;
    }
    long before = preemptions;
    Outcome started = tryStartPreempting(s, v -> {
      int u = jobs.tenant[v];
      return u != t && tenants.gpus(u) - jobs.allocation[v].gpus() >= tenants.reserved(u);
    });
    if (started != Outcome.STARTED && preemptions == before) {
      reclaimFailedAtLeast = Math.min(reclaimFailedAtLeast, need); // nothing to free for this size
    }
    return started;
  }

  /**
   * Starts job {@code s}, preempting victims ({@link Preemptor}) one at a time until it fits;
   * stops once twice its size was freed without a fit (fragmentation).
   */
  private Outcome tryStartPreempting(int s, VictimRule rule) {
    Outcome o = tryStart(s);
    if (o != Outcome.NO_FIT) {
      return o;
    }
    int[] victims = preemptor.victims(s, rule, now);
    if (victims == null) {
      return Outcome.NO_FIT;
    }
    long need = jobs.gpus[s];
    long freed = 0;
    for (int v : victims) {
      if (freed >= 2L * need) {
        return Outcome.NO_FIT;
      }
      freed += jobs.allocation[v].gpus();
      preempt(v, s);
      o = tryStart(s);
      if (o == Outcome.STARTED || o == Outcome.TENANT_LIMIT) {
        return o;
      }
    }
    return Outcome.NO_FIT;
  }

  /** Stops a running job at once and puts it back in the queue in its arrival position. */
  private void preempt(int v, int byJob) {
    if (!preemptor.preemptible(v)) {
      throw new IllegalStateException("job " + jobs.id[v] + " is not preemptible");
    }
    listener.preempted(jobs.id[v], jobs.allocation[v], jobs.id[byJob], now);
    release(v);
    queue.insertByArrival(v);
    preemptions++;
    resetPassMemo(); // capacity grew within the pass: earlier failures may now fit
  }

  /** Starts job {@code s} only if it does not delay the reservation (EASY backfilling). */
  private Outcome tryBackfill(int s, Reservation r) {
    if (tenants.withinReservation(jobs.tenant[s], jobs.gpus[s]) && jobs.tenant[r.job] != jobs.tenant[s]) {
      return tryStart(s, true); // a reservation does not wait behind another tenant's queue
    }
    boolean endsAfter = endOf(now, jobs.expectedSeconds[s]) > r.timeSeconds;
    long avoid = 0;
    if (endsAfter && jobs.gpus[s] > r.spareGpus) {
      // it cannot use the reserved site(s): rejected at once, or placed only elsewhere (no wasted plan)
      if (r.site < 0) {
        defer(s, PendingReason.RESERVATION);
        return Outcome.RESERVED;
      }
      avoid = 1L << r.site;
    }
    Outcome o = place(s, avoid);
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
        defer(s, PendingReason.RESERVATION);
        return Outcome.RESERVED;
      }
      r.spareGpus -= used;
    }
    commit(s);
    return Outcome.STARTED;
  }

  /**
   * Plans job {@code s}'s placement, avoiding the sites in {@code avoidSites}; the plan is left in
   * {@link #plan}. {@link Outcome#RESERVED} when it would fit only on an avoided site.
   */
  private Outcome place(int s, long avoidSites) {
    int gpus = jobs.gpus[s];
    int t = jobs.tenant[s];
    if (tenants.gpus(t) + gpus > tenants.limit(t)) {
      defer(s, PendingReason.TENANT_LIMIT);
      return Outcome.TENANT_LIMIT;
    }
    if (gpus > state.freeGpus() - tenants.unlentReservations(t, gpus)) {
      defer(s, PendingReason.NO_CAPACITY);
      return Outcome.NO_FIT;
    }
    boolean span = jobs.spanSites(s);
    long sites = tenants.contract(t).siteMask() & ~avoidSites;
    int group = jobs.group[s];
    int shape = 31 - Integer.numberOfLeadingZeros(group);
    int spanIndex = span ? 1 : 0;
    boolean memo = avoidSites == 0 && Integer.bitCount(group) == 1;
    if (memo && gpus >= failedAtLeast[spanIndex][shape]
        || !placer.plan(gpus, group, span && wan.spanAllowed(), sites, plan)) {
      if (memo) {
        failedAtLeast[spanIndex][shape] = Math.min(failedAtLeast[spanIndex][shape], gpus);
      }
      if (gpus > state.freeGpus()) {
        defer(s, PendingReason.NO_CAPACITY);
        return Outcome.NO_FIT;
      }
      if (avoidSites != 0) {
        defer(s, PendingReason.RESERVATION); // the GPUs are there, but on the site the reservation holds
        return Outcome.RESERVED;
      }
      defer(s, PendingReason.FRAGMENTED);
      return Outcome.NO_FIT;
    }
    return Outcome.STARTED;
  }

  /** Commits the plan made by {@link #place} for job {@code s}. */
  private void commit(int s) {
    Allocation a = state.allocate(plan);
    queue.unlink(s);
    running.add(s, a, endOf(now, jobs.expectedSeconds[s]));
    tenants.take(jobs.tenant[s], a);
    easy.forget(s);
    listener.started(jobs.id[s], a, now);
  }

  /** {@code start + seconds}, saturating at {@link Long#MAX_VALUE}. */
  private static long endOf(long start, long seconds) {
    return seconds > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + seconds;
  }

  /** Releases every GPU job {@code s} holds; a job ending before its expected end voids the reservation. */
  private void release(int s) {
    Allocation a = running.remove(s);
    state.release(a);
    tenants.give(jobs.tenant[s], a);
    repair.forget(s);
    wan.forget(s);
    capacityFreed = true;
    if (now < jobs.expectedEnd[s]) {
      easy.invalidate(); // ended earlier than the reservation assumed
    }
  }

  private void dequeue(int s) {
    queue.unlink(s);
    queue.forgetArrival(s);
    easy.forget(s);
  }

  private void resetPassMemo() {
    for (int[] row : failedAtLeast) {
      Arrays.fill(row, Integer.MAX_VALUE);
    }
    reclaimFailedAtLeast = Integer.MAX_VALUE;
  }

  // ---- queries ----

  public boolean isPending(long job) {
    int s = jobs.slot(job);
    return s >= 0 && jobs.state[s] == JobTable.PENDING;
  }

  /** Whether the job holds GPUs (running, interrupted or stalled). */
  public boolean isRunning(long job) {
    int s = jobs.slot(job);
    return s >= 0 && jobs.holdsGpus(s);
  }

  /** The job's state in the kernel; {@link JobState#GONE} if it is not live. */
  public JobState state(long job) {
    int s = jobs.slot(job);
    return s < 0 ? JobState.GONE : JobState.ALL.get(jobs.state[s]);
  }

  /** The GPUs a job holds, or null. */
  public Allocation allocation(long job) {
    int s = jobs.slot(job);
    return s < 0 ? null : jobs.allocation[s];
  }

  /**
   * Why a pending job waits, or null if it is not pending. A job no pass has looked at since it
   * was queued waits behind the head of the queue if a reservation is held.
   */
  public PendingReason pendingReason(long job) {
    int s = jobs.slot(job);
    if (s < 0 || jobs.state[s] != JobTable.PENDING) {
      return null;
    }
    PendingReason r = queue.reason(s);
    return r == PendingReason.NEW && easy.current() != null ? PendingReason.BEHIND_HEAD : r;
  }

  /** The running job holding fleet-wide GPU {@code gpu}, or -1. */
  public long ownerOf(int gpu) {
    checkRange(gpu, 1);
    int s = running.owner(gpu);
    return s < 0 ? -1 : jobs.id[s];
  }

  /** Calls {@code action} with the id of every job holding GPUs, in order of expected end. */
  public void forEachRunning(LongConsumer action) {
    for (IntBidirectionalIterator it = running.byExpectedEnd(); it.hasNext(); ) {
      action.accept(jobs.id[it.nextInt()]);
    }
  }

  /** The current EASY reservation's job id and time, or null. */
  public Reservation reservation() {
    return easy.current();
  }

  public int pendingCount() {
    return queue.count();
  }

  public long pendingGpus() {
    return queue.gpus();
  }

  /** Jobs holding GPUs (running, interrupted or stalled). */
  public int runningCount() {
    return running.count();
  }

  public int tenantGpus(int tenant) {
    return tenants.gpus(tenant);
  }

  public int tenantCount() {
    return tenants.count();
  }

  /** Running jobs preempted so far. */
  public long preemptions() {
    return preemptions;
  }

  /** Slots the job table holds (its arrays' length): bounded by twice the peak of live jobs. */
  public int jobCapacity() {
    return jobs.capacity();
  }

  /** Bytes of every array the kernel holds, the fleet state's included. */
  public long footprintBytes() {
    return jobs.footprintBytes() + running.footprintBytes() + tenants.footprintBytes() + outages.footprintBytes()
        + (spares == null ? 0 : spares.footprintBytes()) + state.footprintBytes();
  }

  /** Checks every part against the others and the fleet state (see {@link SchedulerInvariants}). */
  public void checkInvariants() {
    new SchedulerInvariants(fleet, state, jobs, queue, running, tenants, wan, spares).check();
  }

  /** A job's state in the kernel. Ordinals match {@link JobTable}'s state bytes. */
  public enum JobState {
    GONE, PENDING, RUNNING, INTERRUPTED, STALLED;

    static final List<JobState> ALL = List.of(values());
  }

  /** The policy's read-only window on the kernel. */
  private final class View implements PassView {
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
      queue.forEach(visitor);
    }

    @Override
    public int[] pendingJobs() {
      return queue.toArray();
    }

    @Override
    public void forEachArrival(IntPredicate visitor) {
      queue.forEachArrival(visitor);
    }

    @Override
    public Reservation reservation() {
      return easy.current();
    }

    @Override
    public long jobId(int job) {
      return jobs.id[job];
    }

    @Override
    public int jobTenant(int job) {
      return jobs.tenant[job];
    }

    @Override
    public int jobGpus(int job) {
      return jobs.gpus[job];
    }

    @Override
    public long jobArrival(int job) {
      return jobs.arrival[job];
    }

    @Override
    public long expectedSeconds(int job) {
      return jobs.expectedSeconds[job];
    }

    @Override
    public double attainedGpuSeconds(int job) {
      return progress.attainedGpuSeconds(jobs.id[job], now);
    }

    @Override
    public boolean isRunning(int job) {
      return jobs.holdsGpus(job);
    }

    @Override
    public boolean withinReservation(int job) {
      return tenants.withinReservation(jobs.tenant[job], jobs.gpus[job]);
    }

    @Override
    public int tenantCount() {
      return tenants.count();
    }

    @Override
    public Tenant tenant(int t) {
      return tenants.tenant(t);
    }

    @Override
    public int tenantHeadroom(int t) {
      return tenants.headroom(t);
    }

    @Override
    public double weightedShare(int t) {
      return tenants.weightedShare(t);
    }
  }
}
