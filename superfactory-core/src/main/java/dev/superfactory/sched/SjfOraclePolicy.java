package dev.superfactory.sched;

import java.util.Objects;

/**
 * Shortest job first with an oracle: pending jobs in order of their true run time, which no real
 * scheduler knows; a yardstick for comparisons in the twin, refused live ({@link QueuePolicies}).
 * Greedy, no reservation. Cost per pass: O(pending log pending) plus placements.
 */
public final class SjfOraclePolicy implements QueuePolicy {
  private final QueuePolicies.TrueDurations oracle;

  public SjfOraclePolicy(QueuePolicies.TrueDurations oracle) {
    this.oracle = Objects.requireNonNull(oracle, "sjf-oracle needs the true run times");
  }

  @Override
  public String name() {
    return "sjf-oracle";
  }

  @Override
  public void schedule(PassView view, Decisions decisions) {
    if (view.restCannotStart()) {
      return; // nothing can start (in a forecast's fork, which keeps no reasons): no sort, no walk
    }
    int[] order = Orders.by(view.pendingJobs(), j -> oracle.seconds(view.jobId(j)));
    for (int j : order) {
      if (view.restCannotStart()) {
        return;
      }
      decisions.start(j, Start.RECLAIMING);
    }
  }
}
