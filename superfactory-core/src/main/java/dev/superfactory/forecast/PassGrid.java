package dev.superfactory.forecast;

/**
 * When a trajectory runs its passes: at every event (no grid), on a fixed grid from the fork
 * (every {@code minStepSeconds}), or on a grid whose step grows with the lead time:
 * {@code step(t) = max(minStepSeconds, floor(resolution · (t − from)))} (at least 1 s), so ticks
 * come every {@code minStepSeconds} near the fork and then about {@code ln(T / t1) / resolution}
 * of them up to lead time T beyond the lead time t1 = minStepSeconds / resolution where the two
 * terms meet: 60 s and 2% give 50 ticks in the first 50 minutes, then ≈ 270 more to 7 days.
 *
 * <p>A pass runs at the first tick at or after an event, so within one trajectory a start is at
 * most max(minStepSeconds, resolution × its lead time) after the event that let it start. That is
 * not a bound on the forecast's error: GPUs freed between ticks stay idle until the next one, so
 * delays add up along chains of starts and fewer jobs start in the horizon (measured on fairwater
 * with 100,000 pending: the 60 s / 2% grid starts 2,061 jobs in a week where a pass per event
 * starts 3,220 with exact run times; README). Ticks depend only on the fork's clock, so they are
 * the same in every trajectory.
 *
 * <p>Cost: {@link #atOrAfter} is O(1) amortised over a trajectory (the ticks walked forward once);
 * across an idle gap it walks O(log) geometric ticks, or is closed-form on a fixed grid.
 */
final class PassGrid {
  private final long from;
  private final long minStepSeconds;
  private final double resolution;
  private long tick;

  /**
   * @param from the fork's clock (the first tick)
   * @param minStepSeconds the shortest step; 0 with {@code resolution} 0: a pass at every event
   * @param resolution the step's growth with lead time, in [0, 1)
   */
  PassGrid(long from, long minStepSeconds, double resolution) {
    if (minStepSeconds < 0 || !(resolution >= 0 && resolution < 1)) {
      throw new IllegalArgumentException(String.format(
          "minStepSeconds=%d must be >= 0 and resolution=%s in [0, 1)", minStepSeconds, resolution));
    }
    this.from = from;
    this.minStepSeconds = minStepSeconds;
    this.resolution = resolution;
    this.tick = from;
  }

  /** The step after tick {@code t}. */
  long stepAfter(long t) {
    return Math.max(Math.max(1, minStepSeconds), (long) Math.floor(resolution * (t - from)));
  }

  /** The first tick at or after {@code t} (≥ every tick returned before); {@code t} itself if there is no grid. */
  long atOrAfter(long t) {
    if (resolution == 0 && minStepSeconds == 0) {
      return t;
    }
    if (resolution == 0) {
      long k = (t - from + minStepSeconds - 1) / minStepSeconds;
      tick = Math.max(tick, from + Math.max(0, k) * minStepSeconds);
      return tick;
    }
    while (tick < t) {
      long step = stepAfter(tick);
      tick = tick > Long.MAX_VALUE - step ? Long.MAX_VALUE : tick + step;
    }
    return tick;
  }
}
