package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.sched.SchedulerListener.Interruption;
import it.unimi.dsi.fastutil.ints.IntArrays;

/**
 * What the kernel does when WAN links are cut and restored ({@link WanCuts} holds which are):
 * while any link is cut no new gang spans sites; each computing gang across a cut link shrinks to
 * its largest site or stalls, as {@link Scheduler.Options} says. When a link returns, stalled gangs
 * that no longer span a cut link resume; when every link is back, shrunk gangs are interrupted to
 * regrow (they checkpoint, requeue and start again across sites). Jobs handled together are taken
 * in order of the caller's ids.
 *
 * <p>Costs: a cut O(gangs spanning sites) plus a split per shrunk gang; a restore
 * O(stalled + shrunk gangs · links).
 */
final class WanCutResponse {
  private final KernelState k;
  private final JobTable jobs;
  private final Interruptions interruptions;

  WanCutResponse(KernelState k, Interruptions interruptions) {
    this.k = k;
    this.jobs = k.jobs;
    this.interruptions = interruptions;
  }

  void cut(int link) {
    if (!k.wan.cut(link)) {
      return;
    }
    for (int s : k.running.multiSite()) {
      if (jobs.state(s) != JobTable.RUNNING || !k.wan.spans(jobs.allocation[s], link)) {
        continue;
      }
      if (k.options.shrinkOnWanCut()) {
        shrink(s);
      } else {
        jobs.setState(s, JobTable.STALLED);
        jobs.haltedSince[s] = k.now;
        k.wan.stalled().add(s);
        k.listener.stalled(jobs.id[s], jobs.allocation[s], k.now);
      }
    }
  }

  private void shrink(int s) {
    Allocation before = jobs.allocation[s];
    int keep = 0;
    for (int i = 1; i < k.fleet.siteCount(); i++) {
      if (before.gpusOnSite(i) > before.gpusOnSite(keep)) {
        keep = i;
      }
    }
    Allocation[] parts = k.repair.shrinkToSite(s, keep);
    k.wan.shrunk().add(s);
    k.capacityFreed = true;
    k.easy.invalidate();
    k.listener.shrunk(jobs.id[s], before, parts[0], parts[1], k.now);
  }

  void restore(int link) {
    k.capacityFreed = true; // like any repair: the next pass looks at every pending job again
    k.easy.invalidate();
    if (!k.wan.restore(link)) {
      return;
    }
    for (int s : byId(k.wan.stalled().toIntArray())) {
      if (!k.wan.spansCut(jobs.allocation[s])) {
        k.wan.stalled().remove(s);
        jobs.setState(s, JobTable.RUNNING);
        k.running.delayEnd(s, k.now - jobs.haltedSince[s]); // the promise, if any, is recomputed below
        k.listener.resumed(jobs.id[s], jobs.allocation[s], k.now);
      }
    }
    if (!k.wan.spanAllowed()) {
      return;
    }
    for (int s : byId(k.wan.shrunk().toIntArray())) {
      k.wan.shrunk().remove(s);
      jobs.setFlag(s, JobTable.REGROW, true);
      if (jobs.state(s) == JobTable.RUNNING) {
        interruptions.interrupt(s, Interruption.REGROW);
      }
    }
  }

  /** Slots in order of the caller's job ids. */
  private int[] byId(int[] slots) {
    IntArrays.quickSort(slots, (a, b) -> Long.compare(jobs.id[a], jobs.id[b]));
    return slots;
  }
}
