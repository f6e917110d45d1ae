package dev.superfactory.sim;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.metrics.ReliabilityMetrics;
import dev.superfactory.reliability.CheckpointPlanner;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.sched.JobProgress;
import dev.superfactory.workload.Jobs;
import java.util.Arrays;

/**
 * The twin's side of a job holding GPUs: it starts run segments (speed from the placement,
 * checkpoint plan, restart overhead, the end event), ends them (booking every GPU-second into the
 * goodput ledgers, attributed to a failure cause), and books time held without progress
 * (detection, WAN stall). It is also the {@link JobProgress} the kernel asks about lost work and
 * attained service. O(1) per call, plus one heap push per segment start.
 */
final class Segments implements JobProgress {
  private final Jobs jobs;
  private final JobRuns runs;
  private final ReliabilityMetrics reliability;
  private final CheckpointPlanner planner;
  private final ReliabilitySpec spec;
  private final PerfSpeeds speeds;
  private final EventQueue queue;
  private final double[] delta = new double[JobRuns.LEDGERS];
  private final int[] segmentGpus; // GPUs of each job's current segment (fewer than asked when shrunk)

  Segments(Jobs jobs, JobRuns runs, ReliabilityMetrics reliability, CheckpointPlanner planner, ReliabilitySpec spec,
      PerfSpeeds speeds, EventQueue queue) {
    this.jobs = jobs;
    this.runs = runs;
    this.reliability = reliability;
    this.planner = planner;
    this.spec = spec;
    this.speeds = speeds;
    this.queue = queue;
    this.segmentGpus = new int[jobs.size()];
  }

  /**
   * Starts a segment on {@code a}: its speed from the placement, its checkpoint plan, the restart
   * overhead if it ran before, and its end event. For starts from the queue and restarts in place.
   */
  void start(int job, Allocation a, long now) {
    jobs.setPlacement(job, a.gpusBySite());
    String model = jobs.model(job);
    runs.speed[job] = model == null ? 1.0 : speeds.speed(model, jobs.gpus(job), a);
    double overhead = runs.interruptions[job] == 0 ? 0 : planner.restartSeconds(a, checkpointBytes(job, a.gpus()));
    begin(job, a, now, overhead);
  }

  /** Starts a segment on {@code a} at the job's current speed, after {@code overheadSeconds}. */
  void begin(int job, Allocation a, long now, double overheadSeconds) {
    segmentGpus[job] = a.gpus();
    CheckpointPlanner.Plan p = planner.plan(a, checkpointBytes(job, a.gpus()));
    long end = runs.start(job, now, overheadSeconds, p.intervalSeconds(), p.writeSeconds());
    queue.pushIfInRange(end, EventKind.FINISH, job);
  }

  /** Checkpoint size: from the job's model (weights and optimizer state), else per GPU. */
  private double checkpointBytes(int job, int gpus) {
    String model = jobs.model(job);
    return model != null ? speeds.checkpointBytes(model) : spec.checkpoint().bytesPerGpu() * gpus;
  }

  /** Ends the current segment of a job on {@code gpus} GPUs and books it; returns the work lost. */
  double end(int job, long now, int gpus, boolean done, boolean drained, int cause) {
    Arrays.fill(delta, 0);
    long from = runs.segmentStart[job];
    double lost = runs.end(job, now, gpus, done, drained, delta);
    book(delta, reliability.windowShare(from, now), cause, job);
    return lost;
  }

  /** Books the deltas scaled to the part of their span inside the measured window. */
  private void book(double[] d, double share, int cause, int job) {
    if (share <= 0) {
      return;
    }
    if (share < 1) {
      for (int i = 0; i < d.length; i++) {
        d[i] *= share;
      }
    }
    reliability.book(d, cause, jobs.tenant(job));
  }

  /** Books the {@code seconds} up to {@code now} held on {@code gpus} GPUs without progress into {@code ledger}. */
  void hold(int job, double seconds, int gpus, int ledger, int cause, long now) {
    if (seconds <= 0) {
      return;
    }
    Arrays.fill(delta, 0);
    runs.hold(job, seconds, gpus, ledger, delta);
    book(delta, reliability.windowShare(now - seconds, now), cause, job);
  }

  @Override
  public double lostGpuSecondsIfStopped(long job, long now) {
    int j = (int) job;
    double e = now - runs.segmentStart[j];
    return segmentGpus[j] * (runs.workAt(j, e) - runs.durableAt(j, e));
  }

  @Override
  public double attainedGpuSeconds(long job, long now) {
    int j = (int) job;
    double held = runs.allocatedSeconds[j];
    if (runs.finishAt[j] >= 0) {
      held += now - runs.segmentStart[j];
    }
    return jobs.gpus(j) * held;
  }
}
