package dev.superfactory.report.result;

import static dev.superfactory.report.result.Window.hours;
import static dev.superfactory.report.result.Window.round;

import dev.superfactory.metrics.Distribution;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.sim.SimulationResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@code wait}, {@code completionTime}, {@code waitBySize} and {@code waitCdf}. Cost: O(tenants · CDF points). */
final class WaitResults {
  /** Points of the wait-time CDF, in hours: 0, 1 min, ..., 90 days. */
  static final double[] CDF_HOURS = {
    0, 1 / 60.0, 5 / 60.0, 15 / 60.0, 0.5, 1, 2, 4, 8, 12, 24, 48, 96, 168, 336, 720, 1440, 2160
  };

  private WaitResults() {}

  static DurationStats stats(Distribution d) {
    return new DurationStats(d.count(), hours(d.meanHours()), hours(d.percentileHours(50)), hours(d.percentileHours(90)),
        hours(d.percentileHours(95)), hours(d.percentileHours(99)), hours(d.maxHours()));
  }

  static Slowdown slowdown(RunMetrics m) {
    return new Slowdown(m.waitsWithPending().count(), m.censoredWaits(), round(m.slowdownMean(), 4),
        round(m.slowdownGpuWeightedMean(), 4));
  }

  static List<SizeClassWait> bySize(RunMetrics m) {
    List<SizeClassWait> rows = new ArrayList<>();
    for (int c = 0; c < RunMetrics.SIZE_CLASS_NAMES.length; c++) {
      Distribution d = m.sizeClassWaits(c);
      rows.add(new SizeClassWait(RunMetrics.SIZE_CLASS_NAMES[c], d.count(), hours(d.percentileHours(50)),
          hours(d.percentileHours(95)), hours(d.percentileHours(99))));
    }
    return rows;
  }

  static WaitCdf cdf(SimulationResult r) {
    RunMetrics m = r.metrics();
    double[] points = new double[CDF_HOURS.length];
    for (int i = 0; i < points.length; i++) {
      points[i] = round(CDF_HOURS[i], 6);
    }
    Map<String, Samples> byTenant = new LinkedHashMap<>();
    for (int t = 0; t < r.tenants().size(); t++) {
      byTenant.put(r.tenants().get(t).name(), cdf(m.tenantWaits(t)));
    }
    return new WaitCdf(Samples.of(points), cdf(m.waits()), byTenant);
  }

  /** The share of jobs that waited at most each of {@link #CDF_HOURS}; NaN with no jobs. */
  private static Samples cdf(Distribution d) {
    double[] shares = new double[CDF_HOURS.length];
    for (int i = 0; i < shares.length; i++) {
      shares[i] = round(d.fractionAtOrBelow(CDF_HOURS[i]), 6);
    }
    return Samples.of(shares);
  }
}
