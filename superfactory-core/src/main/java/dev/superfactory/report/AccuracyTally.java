package dev.superfactory.report;

import dev.superfactory.report.ForecastAccuracy.Bucket;
import dev.superfactory.report.ForecastAccuracy.Method;
import dev.superfactory.report.ForecastAccuracy.Predictions;
import dev.superfactory.report.ForecastAccuracy.Row;
import dev.superfactory.forecast.Forecast;
import dev.superfactory.workload.Jobs;
import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Compares every prediction of a {@link ForecastAccuracy} run with the actual start and sums the
 * figures per bucket and method. Cost: O(predictions · log) (a sort per median).
 */
final class AccuracyTally {
  private final Jobs jobs;
  private final Predictions predictions;
  private final Int2ObjectOpenHashMap<LongArrayList> starts;
  private final long horizonSeconds;

  AccuracyTally(Jobs jobs, Predictions predictions, Int2ObjectOpenHashMap<LongArrayList> starts,
      long horizonSeconds) {
    this.jobs = jobs;
    this.predictions = predictions;
    this.starts = starts;
    this.horizonSeconds = horizonSeconds;
  }

  /** Rows for each bucket then all jobs, each with the methods in order. */
  List<Row> rows() {
    long[] actual = actual();
    List<Row> rows = new ArrayList<>();
    List<Bucket> buckets = new ArrayList<>(ForecastAccuracy.BUCKETS);
    buckets.add(new Bucket("all", 1, Integer.MAX_VALUE));
    for (Bucket b : buckets) {
      for (Method m : Method.values()) {
        rows.add(row(b, m, actual));
      }
    }
    return rows;
  }

  /** Each prediction's actual start: the job's first start at or after the sample, or -1. */
  long[] actual() {
    long[] actual = new long[predictions.size()];
    for (int i = 0; i < actual.length; i++) {
      LongArrayList times = starts.get((int) predictions.job.getLong(i));
      actual[i] = -1;
      long at = predictions.at.getLong(i);
      for (int k = 0; times != null && k < times.size(); k++) {
        if (times.getLong(k) >= at) {
          actual[i] = times.getLong(k);
          break;
        }
      }
    }
    return actual;
  }

  private Row row(Bucket b, Method m, long[] actual) {
    DoubleArrayList errorsHours = new DoubleArrayList();
    BitSet distinct = new BitSet();
    long notStarted = 0;
    long beyond = 0;
    long within = 0;
    long held = 0;
    for (int i = 0; i < actual.length; i++) {
      int job = (int) predictions.job.getLong(i);
      if (!b.holds(jobs.gpus(job))) {
        continue;
      }
      if (actual[i] < 0) {
        notStarted++;
        continue;
      }
      distinct.set(job);
      long at = predictions.at.getLong(i);
      long predicted = predictions.predicted(m, i);
      if (predicted == Forecast.NONE) {
        beyond++;
        predicted = at + horizonSeconds;
      }
      errorsHours.add(Math.abs(predicted - actual[i]) / 3600.0);
      within += withinFactorTwo(predicted - at, actual[i] - at) ? 1 : 0;
      held += actual[i] <= predictions.bound(m, i) ? 1 : 0;
    }
    int n = errorsHours.size();
    return new Row(b.name(), m.label(), n, distinct.cardinality(), notStarted, beyond, median(errorsHours),
        n == 0 ? Double.NaN : (double) within / n, n == 0 ? Double.NaN : (double) held / n);
  }

  /** Predicted wait / actual wait in [0.5, 2], each wait counted as at least {@link ForecastAccuracy#MIN_WAIT_SECONDS}. */
  static boolean withinFactorTwo(long predictedWaitSeconds, long actualWaitSeconds) {
    long p = Math.max(ForecastAccuracy.MIN_WAIT_SECONDS, predictedWaitSeconds);
    long a = Math.max(ForecastAccuracy.MIN_WAIT_SECONDS, actualWaitSeconds);
    return p <= 2 * a && a <= 2 * p;
  }

  /** The median (mean of the middle two for an even count), NaN for none. */
  static double median(DoubleArrayList values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.toDoubleArray();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
