package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.sched.SchedulerListener.Interruption;
import java.util.Arrays;

/**
 * What the kernel does when GPUs fail under running gangs: each job holding a failed GPU swaps in
 * hot spares of the same domains if the pool has them (never for a maintenance drain), else is
 * interrupted; it holds its GPUs until it {@link #recover recovers}, then restarts in place on its
 * healthy GPUs plus replacements ({@link AllocationRepair}), or, if none fit, if it would compute
 * across a cut WAN link, or if it must regrow after a WAN cut, releases its GPUs and goes to the
 * front of the queue.
 *
 * <p>Costs: an outage O(GPUs in the range) to mark them and find their owners (the owner index is
 * built on the first one), plus a swap per job hit; a recovery O(domains of the job) plus one
 * placement.
 */
final class Interruptions {
  private final KernelState k;
  private final JobTable jobs;
  private int stamp;

  Interruptions(KernelState k) {
    this.k = k;
    this.jobs = k.jobs;
  }

  /** Over {@code k} (a copy of {@code from}'s kernel), with the same outage stamp (the jobs' stamps are in the table). */
  Interruptions(Interruptions from, KernelState k) {
    this(k);
    this.stamp = from.stamp;
  }

  int stamp() {
    return stamp;
  }

  /** GPUs [first, first + count) go out of service; the jobs on them swap spares or are interrupted. */
  void gpusDown(int first, int count, boolean drain) {
    k.outages.down(first, count);
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(jobs.hitStamp, 0);
      stamp = 1;
    }
    for (int g = first; g < first + count; g++) {
      int s = k.running.owner(g);
      if (s < 0) {
        continue;
      }
      k.repair.noteFailure(s, g);
      if (jobs.hitStamp[s] != stamp) {
        jobs.hitStamp[s] = stamp;
        if (drain || !trySpares(s, first, count)) {
          interrupt(s, drain ? Interruption.DRAIN : Interruption.FAILURE);
        }
      }
    }
  }

  private boolean trySpares(int s, int first, int count) {
    if (k.spares == null || jobs.state(s) != JobTable.RUNNING) {
      return false;
    }
    Allocation before = jobs.allocation[s];
    Allocation after = k.repair.swapSpares(s, k.spares, first, count);
    if (after == null) {
      return false;
    }
    jobs.setState(s, JobTable.INTERRUPTED);
    jobs.haltedSince[s] = k.now;
    k.listener.swapped(jobs.id[s], before, after, k.now);
    return true;
  }

  /** A job holding GPUs stops computing and waits for {@link #recover} (no-op if it already waits). */
  void interrupt(int s, Interruption why) {
    if (jobs.state(s) == JobTable.INTERRUPTED) {
      return;
    }
    boolean wasStalled = jobs.state(s) == JobTable.STALLED;
    if (wasStalled) {
      k.wan.stalled().remove(s); // it has not computed since the stall began
    } else {
      jobs.haltedSince[s] = k.now;
    }
    jobs.setState(s, JobTable.INTERRUPTED);
    k.listener.interrupted(jobs.id[s], jobs.allocation[s], why, wasStalled, k.now);
  }

  /** An interrupted job is ready again: restart in place, or release and requeue at the front. */
  void recover(int s) {
    if (jobs.state(s) != JobTable.INTERRUPTED) {
      throw new IllegalStateException("job " + jobs.id[s] + " is not interrupted");
    }
    Allocation before = jobs.allocation[s];
    Allocation after;
    if (jobs.flag(s, JobTable.REGROW)) {
      jobs.setFlag(s, JobTable.REGROW, false);
      k.repair.forget(s);
      after = null;
    } else {
      after = k.repair.repairInPlace(s, k.wan.spanAllowed());
    }
    if (after != before) {
      k.capacityFreed = true;
    }
    if (after != null && after.siteCount() > 1 && k.wan.spansCut(after)) {
      after = null; // it cannot compute across a cut link: it starts again, on one site if it must
    }
    if (after != null) {
      jobs.setState(s, JobTable.RUNNING);
      k.running.delayEnd(s, k.now - jobs.haltedSince[s]); // it will end as much later as it stood still
      k.easy.invalidate(); // a promise counted on its old end
      if (after != before) {
        k.running.refileSites(s);
      }
      k.listener.restarted(jobs.id[s], before, after, k.now);
      return;
    }
    k.listener.requeued(jobs.id[s], before, k.now);
    k.release(s);
    k.queue.pushFront(s);
    k.capacityFreed = true;
    k.easy.invalidate();
  }
}
