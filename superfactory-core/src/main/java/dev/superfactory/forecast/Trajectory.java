package dev.superfactory.forecast;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.random.RandomStreams;
import dev.superfactory.reliability.FailureCause;
import dev.superfactory.reliability.FailureDraws;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.reliability.Scope;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sched.SchedulerListener;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Arrays;
import java.util.function.Function;

/**
 * One fast-forward of a kernel fork with no arrivals: the next event is the earliest end of a
 * running job (or, with failures, a failure or a repair); all events at that time are applied,
 * as the twin does, then one pass runs; the first start of every job pending at the fork is
 * recorded, until all have started or the horizon has passed. The kernel's own decisions do the
 * rest: backfills, reservations, preemptions, restarts.
 *
 * <p>Run times, no failures drawn (the exact trajectory, and draws with the reliability model
 * off): a job started here runs its drawn run time ({@link RunTimes}); a preempted or requeued job
 * keeps what it had left (ASSUMPTION: it loses no work); a job that stood still (interrupted,
 * stalled) ends as much later, as the kernel assumes; interrupted jobs recover at once, those
 * interrupted at the fork too, before their ends are read.
 *
 * <p>With failures drawn, a job is charged what the twin charges it ({@link CheckpointedRuns}):
 * its drawn run time is work, done in segments with checkpoint writes (or the async slowdown); a
 * failed job holds its GPUs for the detection time, then recovers (restarts in place or requeues)
 * and reruns from its last checkpoint after the restart overhead (init plus checkpoint load); a
 * hot-spare swap waits the detection time too; a preempted job loses the work since its last
 * checkpoint; a drained or stalled one loses nothing. A job interrupted at the fork recovers half
 * a detection time later (ASSUMPTION: when it failed is not in the fork). A shrunk job keeps its
 * end (its slower speed is not modelled). A WAN link cut at the fork stays cut (its repair time is
 * not known). Planned maintenance is not drawn.
 *
 * <p>Passes run at every event time, or on a {@link PassGrid} (the first tick at or after an
 * event). The fork is {@link Scheduler#forkForForecast}: it keeps no pending reasons, so a pass
 * stops walking the queue once nothing more can start in it.
 *
 * <p>Cost: the passes, each O(pending) in the worst case (see {@link Scheduler}), one per distinct
 * event time or grid tick; plus O(log events) per event.
 */
final class Trajectory implements SchedulerListener {
  /** A job's run time in this trajectory. */
  interface RunTimes {
    /** Seconds a job pending at the fork runs once started, from its declared run time. */
    long pendingSeconds(long job, long declaredSeconds);

    /** Seconds in all a job running at the fork runs, given its declared run time and what it has run already. */
    long runningSeconds(long job, long declaredSeconds, long elapsedSeconds);
  }

  /** Where failures come from: {@link FailureDraws} (tests script their own). */
  interface Failures {
    /** Seconds until cause {@code c}'s next event (infinite: none). */
    double nextGap(int c);

    /** The component cause {@code c}'s event hits. */
    FailureDraws.Hit pick(int c);

    /** Seconds to repair an event of cause {@code c}. */
    long repairSeconds(int c);

    /** The draws of the twin's failure source for {@code seed}. */
    static Failures drawn(FailureDraws d) {
      return new Failures() {
        @Override
        public double nextGap(int c) {
          return d.nextGap(c);
        }

        @Override
        public FailureDraws.Hit pick(int c) {
          return d.pick(c);
        }

        @Override
        public long repairSeconds(int c) {
          return d.repairSeconds(c);
        }
      };
    }
  }

  private final Scheduler kernel;
  private final Long2IntOpenHashMap index;
  private final long[] starts;
  private int waiting;
  private final RunTimes runTimes;
  private final EventHeap events = new EventHeap();
  private final Long2LongOpenHashMap end = new Long2LongOpenHashMap();
  private final Long2LongOpenHashMap left = new Long2LongOpenHashMap();
  private final Long2LongOpenHashMap haltedAt = new Long2LongOpenHashMap();
  private final LongArrayList toRecover = new LongArrayList();
  private final ReliabilitySpec reliability;
  private final Failures failures;
  private final CheckpointedRuns costs; // null: no failures drawn, jobs run their drawn time
  private final LongArrayList preemptions = new LongArrayList();
  private final LongArrayList preemptionTimes = new LongArrayList();
  private long passes;

  /**
   * Forks {@code snapshot} (which is only read) for this trajectory. {@code index} maps each
   * pending job's id to its position in {@code starts}.
   */
  Trajectory(Scheduler snapshot, Long2IntOpenHashMap index, RunTimes runTimes, ReliabilitySpec reliability, long seed) {
    this(snapshot, index, runTimes, reliability, reliability.active()
        ? fork -> Failures.drawn(new FailureDraws(fork.fleetState().fleet(), reliability, new RandomStreams(seed))) : null);
  }

  /** As the one above, with failures from {@code failuresOfFork} (given the fork) when the reliability model is on. */
  Trajectory(Scheduler snapshot, Long2IntOpenHashMap index, RunTimes runTimes, ReliabilitySpec reliability,
      Function<Scheduler, Failures> failuresOfFork) {
    this.index = index;
    this.starts = new long[index.size()];
    Arrays.fill(starts, Forecast.NONE);
    this.waiting = starts.length;
    this.runTimes = runTimes;
    this.reliability = reliability;
    this.kernel = snapshot.forkForForecast(this);
    this.failures = reliability.active() ? failuresOfFork.apply(kernel) : null;
    this.costs = reliability.active() ? new CheckpointedRuns(kernel.fleetState().fleet(), reliability) : null;
    end.defaultReturnValue(Long.MIN_VALUE);
    haltedAt.defaultReturnValue(Long.MIN_VALUE);
    left.defaultReturnValue(-1);
  }

  /** Passes run so far. */
  long passes() {
    return passes;
  }

  /**
   * Runs until every pending job started or {@code horizonEnd} passed; returns the starts by
   * position. A pass runs at the first tick of {@code grid} at or after the next event (capped at
   * {@code horizonEnd}), after every event up to it.
   */
  long[] run(long horizonEnd, PassGrid grid) {
    long t0 = kernel.now();
    LongArrayList interrupted = new LongArrayList();
    kernel.forEachRunning(job -> {
      if (kernel.state(job) == Scheduler.JobState.INTERRUPTED) {
        interrupted.add(job);
      }
    });
    if (costs == null) {
      for (int i = 0; i < interrupted.size(); i++) {
        kernel.recover(interrupted.getLong(i), t0); // first: its expected end moves by the time it stood still
      }
    }
    kernel.forEachRunning(job -> runningAtFork(job, t0));
    if (costs != null) {
      for (int i = 0; i < interrupted.size(); i++) { // failed before the fork: on average half its detection is left
        long job = interrupted.getLong(i);
        costs.stop(job, t0, false);
        events.push(t0 + costs.detectionSeconds() / 2, EventHeap.DETECTED, job, 0);
      }
    }
    if (failures != null) {
      for (int c = 0; c < reliability.causes().size(); c++) {
        nextFailure(c, t0);
      }
    }
    recoverAll(t0);
    pass(t0);
    while (waiting > 0 && events.peekTime() <= horizonEnd) {
      long passAt = Math.min(horizonEnd, grid.atOrAfter(events.peekTime()));
      while (events.peekTime() <= passAt) {
        long at = events.peekTime();
        events.pop();
        apply(at);
        if (events.peekTime() != at) {
          recoverAll(at);
        }
      }
      pass(passAt);
    }
    return starts;
  }

  /** The jobs preempted so far, once per preemption, in order. */
  long[] preemptions() {
    return preemptions.toLongArray();
  }

  /** When each of {@link #preemptions} happened, in the same order. */
  long[] preemptionTimes() {
    return preemptionTimes.toLongArray();
  }

  private void pass(long t) {
    kernel.schedule(t);
    passes++;
  }

  /** A job holding GPUs at the fork: its end from its declared run time and what it has run. */
  private void runningAtFork(long job, long t0) {
    long declared = kernel.declaredSeconds(job);
    long elapsed = Math.max(0, declared - Math.max(0, kernel.expectedEnd(job) - t0));
    long total = runTimes.runningSeconds(job, declared, elapsed);
    long e = costs != null ? costs.atFork(job, kernel.allocation(job), t0, elapsed, total)
        : t0 + Math.max(0, total - elapsed);
    if (costs == null || kernel.state(job) != Scheduler.JobState.INTERRUPTED) {
      end.put(job, e);
      events.push(e, EventHeap.END, job, 0);
    }
    if (kernel.state(job) == Scheduler.JobState.STALLED) {
      haltedAt.put(job, t0); // its stall so far is counted when it resumes: from the fork on here
      if (costs != null) {
        costs.stop(job, t0, true);
      }
    }
  }

  private void apply(long t) {
    switch (events.kind()) {
      case EventHeap.END -> {
        long job = events.a();
        if (end.get(job) == t && kernel.state(job) == Scheduler.JobState.RUNNING) {
          kernel.finish(job, t);
        }
      }
      case EventHeap.FAILURE -> fail((int) events.a(), t);
      case EventHeap.GPUS_UP -> kernel.gpusUp((int) events.a(), events.b(), t);
      case EventHeap.DETECTED -> {
        long job = events.a();
        if (kernel.state(job) == Scheduler.JobState.INTERRUPTED) {
          kernel.recover(job, t);
        }
      }
      default -> kernel.wanRestored((int) events.a(), t);
    }
  }

  private void nextFailure(int c, long now) {
    double gap = failures.nextGap(c);
    if (Double.isFinite(gap)) {
      events.push(now + Math.max(1, Math.round(gap)), EventHeap.FAILURE, c, 0);
    }
  }

  /** As the twin's failure source: a WAN link cut, a job's own crash, or GPUs down until repaired. */
  private void fail(int c, long t) {
    nextFailure(c, t);
    FailureCause cause = reliability.causes().get(c);
    FailureDraws.Hit hit = failures.pick(c);
    if (cause.scope() == Scope.WAN) {
      events.push(t + failures.repairSeconds(c), EventHeap.LINK_UP, hit.link(), 0);
      kernel.wanCut(hit.link(), t);
    } else if (cause.scope() == Scope.JOB) {
      long owner = kernel.ownerOf(hit.firstGpu());
      if (owner >= 0) {
        kernel.jobFailed(owner, t);
      }
    } else {
      events.push(t + failures.repairSeconds(c), EventHeap.GPUS_UP, hit.firstGpu(), hit.gpus());
      kernel.gpusDown(hit.firstGpu(), hit.gpus(), t, false);
    }
  }

  private void recoverAll(long t) {
    for (int i = 0; i < toRecover.size(); i++) {
      long job = toRecover.getLong(i);
      if (kernel.state(job) == Scheduler.JobState.INTERRUPTED) {
        kernel.recover(job, t);
      }
    }
    toRecover.clear();
  }

  // ---- the kernel's reports ----

  @Override
  public boolean wantsDeferrals() {
    return false;
  }

  @Override
  public void started(long job, Allocation allocation, long now) {
    int i = index.getOrDefault(job, -1);
    if (i >= 0 && starts[i] == Forecast.NONE) {
      starts[i] = now;
      waiting--;
    }
    long e;
    if (costs != null) {
      long fresh = costs.knows(job) ? 0 : runTimes.pendingSeconds(job, kernel.declaredSeconds(job));
      e = costs.started(job, allocation, now, fresh);
    } else {
      long rest = left.remove(job);
      e = now + (rest >= 0 ? rest : runTimes.pendingSeconds(job, kernel.declaredSeconds(job)));
    }
    end.put(job, e);
    events.push(e, EventHeap.END, job, 0);
  }

  @Override
  public void preempted(long job, Allocation allocation, long byJob, long now) {
    preemptions.add(job);
    preemptionTimes.add(now);
    if (costs != null) {
      costs.stop(job, now, false); // as the twin: work since its last checkpoint is lost
    }
    stop(job, now);
  }

  @Override
  public void requeued(long job, Allocation released, long now) {
    stop(job, now);
  }

  /** A job gives up its GPUs before its end: it keeps what it had left to run. */
  private void stop(long job, long now) {
    long halted = haltedAt.remove(job);
    long e = end.remove(job);
    if (e != Long.MIN_VALUE) {
      left.put(job, Math.max(0, e - (halted == Long.MIN_VALUE ? now : halted)));
    }
  }

  @Override
  public void interrupted(long job, Allocation allocation, Interruption why, boolean wasStalled, long now) {
    if (costs == null) {
      haltedAt.putIfAbsent(job, now);
      toRecover.add(job);
      return;
    }
    boolean failed = why == Interruption.FAILURE;
    costs.stop(job, now, !failed); // a stalled job's segment ended already
    end.remove(job);
    if (failed) { // as the twin: it holds its GPUs until the failure is detected, then recovers
      events.push(now + costs.detectionSeconds(), EventHeap.DETECTED, job, 0);
    } else {
      toRecover.add(job);
    }
  }

  @Override
  public void swapped(long job, Allocation before, Allocation after, long now) {
    if (costs == null) {
      haltedAt.putIfAbsent(job, now);
      toRecover.add(job);
      return;
    }
    costs.stop(job, now, false);
    end.remove(job);
    events.push(now + costs.detectionSeconds(), EventHeap.DETECTED, job, 0);
  }

  @Override
  public void stalled(long job, Allocation allocation, long now) {
    if (costs != null) {
      costs.stop(job, now, true);
      end.remove(job);
      return;
    }
    haltedAt.putIfAbsent(job, now);
  }

  @Override
  public void restarted(long job, Allocation before, Allocation after, long now) {
    if (costs != null) {
      startSegment(job, costs.restarted(job, after, now));
      return;
    }
    resume(job, now);
  }

  @Override
  public void resumed(long job, Allocation allocation, long now) {
    if (costs != null) {
      startSegment(job, costs.resumed(job, allocation, now));
      return;
    }
    resume(job, now);
  }

  private void startSegment(long job, long e) {
    end.put(job, e);
    events.push(e, EventHeap.END, job, 0);
  }

  /** A job computes again: it ends as much later as it stood still. */
  private void resume(long job, long now) {
    long halted = haltedAt.remove(job);
    if (halted != Long.MIN_VALUE && now > halted) {
      long e = end.get(job) + (now - halted);
      end.put(job, e);
      events.push(e, EventHeap.END, job, 0);
    }
  }

  @Override
  public void finished(long job, Allocation allocation, long now) {
    end.remove(job);
    if (costs != null) {
      costs.forget(job);
    }
  }

  @Override
  public void cancelled(long job, Allocation released, long now) {
    end.remove(job);
    if (costs != null) {
      costs.forget(job);
    }
  }
}
