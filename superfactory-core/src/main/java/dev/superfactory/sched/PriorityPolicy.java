package dev.superfactory.sched;

/**
 * Strict priority by the tenants' priority classes, arrival order within a class (Slurm's
 * priority/multifactor with only the QOS factor; Kueue's WorkloadPriorityClass). A job that does
 * not fit preempts running jobs of strictly lower priority (checkpoint-aware, never
 * non-preemptible ones); if it still does not fit it gets an EASY reservation and lower jobs may
 * backfill. Cost per pass: O(pending log pending) plus placements. It never stops its walk early
 * ({@link PassView#restCannotStart}): a job may preempt whatever the free GPUs.
 */
public final class PriorityPolicy implements QueuePolicy {
  @Override
  public String name() {
    return "priority";
  }

  @Override
  public void schedule(PassView view, Decisions decisions) {
    int[] order = Orders.by(view.pendingJobs(), j -> -priority(view, j));
    Reservation r = null;
    for (int j : order) {
      if (r != null) {
        decisions.backfill(j, r);
        continue;
      }
      int p = priority(view, j);
      if (decisions.start(j, Start.RECLAIMING_ELSE_RESERVE.preempting(v -> priority(view, v) < p)) == Outcome.NO_FIT) {
        r = view.reservation();
      }
    }
  }

  private static int priority(PassView view, int job) {
    return view.tenant(view.jobTenant(job)).contract().priority();
  }
}
