package dev.superfactory.sched;

/**
 * What the scheduler needs to know about running jobs that only the runtime knows (the simulator
 * computes it; a live service would read it from job telemetry).
 */
public interface JobProgress {
  JobProgress NONE = new JobProgress() {
    @Override
    public double lostGpuSecondsIfStopped(int job, long now) {
      return 0;
    }

    @Override
    public double attainedGpuSeconds(int job, long now) {
      return 0;
    }
  };

  /** GPU-seconds of work the job would lose if stopped now (work since its last durable checkpoint). */
  double lostGpuSecondsIfStopped(int job, long now);

  /** GPU-seconds the job has held so far (its attained service). */
  double attainedGpuSeconds(int job, long now);

  /** Whether the job can be preempted now (not while it is failing or stalled, say). */
  default boolean canPreempt(int job) {
    return true;
  }
}
