package dev.superfactory.sched;

import dev.superfactory.fleet.FleetState;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntBidirectionalIterator;
import java.util.Arrays;

/**
 * Chooses whom a preemption takes: among running jobs of preemptible tenants that are computing
 * (not interrupted, not stalled) and that the policy's {@link VictimRule} allows, the ones that
 * lose the least work per GPU first (checkpoint-aware: a job that just checkpointed loses least;
 * {@link JobProgress}), among equals the larger (it frees more contiguous GPUs), then the newer.
 * Nothing is chosen unless the free GPUs plus all eligible victims could hold the job.
 *
 * <p>Cost: O(running) to collect the candidates plus O(c log c) to order the c eligible ones.
 */
final class Preemptor {
  private final FleetState state;
  private final JobTable jobs;
  private final RunningJobs running;
  private final TenantUsage tenants;
  private JobProgress progress = JobProgress.NONE;

  Preemptor(FleetState state, JobTable jobs, RunningJobs running, TenantUsage tenants) {
    this.state = state;
    this.jobs = jobs;
    this.running = running;
    this.tenants = tenants;
  }

  void progress(JobProgress p) {
    this.progress = p;
  }

  /** Whether a running job may be preempted at all: its tenant allows it and it is computing. */
  boolean preemptible(int s) {
    return jobs.state[s] == JobTable.RUNNING && tenants.contract(jobs.tenant[s]).preemptible();
  }

  /** Victims for job {@code s} in the order to take them, or null if even all of them would not make room. */
  int[] victims(int s, VictimRule rule, long now) {
    IntArrayList candidates = new IntArrayList();
    long available = state.freeGpus();
    for (IntBidirectionalIterator it = running.byExpectedEnd(); it.hasNext(); ) {
      int r = it.nextInt();
      if (r != s && preemptible(r) && rule.eligible(r)) {
        candidates.add(r);
        available += jobs.allocation[r].gpus();
      }
    }
    if (available < jobs.gpus[s]) {
      return null;
    }
    return ordered(candidates.toIntArray(), now);
  }

  private int[] ordered(int[] order, long now) {
    double[] cost = new double[order.length];
    Integer[] idx = new Integer[order.length];
    for (int i = 0; i < order.length; i++) {
      cost[i] = progress.lostGpuSecondsIfStopped(jobs.id[order[i]], now) / jobs.allocation[order[i]].gpus();
      idx[i] = i;
    }
    Arrays.sort(idx, (x, y) -> cost[x] != cost[y] ? Double.compare(cost[x], cost[y])
        : gpus(order[x]) != gpus(order[y]) ? Integer.compare(gpus(order[y]), gpus(order[x]))
            : Long.compare(jobs.id[order[y]], jobs.id[order[x]]));
    int[] out = new int[order.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[idx[i]];
    }
    return out;
  }

  private int gpus(int s) {
    return jobs.allocation[s].gpus();
  }
}
