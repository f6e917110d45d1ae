package dev.superfactory.forecast;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

/**
 * Forecast start times of the jobs pending when the kernel was forked, in queue order: the start
 * with exact run times (what the twin would give if every job ran its declared time), and the
 * p50 and p90 over the draws (nearest rank). {@link #NONE}: no start within the horizon. Kernel
 * seconds throughout. Immutable once built.
 */
public final class Forecast {
  /** No start within the horizon. */
  public static final long NONE = Long.MAX_VALUE;

  /** One job's forecast: the start with exact run times, and the p50 and p90 over the draws. */
  public record Start(long exactSeconds, long p50Seconds, long p90Seconds) {}

  private final long fromSeconds;
  private final long horizonEndSeconds;
  private final long[] jobs;
  private final long[] exact;
  private final long[] p50;
  private final long[] p90;
  private final Long2IntOpenHashMap index;
  private final int draws;

  private final long[] preemptedExact;
  private final long[] preemptedAtExact;

  Forecast(long fromSeconds, long horizonEndSeconds, long[] jobs, Long2IntOpenHashMap index, long[] exact, long[] p50,
      long[] p90, int draws, long[] preemptedExact, long[] preemptedAtExact) {
    this.preemptedExact = preemptedExact;
    this.preemptedAtExact = preemptedAtExact;
    this.fromSeconds = fromSeconds;
    this.horizonEndSeconds = horizonEndSeconds;
    this.jobs = jobs;
    this.index = index;
    this.exact = exact;
    this.p50 = p50;
    this.p90 = p90;
    this.draws = draws;
  }

  /**
   * The jobs preempted in the trajectory with exact run times, once per preemption, until the last
   * pending job started or the horizon passed (running jobs at the fork included). O(preemptions).
   */
  public long[] preemptedWithExactRunTimes() {
    return preemptedExact.clone();
  }

  /** When each of {@link #preemptedWithExactRunTimes} happened, in the same order. */
  public long[] preemptionTimesWithExactRunTimes() {
    return preemptedAtExact.clone();
  }

  /**
   * Where the trajectory with exact run times stopped: when its last pending job started, or the
   * horizon's end if one did not. O(jobs).
   */
  public long exactTrajectoryEndSeconds() {
    long end = fromSeconds;
    for (long s : exact) {
      if (s == NONE) {
        return horizonEndSeconds;
      }
      end = Math.max(end, s);
    }
    return end;
  }

  /** The kernel's clock at the fork: every forecast start is at or after it. */
  public long fromSeconds() {
    return fromSeconds;
  }

  /** The last time a start is forecast; later ones are {@link #NONE}. */
  public long horizonEndSeconds() {
    return horizonEndSeconds;
  }

  public int draws() {
    return draws;
  }

  /** Jobs forecast (those pending at the fork). */
  public int size() {
    return jobs.length;
  }

  /** The i-th pending job's id, in queue order at the fork. */
  public long job(int i) {
    return jobs[i];
  }

  public Start start(int i) {
    return new Start(exact[i], p50[i], p90[i]);
  }

  /** Job {@code job}'s forecast, or null if it was not pending at the fork. O(1). */
  public Start startOf(long job) {
    int i = index.getOrDefault(job, -1);
    return i < 0 ? null : start(i);
  }
}
