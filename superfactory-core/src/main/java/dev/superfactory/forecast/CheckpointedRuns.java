package dev.superfactory.forecast;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.reliability.CheckpointMath;
import dev.superfactory.reliability.CheckpointPlanner;
import dev.superfactory.reliability.CheckpointPolicy;
import dev.superfactory.reliability.ReliabilitySpec;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * What the twin charges a job that can be interrupted, for a trajectory's draws with failures on,
 * as the twin's run segments do ({@code sim.JobRuns}, {@code sim.Segments}): each time a job gets
 * GPUs a segment begins, a restart overhead (init plus checkpoint load, none on its first start
 * or after a stall) then compute with checkpoints every τ of work ({@link CheckpointPlanner}:
 * Daly's interval or the policy's fixed one), so a segment of W work-seconds lasts
 * {@link CheckpointMath#wallFor}. A failure (or preemption) keeps the work the last completed
 * checkpoint made durable and loses the rest; a drain or stall keeps it all.
 *
 * <p>From the kernel fork and the reliability spec only: jobs compute at speed 1 (the twin's
 * performance model, which knows a job's model and placement, is not in the fork) and checkpoint
 * {@code bytesPerGpu} per GPU (ASSUMPTION: the twin sizes a job with a known model by its
 * parameters). A job running at the fork is taken to be in a segment that began, with no
 * overhead, as long ago as it has computed: its checkpoints are where the policy would place them;
 * what its earlier interruptions likely cost is added to its work ({@link #pastLossSeconds}).
 *
 * <p>Cost: O(1) per call (O(domains) for a block-scope plan), one small object per job that got
 * GPUs in the trajectory.
 */
final class CheckpointedRuns {
  /** One job's current segment. */
  private static final class Segment {
    double work; // work-seconds left at the segment's start
    long start;
    double overhead;
    double tau;
    double write;
    boolean interrupted; // interrupted before: its next (re)start pays the restart overhead
    boolean computing;
  }

  private final CheckpointPlanner planner;
  private final CheckpointPolicy policy;
  private final long detectionSeconds;
  private final Long2ObjectOpenHashMap<Segment> segments = new Long2ObjectOpenHashMap<>();

  CheckpointedRuns(Fleet fleet, ReliabilitySpec spec) {
    this.planner = new CheckpointPlanner(fleet, spec);
    this.policy = spec.checkpoint();
    this.detectionSeconds = Math.round(spec.restart().detectionSeconds());
  }

  /** Seconds from a failure to the job's recovery: the twin's detection time. */
  long detectionSeconds() {
    return detectionSeconds;
  }

  /** Whether {@code job} got GPUs before in this trajectory (its work left is known). */
  boolean knows(long job) {
    return segments.containsKey(job);
  }

  /**
   * A job holding {@code a} at the fork {@code t0}, {@code elapsedSeconds} into {@code workSeconds}
   * in all: returns its end (at least {@code t0}). Its work grows by {@link #pastLossSeconds}.
   */
  long atFork(long job, Allocation a, long t0, long elapsedSeconds, long workSeconds) {
    Segment s = new Segment();
    s.work = workSeconds + pastLossSeconds(a, elapsedSeconds);
    segments.put(job, s);
    return Math.max(t0, begin(s, a, t0 - elapsedSeconds, 0));
  }

  /**
   * What the twin has likely charged a job on {@code a} in its {@code elapsedSeconds} before the
   * fork, which the kernel counts as work done (its ledgers are not in the fork). ASSUMPTION: it was
   * interrupted at its mean rate, elapsed ÷ MTBF times ({@link CheckpointPlanner#mtbfSeconds}), and
   * each cost a restart overhead and half a checkpoint cycle of lost work: (τ + C) ÷ 2.
   */
  long pastLossSeconds(Allocation a, long elapsedSeconds) {
    double mtbf = planner.mtbfSeconds(a);
    if (elapsedSeconds <= 0 || Double.isInfinite(mtbf)) {
      return 0;
    }
    CheckpointPlanner.Plan p = planner.plan(a, policy.bytesPerGpu() * a.gpus());
    double lost = Double.isFinite(p.intervalSeconds())
        ? (p.intervalSeconds() + p.writeSeconds()) / 2 : elapsedSeconds / 2.0;
    return Math.round(elapsedSeconds / mtbf * (restartSeconds(a) + lost));
  }

  /** A job gets {@code a} from the queue (new, requeued or preempted before): returns its end. */
  long started(long job, Allocation a, long now, long freshWorkSeconds) {
    Segment s = segments.get(job);
    if (s == null) {
      s = new Segment();
      s.work = freshWorkSeconds;
      segments.put(job, s);
    }
    return begin(s, a, now, s.interrupted ? restartSeconds(a) : 0);
  }

  /** An interrupted job restarts on {@code a}: returns its end, after the restart overhead. */
  long restarted(long job, Allocation a, long now) {
    Segment s = segments.get(job);
    return begin(s, a, now, restartSeconds(a));
  }

  /** A stalled job computes again on {@code a}, with no overhead: returns its end. */
  long resumed(long job, Allocation a, long now) {
    return begin(segments.get(job), a, now, 0);
  }

  /**
   * The job's segment ends at {@code now} before its end: it keeps all its work ({@code keepAll}:
   * drained, stalled) or what its last checkpoint made durable.
   */
  void stop(long job, long now, boolean keepAll) {
    Segment s = segments.get(job);
    if (s == null || !s.computing) {
      return;
    }
    double e = now - s.start;
    double kept = keepAll
        ? CheckpointMath.workAt(e, s.overhead, 1, s.tau, s.write, policy.async(), policy.asyncOverhead())
        : CheckpointMath.durableAt(e, s.overhead, 1, s.tau, s.write, policy.async(), policy.asyncOverhead());
    s.work = Math.max(0, s.work - kept);
    s.interrupted = true;
    s.computing = false;
  }

  /** The job is done (finished, cancelled): its segment is forgotten. */
  void forget(long job) {
    segments.remove(job);
  }

  private long begin(Segment s, Allocation a, long now, double overheadSeconds) {
    double bytes = policy.bytesPerGpu() * a.gpus();
    CheckpointPlanner.Plan p = planner.plan(a, bytes);
    s.start = now;
    s.overhead = overheadSeconds;
    s.tau = p.intervalSeconds();
    s.write = p.writeSeconds();
    s.computing = true;
    double wall = CheckpointMath.wallFor(s.work, overheadSeconds, 1, s.tau, s.write, policy.async(),
        policy.asyncOverhead());
    return now + Math.max(1, (long) Math.ceil(wall - 1e-9)); // as the twin rounds a segment's end
  }

  private double restartSeconds(Allocation a) {
    return planner.restartSeconds(a, policy.bytesPerGpu() * a.gpus());
  }
}
