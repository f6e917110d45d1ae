package dev.superfactory.sched;

/**
 * What the kernel needs to know about running jobs that only the runtime knows: the twin computes
 * it from its ledgers; a live service reads it from job telemetry (last checkpoint, time held).
 * Jobs are named by the caller's ids.
 */
public interface JobProgress {
  JobProgress NONE = new JobProgress() {
    @Override
    public double lostGpuSecondsIfStopped(long job, long now) {
      return 0;
    }

    @Override
    public double attainedGpuSeconds(long job, long now) {
      return 0;
    }
  };

  /** GPU-seconds of work the job would lose if stopped now (work since its last durable checkpoint). */
  double lostGpuSecondsIfStopped(long job, long now);

  /** GPU-seconds the job has held so far (its attained service). */
  double attainedGpuSeconds(long job, long now);
}
