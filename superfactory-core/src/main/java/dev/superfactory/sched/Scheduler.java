package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.sched.SchedulerListener.Interruption;
import dev.superfactory.workload.Tenant;
import it.unimi.dsi.fastutil.ints.IntBidirectionalIterator;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The scheduler kernel: a closed state machine that owns every piece of scheduling state (the
 * fleet's free, allocated and down GPUs, the queue, the running jobs, the tenants' use, hot
 * spares, cut WAN links) and changes it only in answer to commands: {@link #submit},
 * {@link #cancel}, {@link #finish}, {@link #gpusDown}, {@link #gpusUp}, {@link #cordon}, {@link #uncordon}, {@link #jobFailed},
 * {@link #recover}, {@link #wanCut}, {@link #wanRestored}, {@link #holdSpares},
 * {@link #changeContract} and {@link #schedule}. It reports every decision it takes to one
 * {@link SchedulerListener}. It knows a clock value and the fleet, never who drives it: the
 * twin's event loop and a live service send the same commands. One thread at a time.
 *
 * <p>Time is {@code long} seconds (simulated seconds in the twin, epoch seconds live), never
 * decreasing from one command to the next. Jobs are named by the caller's {@code long} ids and
 * kept in reused slots ({@link JobTable}), so memory is bounded by the jobs live at once.
 *
 * <p>The parts, each with its costs: the state ({@link KernelState}: {@link JobTable},
 * {@link PendingQueue}, {@link RunningJobs}, {@link TenantUsage}, {@link EasyReservation},
 * {@link Outages}, {@link Cordons}, {@link SparePool}, {@link WanCuts}), and what carries out the commands:
 * {@link PassRunner} (a policy's decisions: {@link Placer}, {@link Preemptor}),
 * {@link Interruptions} (outages, spares, recovery: {@link AllocationRepair}),
 * {@link WanCutResponse}, {@link UsableCapacity}; {@link SchedulerInvariants} checks them all.
 *
 * <p>Costs. Commands O(log running) plus what they release or repair; cancelling a pending job
 * also O(arrivals since the last pass), a contract change O(pending). A pass is incremental: when
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
   * @param siteChoice which of several sites that can hold a gang it is placed on
   */
  public record Options(boolean shrinkOnWanCut, SiteChoice siteChoice) {
    public static final Options DEFAULT = new Options(false);

    public Options {
      java.util.Objects.requireNonNull(siteChoice, "siteChoice");
    }

    /** Best-fit site choice. */
    public Options(boolean shrinkOnWanCut) {
      this(shrinkOnWanCut, SiteChoice.BEST_FIT);
    }
  }

  private final KernelState k;
  private final JobTable jobs;
  private final QueuePolicy policy;
  private final Preemptor preemptor;
  private final PassRunner pass;
  private final Interruptions interruptions;
  private final WanCutResponse cuts;
  private final UsableCapacity usable;
  private final KernelView view;

  public Scheduler(Fleet fleet, List<Tenant> tenants, QueuePolicy policy, Options options, SchedulerListener listener) {
    this.k = new KernelState(fleet, tenants, options, listener);
    this.jobs = k.jobs;
    this.policy = policy;
    this.preemptor = new Preemptor(k.state, jobs, k.running, k.tenants);
    this.pass = new PassRunner(k, preemptor, policy.name());
    this.interruptions = new Interruptions(k);
    this.cuts = new WanCutResponse(k, interruptions);
    this.usable = new UsableCapacity(fleet);
    this.view = new KernelView(k, pass);
  }

  private Scheduler(Scheduler from, SchedulerListener listener) {
    this.k = new KernelState(from.k, listener);
    this.jobs = k.jobs;
    this.policy = from.policy.fork();
    this.preemptor = new Preemptor(k.state, jobs, k.running, k.tenants);
    this.pass = new PassRunner(from.pass, k, preemptor);
    this.interruptions = new Interruptions(from.interruptions, k);
    this.cuts = new WanCutResponse(k, interruptions);
    this.usable = new UsableCapacity(from.usable);
    this.view = new KernelView(k, pass);
    progress(from.view.progress());
  }

  /**
   * A deep copy of this kernel that reports to {@code listener}: driven by the same commands
   * afterwards, it takes exactly the decisions this one would, and nothing done to either changes
   * the other. Everything that can change is copied (fleet state and its index, job table, queue
   * order, arrivals and reasons, running jobs and their order, tenants' use and contracts, the
   * EASY promise, outages, cordons, spares, WAN cuts, repair notes, the pass memo, the clock and
   * flags, the policy's state via {@link QueuePolicy#fork}); only immutable things are shared (the
   * fleet, the tenants' records, the allocations). The fork keeps this kernel's
   * {@link JobProgress}: give it its own ({@link #progress}) before driving it into a future the
   * original's source cannot answer for.
   *
   * <p>Cost: O(state) array copies, no object per GPU or per job: the fleet state's bit sets and
   * index (O(GPUs / 64 + domains)), the outage counts (one byte per GPU), the job table's columns
   * and id map (O(slots)), plus O(running · log running) to rebuild the order by expected end.
   * Measured on fairwater (338,688 GPUs) full with 100,000 pending jobs (131,072 slots, ≈ 12 MB
   * copied), 2 cores: 20–40 ms, mostly the job table's columns and id map
   * ({@code ForecastTiming} in the tests). Call it on the kernel's thread; the fork may then be
   * driven, or forked again, on another.
   */
  public Scheduler fork(SchedulerListener listener) {
    return new Scheduler(this, java.util.Objects.requireNonNull(listener, "listener"));
  }

  /**
   * A {@link #fork} for a forecast: it takes exactly the decisions a fork would (the same starts,
   * preemptions, reservations, reports), but keeps no pending reasons: it reports no deferral, and
   * {@link #pendingReason} and {@link #pendingGpus(PendingReason)} throw. In exchange a full pass
   * of the FIFO, FIFO-backfill, SJF and fair-share policies stops walking the queue once no
   * pending job can start, reclaim or take the reservation any more in it (fewer free GPUs than
   * the smallest pending request, or none usable without delaying the reservation, and no tenant
   * able to reclaim: {@link PassView#restCannotStart}, {@link PassView#restCannotBackfill}),
   * instead of recording why each of the rest waits. Priority with preemption and LAS walk the
   * whole queue (a job there may preempt whatever the free GPUs). Cost: as {@link #fork}, plus
   * O(pending) to count the pending jobs by size and run-time class, which it keeps up after.
   */
  public Scheduler forkForForecast(SchedulerListener listener) {
    Scheduler f = fork(listener);
    f.k.keepsReasons = false;
    f.k.queue.countClasses(); // O(pending), as the fork's copies
    return f;
  }

  /** Turns the early exit of {@link #forkForForecast} off (true) or on again: for tests and timings. */
  void walkWholeQueue(boolean whole) {
    pass.walkWholeQueue(whole);
  }

  /** Passes whose walk stopped early so far ({@link #forkForForecast}): for tests and timings. O(1). */
  long walksStopped() {
    return pass.walksStopped();
  }

  /** Where lost work and attained service of running jobs come from (the twin's ledgers, or telemetry live). */
  public void progress(JobProgress p) {
    view.progress(p);
    preemptor.progress(p);
  }

  public QueuePolicy policy() {
    return policy;
  }

  /** The fleet state, to read (free, allocated and down GPUs). Only the kernel changes it. */
  public FleetState fleetState() {
    return k.state;
  }

  // ---- commands ----

  /** A job enters the queue, or is rejected at once if it can never run. */
  public void submit(long job, JobRequest r, long t) {
    advance(t);
    if (jobs.slot(job) >= 0) {
      throw new IllegalArgumentException("job " + job + " is already in the scheduler");
    }
    if (r.tenant() >= k.tenants.count()) {
      throw new IllegalArgumentException("job " + job + ": tenant " + r.tenant() + " does not exist (there are "
          + k.tenants.count() + ")");
    }
    if (neverFits(r.tenant(), r.gpus(), r.scaleUpGroup(), r.spanSites())) {
      k.listener.rejected(job, PendingReason.TOO_LARGE, t);
      return;
    }
    boolean within = k.tenants.withinReservation(r.tenant(), r.gpus());
    int s = jobs.add(job, r, t);
    k.queue.append(s);
    k.listener.queued(job, within, t);
  }

  /** Whether a gang can never run: over its tenant's limit, or too large for the sites it may use. O(sites). */
  private boolean neverFits(int tenant, int gpus, int group, boolean span) {
    return gpus > k.tenants.limit(tenant)
        || usable.neverFits(k.tenants.contract(tenant).siteMask(), gpus, group, span);
  }

  /** Cancels a pending or running job; false if the kernel does not know it (finished, rejected or never submitted). */
  public boolean cancel(long job, long t) {
    advance(t);
    int s = jobs.slot(job);
    if (s < 0) {
      return false;
    }
    if (jobs.state(s) == JobTable.PENDING) {
      k.dequeue(s);
      k.listener.cancelled(job, null, t);
    } else {
      k.listener.cancelled(job, jobs.allocation[s], t);
      k.release(s);
    }
    jobs.remove(s);
    k.capacityFreed = true;
    return true;
  }

  /** A job that holds GPUs completed: they are released. */
  public void finish(long job, long t) {
    advance(t);
    int s = jobs.require(job);
    if (!jobs.holdsGpus(s)) {
      throw new IllegalStateException("job " + job + " is not running");
    }
    k.listener.finished(job, jobs.allocation[s], t);
    k.release(s);
    jobs.remove(s);
  }

  /**
   * GPUs [first, first + count) go out of service (a failure, or a maintenance {@code drain}).
   * Each job holding one of them swaps in hot spares of the same domains if the pool has them
   * (not for a drain), else is interrupted; either way it waits for {@link #recover}. Free GPUs
   * in the range leave the free pool. O(GPUs in the range) plus the swaps ({@link Interruptions}).
   */
  public void gpusDown(int first, int count, long t, boolean drain) {
    advance(t);
    checkRange(first, count);
    interruptions.gpusDown(first, count, drain);
  }

  /** GPUs [first, first + count) are back in service; those no job holds become free. */
  public void gpusUp(int first, int count, long t) {
    advance(t);
    checkRange(first, count);
    k.outages.up(first, count);
    k.capacityFreed = true;
    k.easy.invalidate();
  }

  /**
   * GPUs [first, first + count) are cordoned (Kubernetes' cordon, not its drain): they take no new
   * job, while the jobs holding them keep running to their end, uninterrupted; released, they stay
   * out of service (not free) until {@link #uncordon}. A job holding a cordoned GPU that must
   * restart ({@link #recover}) restarts elsewhere. A cordon is an outage of its own: a GPU also
   * failed or drained stays down until that ends too. Cordoning a cordoned GPU changes nothing.
   * Returns the GPUs newly cordoned. O(GPUs in the range).
   */
  public int cordon(int first, int count, long t) {
    advance(t);
    checkRange(first, count);
    int n = k.cordons.cordon(first, count);
    if (n > 0) {
      k.easy.invalidate(); // the promise may count on those GPUs
    }
    return n;
  }

  /**
   * Lifts the cordon of GPUs [first, first + count): those out of service for nothing else and
   * held by no job become free. GPUs not cordoned are left as they are (a drained GPU stays
   * drained). Returns the GPUs uncordoned. O(GPUs in the range).
   */
  public int uncordon(int first, int count, long t) {
    advance(t);
    checkRange(first, count);
    int n = k.cordons.uncordon(first, count);
    if (n > 0) {
      k.capacityFreed = true;
      k.easy.invalidate();
    }
    return n;
  }

  /** A job crashed without any GPU failing (software): it is interrupted until {@link #recover}. */
  public void jobFailed(long job, long t) {
    advance(t);
    int s = jobs.require(job);
    if (jobs.holdsGpus(s)) {
      interruptions.interrupt(s, Interruption.FAILURE);
    }
  }

  /**
   * An interrupted job is ready to run again (its failure detected, its drain done): it restarts
   * in place on its healthy GPUs plus replacements for the failed ones; if none fit, if it would
   * span a cut WAN link, or if it must regrow after a WAN cut, it releases its GPUs and goes to
   * the front of the queue.
   */
  public void recover(long job, long t) {
    advance(t);
    interruptions.recover(jobs.require(job));
  }

  /**
   * WAN link {@code link} is cut: no new gang spans sites until every link is up, and each
   * computing gang across the link shrinks to its largest site or stalls ({@link Options}).
   */
  public void wanCut(int link, long t) {
    advance(t);
    cuts.cut(link);
  }

  /**
   * One cut of WAN link {@code link} is repaired. Once the link is up, stalled gangs that no
   * longer span a cut link resume, and once every link is up, gangs shrunk by a cut are
   * interrupted to regrow (they checkpoint, requeue and start again across sites).
   */
  public void wanRestored(int link, long t) {
    advance(t);
    cuts.restore(link);
  }

  /** Sets aside up to {@code perDomain} free GPUs of every domain as hot spares (once). */
  public void holdSpares(int perDomain, long t) {
    advance(t);
    if (k.spares != null) {
      throw new IllegalStateException("hot spares are already held");
    }
    if (perDomain < 0) {
      throw new IllegalArgumentException("spares per domain must be >= 0, got " + perDomain);
    }
    k.spares = new SparePool(k.fleet, k.state, perDomain, k.outages::isDown);
    usable.refresh(k.spares);
  }

  /**
   * Tenant {@code t}'s contract changes (a new index adds a tenant). Its running jobs keep their
   * GPUs even above a lowered limit; its pending jobs that can never run now are rejected.
   */
  public void changeContract(int t, Tenant updated, long time) {
    advance(time);
    if (t < 0 || t > k.tenants.count()) {
      throw new IllegalArgumentException("tenant " + t + " does not exist (there are " + k.tenants.count() + ")");
    }
    k.tenants.change(t, updated);
    k.capacityFreed = true;
    k.easy.invalidate();
    for (int s : k.queue.toArray()) {
      if (jobs.tenant(s) == t && neverFits(t, jobs.gpus(s), jobs.group(s), jobs.spanSites(s))) {
        long job = jobs.id[s];
        k.dequeue(s);
        jobs.remove(s);
        k.listener.rejected(job, PendingReason.TOO_LARGE, time);
      }
    }
  }

  /** One scheduling pass at time {@code t}: the policy decides, the kernel applies. */
  public void schedule(long t) {
    advance(t);
    if (k.capacityFreed) {
      k.easy.dropIfDue(t); // the full pass makes a new promise when it reaches the head
    } else {
      k.easy.renewIfDue(t); // nothing was freed: the head still cannot start; arrivals backfill around a new promise
    }
    if (!k.capacityFreed && !k.queue.hasArrivals()) {
      return;
    }
    pass.resetPassMemo();
    long preemptions = k.preemptions;
    policy.schedule(view, pass);
    k.queue.clearArrivals();
    // preemptions within the pass freed GPUs beyond what their jobs took, and requeued the victims
    k.capacityFreed = k.preemptions != preemptions;
  }

  private void advance(long t) {
    if (t < k.now) {
      throw new IllegalArgumentException(String.format(
          "time %d s is before the kernel's clock (%d s): commands must come in time order", t, k.now));
    }
    k.now = t;
  }

  private void checkRange(int first, int count) {
    if (first < 0 || count <= 0 || first > k.fleet.totalGpus() - count) {
      throw new IllegalArgumentException(String.format(
          "GPU range [%d, %d) is outside the fleet's %d GPUs", first, (long) first + count, k.fleet.totalGpus()));
    }
  }

  // ---- queries ----

  public boolean isPending(long job) {
    int s = jobs.slot(job);
    return s >= 0 && jobs.state(s) == JobTable.PENDING;
  }

  /** Whether the job holds GPUs (running, interrupted or stalled). */
  public boolean isRunning(long job) {
    int s = jobs.slot(job);
    return s >= 0 && jobs.holdsGpus(s);
  }

  /** The job's state in the kernel; {@link JobState#GONE} if it is not live. */
  public JobState state(long job) {
    int s = jobs.slot(job);
    return s < 0 ? JobState.GONE : JobState.ALL.get(jobs.state(s));
  }

  /** The kernel's clock: the time of the latest command (seconds). */
  public long now() {
    return k.now;
  }

  /** The run time job {@code job} declared (seconds), or -1 if it is not live. */
  public long declaredSeconds(long job) {
    int s = jobs.slot(job);
    return s < 0 ? -1 : jobs.expectedSeconds(s);
  }

  /**
   * When a job holding GPUs is expected to end (its start plus its declared run time, plus the
   * time it stood still after failures and WAN stalls it resumed from), or -1 if it holds none.
   */
  public long expectedEnd(long job) {
    int s = jobs.slot(job);
    return s < 0 || !jobs.holdsGpus(s) ? -1 : jobs.expectedEnd[s];
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
    requireReasons();
    int s = jobs.slot(job);
    if (s < 0 || jobs.state(s) != JobTable.PENDING) {
      return null;
    }
    PendingReason r = k.queue.reason(s);
    return r == PendingReason.NEW && k.easy.current() != null ? PendingReason.BEHIND_HEAD : r;
  }

  /** Whether fleet-wide GPU {@code gpu} is cordoned. O(1). */
  public boolean isCordoned(int gpu) {
    checkRange(gpu, 1);
    return k.cordons.isCordoned(gpu);
  }

  /** Cordoned GPUs of domain {@code d} (held by jobs or not). O(1). */
  public int domainCordonedGpus(int d) {
    return k.cordons.domainGpus(d);
  }

  /** Cordoned GPUs of site {@code s} (held by jobs or not). O(1). */
  public int siteCordonedGpus(int s) {
    return k.cordons.siteGpus(s);
  }

  /** The running job holding fleet-wide GPU {@code gpu}, or -1. */
  public long ownerOf(int gpu) {
    checkRange(gpu, 1);
    int s = k.running.owner(gpu);
    return s < 0 ? -1 : jobs.id[s];
  }

  /** Calls {@code action} with the id of every job holding GPUs, in order of expected end. */
  public void forEachRunning(LongConsumer action) {
    for (IntBidirectionalIterator it = k.running.byExpectedEnd(); it.hasNext(); ) {
      action.accept(jobs.id[it.nextInt()]);
    }
  }

  /** Calls {@code action} with the id of every pending job, in queue order. O(pending). */
  public void forEachPending(LongConsumer action) {
    for (int s = k.queue.first(); s >= 0; s = k.queue.next(s)) {
      action.accept(jobs.id[s]);
    }
  }

  /**
   * The EASY reservation held now: which pending job it is for, when it was promised to start
   * and on which site (-1: counted over all its sites); null if none.
   */
  public Promise reservation() {
    Reservation r = k.easy.current();
    return r == null ? null : new Promise(jobs.id[r.job], r.timeSeconds, r.site);
  }

  /**
   * How many gang placements the kernel has planned so far (passes, repairs, preemption checks):
   * the work a pass did beyond its O(1) refusals. O(1).
   */
  public long placementsPlanned() {
    return k.placer.plans();
  }

  /** The head of the queue's promised start (EASY backfilling), as a caller sees it. */
  public record Promise(long job, long startSeconds, int site) {}

  public int pendingCount() {
    return k.queue.count();
  }

  public long pendingGpus() {
    return k.queue.gpus();
  }

  /**
   * GPUs asked for by the pending jobs whose last recorded reason is {@code reason} (a job no
   * pass has looked at yet counts under {@link PendingReason#NEW}). Kept as reasons change: O(1).
   */
  public long pendingGpus(PendingReason reason) {
    requireReasons();
    return k.queue.gpus(reason);
  }

  private void requireReasons() {
    if (!k.keepsReasons) {
      throw new IllegalStateException("this kernel is a fork for a forecast: it keeps no pending reasons");
    }
  }

  /** Tenant {@code tenant}'s pending jobs. Counted as jobs join and leave the queue: O(1). */
  public int pendingCount(int tenant) {
    return k.queue.count(tenant);
  }

  /** GPUs asked for by tenant {@code tenant}'s pending jobs. O(1). */
  public long pendingGpus(int tenant) {
    return k.queue.gpus(tenant);
  }

  /** Jobs holding GPUs (running, interrupted or stalled). */
  public int runningCount() {
    return k.running.count();
  }

  public int tenantGpus(int tenant) {
    return k.tenants.gpus(tenant);
  }

  /** The most GPUs tenant {@code tenant} may hold at once (its contract's limit). */
  public int tenantLimit(int tenant) {
    return k.tenants.limit(tenant);
  }

  public int tenantCount() {
    return k.tenants.count();
  }

  /** Running jobs preempted so far. */
  public long preemptions() {
    return k.preemptions;
  }

  /** Slots the job table holds (its arrays' length): bounded by twice the peak of live jobs. */
  public int jobCapacity() {
    return jobs.capacity();
  }

  /**
   * Bytes of every array the kernel holds, the fleet state's included (hash structures estimated
   * from their sizes; allocations, which are the jobs', not counted).
   */
  public long footprintBytes() {
    return jobs.footprintBytes() + k.queue.footprintBytes() + k.running.footprintBytes() + k.tenants.footprintBytes()
        + k.outages.footprintBytes() + k.cordons.footprintBytes() + (k.spares == null ? 0 : k.spares.footprintBytes()) + k.state.footprintBytes()
        + k.placer.footprintBytes() + k.easy.footprintBytes() + k.repair.footprintBytes() + k.wan.footprintBytes()
        + usable.footprintBytes();
  }

  /**
   * Every piece of this kernel's state as lines ({@link KernelDigest}): to check that a fork is
   * a copy and that driving it leaves this kernel as it was. O(GPUs / 64 + domains + live jobs).
   */
  public KernelDigest digest() {
    return KernelDigest.of(k, pass, interruptions, usable, policy);
  }

  /** Checks every part against the others and the fleet state (see {@link SchedulerInvariants}). */
  public void checkInvariants() {
    new SchedulerInvariants(k.fleet, k.state, jobs, k.queue, k.running, k.tenants, k.wan, k.spares, k.easy, k.cordons)
        .check();
  }

  /** A job's state in the kernel. Ordinals match {@link JobTable}'s state bytes. */
  public enum JobState {
    GONE, PENDING, RUNNING, INTERRUPTED, STALLED;

    static final List<JobState> ALL = List.of(values());
  }
}
