package dev.superfactory.report;

/**
 * Thins a time series for drawing. The samples are split into equal runs of consecutive indexes
 * (the series are evenly sampled, so a run is a time bucket about one plot pixel wide).
 * {@link #minMax} keeps each bucket's lowest and highest sample in time order, so every peak and
 * trough of the full series stays visible; {@link #average} replaces each bucket by its mean, which
 * keeps stacked series summing to their total. Missing values (NaN) are skipped; a bucket with none
 * left becomes a NaN point, which breaks the line. Cost: O(n) time, O(maxPoints) memory.
 */
final class Downsample {
  private Downsample() {}

  /** Drawable points; a NaN y is a gap. */
  record Points(double[] x, double[] y) {
    int size() {
      return x.length;
    }
  }

  /** At most {@code maxPoints} points (two per bucket) holding every bucket's minimum and maximum. */
  static Points minMax(double[] x, double[] y, int maxPoints) {
    int n = Math.min(x.length, y.length);
    if (n <= maxPoints) {
      return copy(x, y, n);
    }
    int buckets = Math.max(1, maxPoints / 2);
    double[] outX = new double[buckets * 2];
    double[] outY = new double[buckets * 2];
    int k = 0;
    for (int b = 0; b < buckets; b++) {
      int from = bucketStart(b, buckets, n);
      int to = bucketStart(b + 1, buckets, n);
      int lo = -1;
      int hi = -1;
      for (int i = from; i < to; i++) {
        if (!Double.isNaN(y[i])) {
          lo = lo < 0 || y[i] < y[lo] ? i : lo;
          hi = hi < 0 || y[i] > y[hi] ? i : hi;
        }
      }
      if (lo < 0) {
        outX[k] = x[(from + to - 1) / 2];
        outY[k++] = Double.NaN;
        continue;
      }
      int a = Math.min(lo, hi);
      int c = Math.max(lo, hi);
      outX[k] = x[a];
      outY[k++] = y[a];
      if (c != a) {
        outX[k] = x[c];
        outY[k++] = y[c];
      }
    }
    return new Points(java.util.Arrays.copyOf(outX, k), java.util.Arrays.copyOf(outY, k));
  }

  /** At most {@code maxPoints} points, each the mean time and mean value of one bucket. */
  static Points average(double[] x, double[] y, int maxPoints) {
    int n = Math.min(x.length, y.length);
    if (n <= maxPoints) {
      return copy(x, y, n);
    }
    int buckets = Math.max(1, maxPoints);
    double[] outX = new double[buckets];
    double[] outY = new double[buckets];
    for (int b = 0; b < buckets; b++) {
      int from = bucketStart(b, buckets, n);
      int to = bucketStart(b + 1, buckets, n);
      double sumX = 0;
      double sumY = 0;
      int values = 0;
      for (int i = from; i < to; i++) {
        sumX += x[i];
        if (!Double.isNaN(y[i])) {
          sumY += y[i];
          values++;
        }
      }
      outX[b] = sumX / (to - from);
      outY[b] = values == 0 ? Double.NaN : sumY / values;
    }
    return new Points(outX, outY);
  }

  /** First index of bucket {@code b} when {@code n} samples are split into {@code buckets} near-equal runs. */
  private static int bucketStart(int b, int buckets, int n) {
    return (int) ((long) b * n / buckets);
  }

  private static Points copy(double[] x, double[] y, int n) {
    return new Points(java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n));
  }
}
