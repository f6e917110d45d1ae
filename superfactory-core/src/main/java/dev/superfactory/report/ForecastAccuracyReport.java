package dev.superfactory.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.forecast.RunTimeDraw;
import dev.superfactory.report.ForecastAccuracy.Result;
import dev.superfactory.report.ForecastAccuracy.Row;
import java.util.Locale;

/** A {@link ForecastAccuracy} result as a console table, CSV (one line per row) and JSON. Linear in the rows. */
public final class ForecastAccuracyReport {
  private ForecastAccuracyReport() {}

  /** The console form: a heading line, then one line per bucket and method. */
  public static String table(Result r) {
    TextTable t = new TextTable("GPUs", "method", "predictions>", "jobs>", "not started>", "beyond horizon>",
        "median |error| h>", "within 2x>", "actual <= bound>", "bound");
    String previous = "";
    for (Row row : r.rows()) {
      boolean first = !row.bucket().equals(previous);
      previous = row.bucket();
      t.row(first ? row.bucket() : "", row.method(), count(row.predictions()), count(row.jobs()),
          count(row.notStarted()), count(row.beyondHorizon()), number(row.medianAbsErrorHours()),
          percent(row.withinFactorTwo()), percent(row.boundHeld()), bound(row.method()));
    }
    return String.format(Locale.ROOT, "Forecast accuracy: %s, %s days sampled every %s h (%d samples); forecasts"
        + " %s days ahead, %d draws (%s; failures %s)%n%n", r.scenario(), trim(r.windowDays()),
        trim(r.sampleEverySeconds() / 3600.0), r.samples(), trim(r.forecastHorizonSeconds() / 86_400.0), r.draws(),
        runTimes(r.runTimes()), r.failuresDrawn() ? "drawn" : "off") + t;
  }

  private static String runTimes(RunTimeDraw d) {
    return d.atLimitShare() == 1 ? "every job runs its declared time"
        : String.format(Locale.ROOT, "%s of the jobs run their declared time, the rest %s-1 of it",
            percent(d.atLimitShare()), trim(d.minFactor()));
  }

  /** One line per row, the figures unrounded. */
  public static String csv(Result r) {
    StringBuilder sb = new StringBuilder("bucket,method,predictions,jobs,not_started,beyond_horizon,"
        + "median_abs_error_hours,within_factor_2,actual_at_or_before_bound\n");
    for (Row row : r.rows()) {
      sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%s,%s,%s%n", row.bucket(), row.method(),
          row.predictions(), row.jobs(), row.notStarted(), row.beyondHorizon(), raw(row.medianAbsErrorHours()),
          raw(row.withinFactorTwo()), raw(row.boundHeld())));
    }
    return sb.toString();
  }

  /** The whole result (settings, rows, wall times); NaN figures are null. */
  public static ObjectNode json(Result r) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("scenario", r.scenario()).put("seed", r.seed()).put("windowDays", r.windowDays())
        .put("sampleEverySeconds", r.sampleEverySeconds()).put("draws", r.draws())
        .put("runTimesAtLimitShare", r.runTimes().atLimitShare()).put("runTimesMinFactor", r.runTimes().minFactor())
        .put("failuresDrawn", r.failuresDrawn())
        .put("forecastHorizonSeconds", r.forecastHorizonSeconds()).put("samples", r.samples())
        .put("runSeconds", r.runSeconds()).put("forecastSeconds", r.forecastSeconds())
        .put("baselineSeconds", r.baselineSeconds());
    var rows = root.putArray("rows");
    for (Row row : r.rows()) {
      ObjectNode o = rows.addObject().put("bucket", row.bucket()).put("method", row.method())
          .put("predictions", row.predictions()).put("jobs", row.jobs()).put("notStarted", row.notStarted())
          .put("beyondHorizon", row.beyondHorizon());
      putNumber(o, "medianAbsErrorHours", row.medianAbsErrorHours());
      putNumber(o, "withinFactorTwo", row.withinFactorTwo());
      putNumber(o, "actualAtOrBeforeBound", row.boundHeld());
    }
    return root;
  }

  private static void putNumber(ObjectNode o, String name, double v) {
    if (Double.isNaN(v)) {
      o.putNull(name);
    } else {
      o.put(name, v);
    }
  }

  private static String bound(String method) {
    for (ForecastAccuracy.Method m : ForecastAccuracy.Method.values()) {
      if (m.label().equals(method)) {
        return m.bound();
      }
    }
    return "";
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String percent(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static String raw(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
