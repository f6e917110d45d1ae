package dev.superfactory.report.result;

import static dev.superfactory.report.result.Window.round;

import dev.superfactory.metrics.TimeSeries;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds {@code timeseries} from the run's sampled columns ({@code allocated}, {@code site:<name>},
 * {@code tenant:<name>}, {@code pendingJobs}, {@code pendingGpus}, {@code runningJobs}, {@code
 * healthy}); a column the record has no place for is an error, so a new metric cannot be dropped
 * from the result unnoticed. Cost: O(rows · columns).
 */
final class TimeseriesResults {
  private static final String SITE = "site:";
  private static final String TENANT = "tenant:";
  private static final String PENDING_REASON = "pendingGpus:";

  private TimeseriesResults() {}

  static Timeseries from(TimeSeries ts) {
    double[] hours = new double[ts.rows()];
    for (int i = 0; i < hours.length; i++) {
      hours[i] = round(ts.time(i) / 3600.0, 4);
    }
    Map<String, Samples> fractions = new LinkedHashMap<>();
    Map<String, Counts> counts = new LinkedHashMap<>();
    String[] columns = ts.columns();
    for (int c = 0; c < columns.length; c++) {
      if (isFraction(columns[c])) {
        fractions.put(columns[c], fractions(ts, c));
      } else {
        counts.put(columns[c], counts(ts, c));
      }
    }
    Map<String, Counts> byReason = prefixed(counts, PENDING_REASON);
    Timeseries t = new Timeseries(Samples.of(hours), fractions.remove("allocated"), prefixed(fractions, SITE),
        prefixed(fractions, TENANT), counts.remove("pendingJobs"), counts.remove("pendingGpus"),
        counts.remove("runningJobs"), fractions.remove("healthy"), byReason);
    if (!fractions.isEmpty() || !counts.isEmpty()) {
      throw new IllegalStateException("time series columns " + fractions.keySet() + counts.keySet()
          + " have no place in Timeseries");
    }
    return t;
  }

  /** Shares of GPUs, to five decimals; the rest are counts. */
  private static boolean isFraction(String column) {
    return column.equals("allocated") || column.equals("healthy") || column.startsWith(SITE)
        || column.startsWith(TENANT);
  }

  /** Removes the columns named {@code prefix + name} and returns them by name, in order. */
  private static <V> Map<String, V> prefixed(Map<String, V> columns, String prefix) {
    Map<String, V> named = new LinkedHashMap<>();
    columns.entrySet().removeIf(e -> {
      if (e.getKey().startsWith(prefix)) {
        named.put(e.getKey().substring(prefix.length()), e.getValue());
        return true;
      }
      return false;
    });
    return named;
  }

  private static Samples fractions(TimeSeries ts, int c) {
    double[] v = new double[ts.rows()];
    for (int i = 0; i < v.length; i++) {
      v[i] = round(ts.value(c, i), 5);
    }
    return Samples.of(v);
  }

  private static Counts counts(TimeSeries ts, int c) {
    long[] v = new long[ts.rows()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (long) ts.value(c, i);
    }
    return Counts.of(v);
  }
}
