package dev.superfactory.sched;

/**
 * Shortest job first by declared run time: pending jobs in order of the run time they declared
 * (a time limit, as Slurm's shortest-job-first priority factor uses), each started if it fits
 * (greedy, no reservation, so large long jobs can starve, as SJF does). Cost per pass:
 * O(pending log pending) plus placements; in a forecast's fork, nothing once nothing more can
 * start ({@link PassView#restCannotStart}).
 */
public final class SjfPolicy implements QueuePolicy {
  @Override
  public String name() {
    return "sjf";
  }

  @Override
  public void schedule(PassView view, Decisions decisions) {
    if (view.restCannotStart()) {
      return; // nothing can start (in a forecast's fork, which keeps no reasons): no sort, no walk
    }
    int[] order = Orders.by(view.pendingJobs(), view::expectedSeconds);
    for (int j : order) {
      if (view.restCannotStart()) {
        return;
      }
      decisions.start(j, Start.RECLAIMING);
    }
  }
}
