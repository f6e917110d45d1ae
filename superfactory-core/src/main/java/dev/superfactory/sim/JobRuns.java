package dev.superfactory.sim;

import dev.superfactory.reliability.CheckpointMath;
import dev.superfactory.reliability.CheckpointPolicy;
import java.util.Arrays;

/**
 * Progress of every job through its run segments, as primitive columns indexed by job id.
 *
 * <p>A job needs {@code duration} seconds of work at full speed. Each time it gets GPUs a segment
 * begins: a restart overhead (none on the first start), then compute at {@code speed} with
 * checkpoints every τ of work ({@link CheckpointMath}). An interruption keeps the work made
 * durable by the last completed checkpoint and loses the rest. Every second of GPU time a
 * segment held is booked to exactly one of: useful work, lost work, restart overhead, checkpoint
 * writes, failure detection, or WAN stall, so goodput = useful ÷ allocated.
 *
 * <p>Cost: O(1) per segment start and end; 8 doubles/longs per job (≈ 64 MB for 1M jobs).
 */
final class JobRuns {
  /** GPU-second ledgers. */
  static final int USEFUL = 0;
  static final int LOST_WORK = 1;
  static final int RESTART = 2;
  static final int CHECKPOINT = 3;
  static final int DETECTION = 4;
  static final int WAN_STALL = 5;
  static final int LEDGERS = 6;

  private final CheckpointPolicy policy;
  double[] remaining; // work left at the start of the current segment
  long[] segmentStart;
  double[] overhead;
  double[] speed;
  double[] tau;
  double[] write;
  long[] finishAt;
  double[] allocatedSeconds; // wall seconds held, all segments (per job, for per-job goodput)
  double[] lostSeconds; // wall seconds held but not useful
  int[] interruptions;
  byte[] lastCause;

  JobRuns(int jobs, CheckpointPolicy policy) {
    this.policy = policy;
    remaining = new double[jobs];
    segmentStart = new long[jobs];
    overhead = new double[jobs];
    speed = new double[jobs];
    tau = new double[jobs];
    write = new double[jobs];
    finishAt = new long[jobs];
    allocatedSeconds = new double[jobs];
    lostSeconds = new double[jobs];
    interruptions = new int[jobs];
    lastCause = new byte[jobs];
    Arrays.fill(finishAt, -1);
    Arrays.fill(lastCause, (byte) -1);
  }

  void init(int job, long durationSeconds) {
    remaining[job] = durationSeconds;
    speed[job] = 1.0;
    tau[job] = Double.POSITIVE_INFINITY;
  }

  boolean async() {
    return policy.async();
  }

  /** Starts a segment at {@code now}; returns the wall time it would end if nothing interrupts it. */
  long start(int job, long now, double overheadSeconds, double checkpointInterval, double writeSeconds) {
    segmentStart[job] = now;
    overhead[job] = overheadSeconds;
    tau[job] = checkpointInterval;
    write[job] = writeSeconds;
    double wall = CheckpointMath.wallFor(remaining[job], overheadSeconds, speed[job], checkpointInterval,
        writeSeconds, policy.async(), policy.asyncOverhead());
    long end = now + Math.max(1, (long) Math.ceil(wall - 1e-9));
    finishAt[job] = end;
    return end;
  }

  /** Work done in the current segment after {@code elapsed} seconds. */
  double workAt(int job, double elapsed) {
    return CheckpointMath.workAt(elapsed, overhead[job], speed[job], tau[job], write[job], policy.async(),
        policy.asyncOverhead());
  }

  double durableAt(int job, double elapsed) {
    return CheckpointMath.durableAt(elapsed, overhead[job], speed[job], tau[job], write[job], policy.async(),
        policy.asyncOverhead());
  }

  /**
   * Ends the current segment at {@code now}: the job finished ({@code done}), or was interrupted
   * ({@code drained}: it checkpointed first, so nothing is lost). Books the segment's GPU time into
   * {@code ledger} (GPU-seconds) and returns the work lost.
   */
  double end(int job, long now, int gpus, boolean done, boolean drained, double[] ledger) {
    double e = now - segmentStart[job];
    double v = speed[job] * (policy.async() ? 1 - policy.asyncOverhead() : 1);
    double work = done ? remaining[job] : workAt(job, e);
    double kept = done || drained ? work : durableAt(job, e);
    double lost = work - kept;
    double restart = Math.min(e, overhead[job]);
    double writes = CheckpointMath.writingAt(Math.min(e, e), overhead[job], speed[job], tau[job], write[job],
        policy.async(), policy.asyncOverhead());
    if (done) {
      writes = Math.max(0, e - restart - work / v);
    }
    double lostWall = lost / v;
    double useful = Math.max(0, e - restart - writes - lostWall);
    ledger[USEFUL] += gpus * useful;
    ledger[LOST_WORK] += gpus * lostWall;
    ledger[RESTART] += gpus * restart;
    ledger[CHECKPOINT] += gpus * writes;
    allocatedSeconds[job] += e;
    lostSeconds[job] += e - useful;
    remaining[job] = Math.max(0, remaining[job] - kept);
    finishAt[job] = -1;
    return lost;
  }

  /** Books extra held time that did no work (failure detection, WAN stall). */
  void hold(int job, double seconds, int gpus, int ledgerIndex, double[] ledger) {
    ledger[ledgerIndex] += gpus * seconds;
    allocatedSeconds[job] += seconds;
    lostSeconds[job] += seconds;
  }

  double goodput(int job) {
    return allocatedSeconds[job] <= 0 ? Double.NaN : 1 - lostSeconds[job] / allocatedSeconds[job];
  }
}
