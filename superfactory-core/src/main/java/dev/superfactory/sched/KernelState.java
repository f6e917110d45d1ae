package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.workload.Tenant;
import java.util.List;

/**
 * The kernel's parts and clock, shared by the classes that carry out its commands
 * ({@link Scheduler}, {@link PassRunner}, {@link Interruptions}, {@link WanCutResponse}): one per
 * kernel, touched by one thread. Also the few operations several of them need: release a job's
 * GPUs, take a job out of the queue, record why a job waits. Each O(1) plus its parts' own costs
 * (a release: O(log running) and the job's domains).
 */
final class KernelState {
  final Fleet fleet;
  final FleetState state;
  final Placer placer;
  final JobTable jobs;
  final PendingQueue queue;
  final RunningJobs running;
  final TenantUsage tenants;
  final EasyReservation easy;
  final AllocationRepair repair;
  final Outages outages;
  final Cordons cordons;
  final WanCuts wan;
  final SchedulerListener listener;
  private final boolean reportDeferrals;
  final Scheduler.Options options;
  SparePool spares;
  /** The kernel's clock: the time of the command in progress (seconds). */
  long now;
  /** Capacity or headroom was freed, or the queue order changed, since the last pass: look at every pending job. */
  boolean capacityFreed = true;
  long preemptions;
  /**
   * Whether pending reasons are recorded (and deferrals reported). False only in a fork made for a
   * forecast ({@link Scheduler#forkForForecast}), where no one reads them: a pass there may stop
   * walking the queue once nothing more can start ({@link PassRunner#restCannotStart}).
   */
  boolean keepsReasons = true;

  KernelState(Fleet fleet, List<Tenant> tenants, Scheduler.Options options,
      SchedulerListener listener) {
    this.fleet = fleet;
    this.state = new FleetState(fleet);
    this.placer = new Placer(state, options.siteChoice());
    this.jobs = new JobTable();
    this.queue = new PendingQueue(jobs);
    this.running = new RunningJobs(fleet, jobs);
    this.tenants = new TenantUsage(fleet, tenants);
    this.outages = new Outages(state);
    this.cordons = new Cordons(fleet, outages);
    this.easy = new EasyReservation(state, jobs, running, this.tenants, cordons);
    this.repair = new AllocationRepair(state, jobs, running, this.tenants, placer, cordons);
    this.wan = new WanCuts(fleet);
    this.options = options;
    this.listener = listener;
    this.reportDeferrals = listener.wantsDeferrals();
  }

  /**
   * A deep copy of {@code from} reporting to {@code listener}: every part copied over the copied
   * fleet state and job table, sharing only the fleet, the tenants' records and the (immutable)
   * allocations. O(state): see {@link Scheduler#fork}.
   */
  KernelState(KernelState from, SchedulerListener listener) {
    this.fleet = from.fleet;
    this.state = from.state.copy();
    this.placer = new Placer(from.placer, state);
    this.jobs = new JobTable(from.jobs);
    this.queue = new PendingQueue(from.queue, jobs);
    this.running = new RunningJobs(from.running, jobs);
    this.tenants = new TenantUsage(from.tenants);
    this.outages = new Outages(from.outages, state);
    this.cordons = new Cordons(from.cordons, outages);
    this.easy = new EasyReservation(from.easy, state, jobs, running, tenants, cordons);
    this.repair = new AllocationRepair(from.repair, state, jobs, running, tenants, placer, cordons);
    this.wan = new WanCuts(from.wan);
    this.options = from.options;
    this.listener = listener;
    this.reportDeferrals = listener.wantsDeferrals();
    this.spares = from.spares == null ? null : new SparePool(from.spares, outages::isDown);
    this.now = from.now;
    this.capacityFreed = from.capacityFreed;
    this.preemptions = from.preemptions;
  }

  /** Releases every GPU job {@code s} holds; a job ending before its expected end voids the reservation. */
  void release(int s) {
    Allocation a = running.remove(s);
    state.release(a);
    tenants.give(jobs.tenant(s), a);
    repair.forget(s);
    wan.forget(s);
    capacityFreed = true;
    if (now < jobs.expectedEnd[s]) {
      easy.invalidate(); // ended earlier than the reservation assumed
    }
  }

  /** Takes a pending job out of the queue (cancelled or rejected). */
  void dequeue(int s) {
    queue.unlink(s);
    queue.forgetArrival(s);
    easy.forget(s);
  }

  /** Records why a pending job waits; the listener hears of it when the reason changes. */
  void defer(int s, PendingReason why) {
    if (keepsReasons && queue.setReason(s, why) && reportDeferrals) {
      reportDeferred(s, why);
    }
  }

  private void reportDeferred(int s, PendingReason why) {
    listener.deferred(jobs.id[s], why, now);
  }

  /** {@code start + seconds}, saturating at {@link Long#MAX_VALUE}. */
  static long endOf(long start, long seconds) {
    return seconds > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + seconds;
  }
}
