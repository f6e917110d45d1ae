package dev.superfactory.sched;

import dev.superfactory.fleet.FleetState;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntBidirectionalIterator;
import it.unimi.dsi.fastutil.ints.IntArrays;

/**
 * Chooses whom a preemption takes: among running jobs of preemptible tenants that are computing
 * (not interrupted, not stalled), on capacity their tenant borrowed (never inside its
 * reservation), and that the policy's {@link VictimRule} allows, the ones that
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

  JobProgress progress() {
    return progress;
  }

  void progress(JobProgress p) {
    this.progress = p;
  }

  /**
   * Whether a running job may be preempted at all: it is computing, its tenant allows preemption,
   * and it runs on borrowed capacity: its tenant stays at or above its reservation without it.
   * Reserved capacity is guaranteed, whatever the policy (else a higher-priority tenant would
   * preempt a job inside another's reservation, which that tenant would reclaim at once, and so
   * on: a cycle).
   */
  boolean preemptible(int s) {
    int t = jobs.tenant(s);
    return jobs.state(s) == JobTable.RUNNING && tenants.contract(t).preemptible()
        && tenants.gpus(t) - jobs.allocation[s].gpus() >= tenants.reserved(t);
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
    if (available < jobs.gpus(s)) {
      return null;
    }
    return withinBorrowed(ordered(candidates.toIntArray(), now));
  }

  /**
   * The victims in order, keeping only those that leave their tenant at or above its reservation
   * once the ones before them are taken too (each alone does; together they may not).
   */
  private int[] withinBorrowed(int[] ordered) {
    int[] taken = new int[tenants.count()];
    IntArrayList kept = new IntArrayList(ordered.length);
    for (int v : ordered) {
      int u = jobs.tenant(v);
      int gpus = jobs.allocation[v].gpus();
      if (tenants.gpus(u) - taken[u] - gpus >= tenants.reserved(u)) {
        taken[u] += gpus;
        kept.add(v);
      }
    }
    return kept.toIntArray();
  }

  private int[] ordered(int[] order, long now) {
    double[] cost = new double[order.length];
    int[] at = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      cost[i] = progress.lostGpuSecondsIfStopped(jobs.id[order[i]], now) / gpus(order[i]);
      at[i] = i;
    }
    IntArrays.quickSort(at, (x, y) -> cost[x] != cost[y] ? Double.compare(cost[x], cost[y])
        : gpus(order[x]) != gpus(order[y]) ? Integer.compare(gpus(order[y]), gpus(order[x]))
            : Long.compare(jobs.id[order[y]], jobs.id[order[x]]));
    int[] out = new int[order.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[at[i]];
    }
    return out;
  }



  private int gpus(int s) {
    return jobs.allocation[s].gpus();
  }
}
