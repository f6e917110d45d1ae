package dev.superfactory.sched;

import java.util.Comparator;

/**
 * Strict priority by the tenants' priority classes, arrival order within a class (Slurm's
 * priority/multifactor with only the QOS factor; Kueue's WorkloadPriorityClass). A job that does
 * not fit preempts running jobs of strictly lower priority (checkpoint-aware, never
 * non-preemptible ones); if it still does not fit it gets an EASY reservation and lower jobs may
 * backfill. Cost per pass: O(pending log pending) plus placements.
 */
public final class PriorityPolicy implements QueuePolicy {
  @Override
  public String name() {
    return "priority";
  }

  @Override
  public void schedule(SchedulingPass pass) {
    int[] order = Orders.by(pass.pendingJobs(),
        Comparator.comparingInt((Integer j) -> -priority(pass, j)));
    Reservation r = null;
    for (int j : order) {
      if (r != null) {
        pass.tryBackfill(j, r);
        continue;
      }
      Outcome o = pass.tryStart(j, true);
      if (o == Outcome.NO_FIT) {
        int p = priority(pass, j);
        o = pass.tryStartPreempting(j, v -> priority(pass, v) < p);
        if (o == Outcome.NO_FIT) {
          r = pass.reserve(j);
        }
      }
    }
  }

  private static int priority(SchedulingPass pass, int job) {
    return pass.tenant(pass.jobTenant(job)).contract().priority();
  }
}
