package dev.superfactory.sched;

import java.util.Comparator;

/**
 * Shortest job first with an oracle: pending jobs in order of their actual run time (which no
 * real scheduler knows: a yardstick for comparisons), each started if it fits (greedy, no
 * reservation, so large long jobs can starve, as SJF does). Cost per pass: O(pending log pending)
 * plus placements.
 */
public final class SjfPolicy implements QueuePolicy {
  @Override
  public String name() {
    return "sjf";
  }

  @Override
  public void schedule(SchedulingPass pass) {
    int[] order = Orders.by(pass.pendingJobs(), Comparator.comparingLong((Integer j) -> pass.jobDurationSeconds(j)));
    for (int j : order) {
      pass.tryStart(j, true);
    }
  }
}
