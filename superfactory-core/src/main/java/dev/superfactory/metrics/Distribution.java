package dev.superfactory.metrics;

import org.HdrHistogram.Histogram;

/**
 * A distribution of durations in seconds (queue waits, completion times) kept as an HdrHistogram
 * with 3 significant digits up to 100 years: constant memory, percentiles without samples.
 */
public final class Distribution {
  private static final long MAX_SECONDS = 100L * 365 * 86400;
  private final Histogram histogram = new Histogram(MAX_SECONDS, 3);
  private double sumSeconds;

  public void record(long seconds) {
    long v = Math.max(0, Math.min(MAX_SECONDS, seconds));
    histogram.recordValue(v);
    sumSeconds += v;
  }

  /** Records {@code seconds} {@code times} times (a weighted sample, e.g. one per GPU). */
  public void record(long seconds, long times) {
    long v = Math.max(0, Math.min(MAX_SECONDS, seconds));
    histogram.recordValueWithCount(v, times);
    sumSeconds += (double) v * times;
  }

  public long count() {
    return histogram.getTotalCount();
  }

  public double meanHours() {
    return count() == 0 ? Double.NaN : sumSeconds / count() / 3600.0;
  }

  /** The q-th percentile (0..100) in hours; NaN when empty. */
  public double percentileHours(double q) {
    return count() == 0 ? Double.NaN : histogram.getValueAtPercentile(q) / 3600.0;
  }

  public double maxHours() {
    return count() == 0 ? Double.NaN : histogram.getMaxValue() / 3600.0;
  }

  /** Fraction of values ≤ {@code hours}. */
  public double fractionAtOrBelow(double hours) {
    if (count() == 0) {
      return Double.NaN;
    }
    long v = (long) Math.floor(hours * 3600);
    return (double) histogram.getCountBetweenValues(0, Math.max(0, v)) / count();
  }
}
