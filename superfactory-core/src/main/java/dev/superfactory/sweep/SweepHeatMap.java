package dev.superfactory.sweep;

import dev.superfactory.report.HtmlWriter;
import dev.superfactory.sweep.SweepResult.AxisInfo;
import java.util.List;
import java.util.Locale;

/**
 * An output's mean over the first axis × the first axis not zipped with it, as a table of coloured cells with the
 * value printed: a sequential scale (ColorBrewer YlGnBu, Harrower and Brewer 2003) on which the better end is
 * always the dark one, whichever way the output's best lies. Cost: O(cells + rows · columns).
 */
final class SweepHeatMap {
  /** YlGnBu, light (worst) to dark (best). */
  private static final int[][] STOPS = {{0xff, 0xff, 0xcc}, {0xa1, 0xda, 0xb4}, {0x41, 0xb6, 0xc4},
      {0x2c, 0x7f, 0xb8}, {0x25, 0x34, 0x94}};

  private SweepHeatMap() {}

  /** Whether the sweep has two axes that vary independently (a heat map needs them). */
  static boolean applies(SweepResult r) {
    return !r.axes().isEmpty() && SweepGrid.seriesFor(r.axes(), r.axes().get(0)) != null;
  }

  static void write(HtmlWriter w, SweepResult r, Outputs.Output o) {
    AxisInfo rows = r.axes().get(0);
    AxisInfo cols = SweepGrid.seriesFor(r.axes(), rows);
    SweepGrid g = SweepGrid.of(r, o.key(), rows, cols);
    double[] range = meanRange(g.mean());
    if (range == null) {
      return;
    }
    w.open("figure", "class", "heat", "data-output", o.key()).element("figcaption", o.title());
    w.open("table", "class", "heat", "data-output", o.key()).open("thead").open("tr")
        .element("th", rows.path() + " \\ " + cols.path(), "scope", "col");
    for (String c : cols.values()) {
      w.element("th", c, "scope", "col");
    }
    w.close("tr").close("thead").open("tbody");
    for (int i = 0; i < rows.values().size(); i++) {
      w.open("tr").element("th", rows.values().get(i), "scope", "row");
      for (int j = 0; j < cols.values().size(); j++) {
        cell(w, o, g, i, j, range, rows.values().get(i), cols.values().get(j));
      }
      w.close("tr");
    }
    w.close("tbody").close("table");
    List<AxisInfo> averaged = SweepGrid.averagedOver(r.axes(), rows, cols);
    w.element("p", "Darker is better (" + (o.higherIsBetter() ? "higher" : "lower") + "); the best cell is outlined."
        + (averaged.isEmpty() ? "" : " Each square averages the cell means over "
            + String.join(", ", averaged.stream().map(AxisInfo::path).toList()) + "."), "class", "note");
    w.close("figure");
  }

  private static void cell(HtmlWriter w, Outputs.Output o, SweepGrid g, int i, int j, double[] range, String row,
      String col) {
    double m = g.mean()[i][j];
    String style = null;
    if (Double.isFinite(m)) {
      double t = range[1] > range[0] ? (m - range[0]) / (range[1] - range[0]) : 0.5;
      double good = o.higherIsBetter() ? t : 1 - t;
      style = "background:" + color(good) + ";color:" + (good > 0.55 ? "#fff" : "#1f2933");
    }
    w.element("td", SweepUnits.value(o.unit(), m), "class", g.best()[i][j] ? "best" : null, "style", style,
        "data-row", row, "data-col", col, "data-output", o.key(), "data-v", Double.isNaN(m) ? "" : Double.toString(m));
  }

  /** The colour at {@code good} in [0, 1] on the scale, interpolated between its stops. */
  static String color(double good) {
    double at = Math.max(0, Math.min(1, good)) * (STOPS.length - 1);
    int k = Math.min(STOPS.length - 2, (int) Math.floor(at));
    double f = at - k;
    int[] c = new int[3];
    for (int ch = 0; ch < 3; ch++) {
      c[ch] = (int) Math.round(STOPS[k][ch] + f * (STOPS[k + 1][ch] - STOPS[k][ch]));
    }
    return String.format(Locale.ROOT, "#%02x%02x%02x", c[0], c[1], c[2]);
  }

  private static double[] meanRange(double[][] mean) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] row : mean) {
      for (double v : row) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return lo <= hi ? new double[] {lo, hi} : null;
  }
}
