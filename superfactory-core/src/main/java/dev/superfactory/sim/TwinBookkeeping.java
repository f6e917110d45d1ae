package dev.superfactory.sim;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.metrics.ReliabilityMetrics;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.sched.SchedulerListener;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import java.util.List;

/**
 * The twin's reaction to what the kernel decided: each report becomes metrics, goodput ledgers,
 * run segments and the follow-up events only the twin times (a failure's detection, a swap's
 * restart). It decides nothing: every choice (start where, preempt whom, restart in place or
 * requeue, stall or shrink) was the kernel's. Per job it keeps when it was last interrupted,
 * requeued or stalled, and whether it asked within its tenant's reservation. O(1) per report
 * plus the metrics' own costs.
 */
final class TwinBookkeeping implements SchedulerListener {
  private final Jobs jobs;
  private final List<Tenant> tenants;
  private final JobRuns runs;
  private final Segments segments;
  private final RunMetrics metrics;
  private final ReliabilityMetrics reliability;
  private final ReliabilitySpec spec;
  private final EventQueue queue;
  private final boolean active;
  private FailureSource failures;
  private final long[] hangStart;
  private final long[] requeuedAt;
  private final long[] stallStart;
  private final boolean[] withinReservation;

  TwinBookkeeping(Jobs jobs, List<Tenant> tenants, JobRuns runs, Segments segments, RunMetrics metrics,
      ReliabilityMetrics reliability, ReliabilitySpec spec, EventQueue queue) {
    this.jobs = jobs;
    this.tenants = tenants;
    this.runs = runs;
    this.segments = segments;
    this.metrics = metrics;
    this.reliability = reliability;
    this.spec = spec;
    this.queue = queue;
    this.active = spec.active();
    int n = jobs.size();
    hangStart = new long[n];
    requeuedAt = new long[n];
    java.util.Arrays.fill(requeuedAt, -1); // -1: not waiting after an interruption
    stallStart = new long[n];
    withinReservation = new boolean[n];
  }

  /** Where the cause of the kernel command in progress comes from. */
  void failures(FailureSource f) {
    this.failures = f;
  }

  private int cause() {
    return failures == null ? FailureSource.NO_CAUSE : failures.cause();
  }

  boolean withinReservation(int job) {
    return withinReservation[job];
  }

  @Override
  public void queued(long job, boolean within, long now) {
    withinReservation[(int) job] = within;
  }

  /** The twin reads pending reasons once, at the end of the run. */
  @Override
  public boolean wantsDeferrals() {
    return false;
  }

  @Override
  public void rejected(long job, PendingReason reason, long now) {
    metrics.rejected((int) job);
    jobs.setRejected((int) job);
  }

  @Override
  public void started(long id, Allocation a, long now) {
    int job = (int) id;
    if (jobs.start(job) < 0) {
      jobs.setStart(job, now);
      metrics.started(job, a, now);
      if (withinReservation[job]) {
        metrics.reservationGranted(job, now - jobs.submit(job),
            tenants.get(jobs.tenant(job)).contract().reclaimWithinSeconds());
      }
    } else {
      metrics.resumed(job, a);
    }
    if (active && requeuedAt[job] >= 0) { // the wait since a failure sent it back to the queue
      reliability.requeueWait(runs.lastCause[job],
          a.gpus() * (now - requeuedAt[job]) * reliability.windowShare(requeuedAt[job], now));
      requeuedAt[job] = -1;
    }
    segments.start(job, a, now);
  }

  @Override
  public void preempted(long id, Allocation a, long byJob, long now) {
    int job = (int) id;
    metrics.advance(now);
    double lostWork = segments.end(job, now, a.gpus(), false, false, FailureSource.NO_CAUSE);
    runs.interruptions[job]++;
    metrics.released(job, a);
    metrics.preempted(job, a.gpus() * lostWork / Math.max(1e-9, runs.speed[job]));
  }

  @Override
  public void finished(long id, Allocation a, long now) {
    int job = (int) id;
    segments.end(job, now, a.gpus(), true, false, FailureSource.NO_CAUSE);
    metrics.finished(job, a, now);
    jobs.setEnd(job, now);
  }

  @Override
  public void interrupted(long id, Allocation a, Interruption why, boolean wasStalled, long now) {
    int job = (int) id;
    int c = why == Interruption.REGROW ? runs.lastCause[job] : cause();
    boolean drained = why != Interruption.FAILURE;
    if (wasStalled) {
      segments.hold(job, now - stallStart[job], a.gpus(), JobRuns.WAN_STALL, c, now);
    } else {
      segments.end(job, now, a.gpus(), false, drained, c);
    }
    countInterruption(job, c);
    hangStart[job] = now;
    queue.pushIfInRange(now + (drained ? 0 : Math.round(spec.restart().detectionSeconds())), EventKind.DETECTED, job);
  }

  @Override
  public void swapped(long id, Allocation before, Allocation after, long now) {
    int job = (int) id;
    int c = cause();
    segments.end(job, now, before.gpus(), false, false, c);
    countInterruption(job, c);
    hangStart[job] = now;
    queue.pushIfInRange(now + Math.round(spec.restart().detectionSeconds()), EventKind.SWAPPED, job);
  }

  private void countInterruption(int job, int c) {
    runs.interruptions[job]++;
    runs.lastCause[job] = (byte) c;
    reliability.interruption(c);
  }

  /** The detection (or swap) time of an interrupted job is over: book it, before the kernel decides. */
  void detectionOver(int job, int gpus, long now) {
    segments.hold(job, now - hangStart[job], gpus, JobRuns.DETECTION, runs.lastCause[job], now);
    metrics.advance(now);
  }

  @Override
  public void restarted(long id, Allocation before, Allocation after, long now) {
    int job = (int) id;
    if (after != before) {
      metrics.released(job, before);
      metrics.resumed(job, after);
    }
    segments.start(job, after, now);
  }

  @Override
  public void requeued(long id, Allocation released, long now) {
    int job = (int) id;
    metrics.released(job, released);
    requeuedAt[job] = now;
  }

  @Override
  public void stalled(long id, Allocation a, long now) {
    int job = (int) id;
    int c = cause();
    countInterruption(job, c);
    segments.end(job, now, a.gpus(), false, true, c); // progress pauses; nothing is lost
    stallStart[job] = now;
  }

  @Override
  public void resumed(long id, Allocation a, long now) {
    int job = (int) id;
    segments.hold(job, now - stallStart[job], a.gpus(), JobRuns.WAN_STALL, runs.lastCause[job], now);
    segments.begin(job, a, now, 0);
  }

  @Override
  public void shrunk(long id, Allocation before, Allocation kept, Allocation released, long now) {
    int job = (int) id;
    int c = cause();
    countInterruption(job, c);
    segments.end(job, now, before.gpus(), false, true, c);
    metrics.advance(now);
    metrics.released(job, released);
    jobs.setPlacement(job, kept.gpusBySite());
    runs.speed[job] *= (double) kept.gpus() / before.gpus();
    segments.begin(job, kept, now, spec.restart().initSeconds());
  }

  /** Books the queue wait, up to {@code now}, of the jobs an interruption sent back that are still waiting. O(jobs), once. */
  void closeRequeued(long now, java.util.function.IntPredicate pending) {
    if (!active) {
      return;
    }
    for (int job = 0; job < requeuedAt.length; job++) {
      if (requeuedAt[job] >= 0 && now > requeuedAt[job] && pending.test(job)) {
        reliability.requeueWait(runs.lastCause[job],
            (double) jobs.gpus(job) * (now - requeuedAt[job]) * reliability.windowShare(requeuedAt[job], now));
      }
    }
  }

  /** Books the GPU time of a job still holding GPUs at the end of the run. */
  void closeAt(int job, int gpus, dev.superfactory.sched.Scheduler.JobState state, long now) {
    switch (state) {
      case INTERRUPTED:
        segments.hold(job, now - hangStart[job], gpus, JobRuns.DETECTION, runs.lastCause[job], now);
        break;
      case STALLED:
        segments.hold(job, now - stallStart[job], gpus, JobRuns.WAN_STALL, runs.lastCause[job], now);
        break;
      default:
        segments.end(job, now, gpus, false, true, FailureSource.NO_CAUSE);
    }
  }
}
