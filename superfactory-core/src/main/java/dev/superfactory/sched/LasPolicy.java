package dev.superfactory.sched;

/**
 * Least attained service, Tiresias-style (Gu et al., "Tiresias: A GPU Cluster Manager for
 * Distributed Deep Learning", NSDI 2019): a job's service is the GPU-time it has held; jobs are
 * in discretised queues by service (thresholds {@link #THRESHOLDS_GPU_HOURS}); a lower queue goes
 * first, FIFO within a queue; a job that does not fit preempts running jobs of strictly higher
 * queues (checkpoint-aware, never non-preemptible ones). New jobs have no service, so short jobs
 * finish quickly without knowing durations. Greedy: no reservation. Cost per pass:
 * O(pending log pending) plus placements and preemption searches. It never stops its walk early
 * ({@link PassView#restCannotStart}): a job may preempt whatever the free GPUs.
 */
public final class LasPolicy implements QueuePolicy {
  /** Queue boundaries in GPU-hours of attained service. ASSUMPTION: decades from 1 GPU-hour. */
  static final double[] THRESHOLDS_GPU_HOURS = {1, 10, 100, 1_000, 10_000, 100_000};

  @Override
  public String name() {
    return "las";
  }

  @Override
  public void schedule(PassView view, Decisions decisions) {
    int[] order = Orders.by(view.pendingJobs(), j -> queue(view, j));
    for (int j : order) {
      int q = queue(view, j);
      decisions.start(j, Start.RECLAIMING.preempting(v -> queue(view, v) > q));
    }
  }

  static int queue(PassView view, int job) {
    double hours = view.attainedGpuSeconds(job) / 3600.0;
    int q = 0;
    while (q < THRESHOLDS_GPU_HOURS.length && hours >= THRESHOLDS_GPU_HOURS[q]) {
      q++;
    }
    return q;
  }
}
