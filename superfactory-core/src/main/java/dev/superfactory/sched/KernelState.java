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
  final JobTable jobs = new JobTable();
  final PendingQueue queue = new PendingQueue(jobs);
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

  KernelState(Fleet fleet, List<Tenant> tenants, Scheduler.Options options,
      SchedulerListener listener) {
    this.fleet = fleet;
    this.state = new FleetState(fleet);
    this.placer = new Placer(state, options.siteChoice());
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
    if (queue.setReason(s, why) && reportDeferrals) {
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
