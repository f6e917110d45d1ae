package dev.superfactory.report.result;

import dev.superfactory.report.Format;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.workload.Jobs;

/**
 * The measured window of a run, as the result builders share it: from the end of the warm-up
 * ({@code start}) to the end of the clock ({@code end}), in seconds, and the GPU-hours it offered.
 */
record Window(long start, long end, double hours, double availableGpuHours) {
  static Window of(Scenario sc) {
    long start = sc.effectiveWarmupSeconds();
    double hours = sc.horizonSeconds() / 3600.0;
    return new Window(start, start + sc.horizonSeconds(), hours, sc.fleet().totalGpus() * hours);
  }

  /** The job's end, or the end of the clock if it is still running. */
  long endOr(Jobs jobs, int j) {
    return jobs.end(j) >= 0 ? jobs.end(j) : end;
  }

  /** Rounded to {@code decimals} as the file writes it (NaN stays NaN, written as null). */
  static double round(double v, int decimals) {
    return Format.round(v, decimals);
  }

  /** Hours to four decimals. */
  static double hours(double h) {
    return round(h, 4);
  }

  /** A fraction to six decimals. */
  static double fraction(double v) {
    return round(v, 6);
  }
}
