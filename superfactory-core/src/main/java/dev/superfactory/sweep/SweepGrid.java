package dev.superfactory.sweep;

import dev.superfactory.sweep.SweepResult.AxisInfo;
import dev.superfactory.sweep.SweepResult.Cell;
import dev.superfactory.sweep.SweepResult.Stat;
import java.util.ArrayList;
import java.util.List;

/**
 * One output's cell means laid out on two axes, {@code x} × {@code series} (a single series without one), each
 * point the mean of the cells with those two values: with more axes, an average over the others' values. The 95%
 * CI is kept only where one cell makes the point (an average of intervals is not an interval). Cost: O(cells).
 *
 * @param mean [x value][series value]; NaN where no cell has a figure
 * @param ciLow the CI's lower end where one cell makes the point and has one; NaN elsewhere
 * @param ciHigh its upper end
 * @param best whether a best cell is among the point's cells
 * @param cells how many cells make each point
 */
record SweepGrid(double[][] mean, double[][] ciLow, double[][] ciHigh, boolean[][] best, int[][] cells) {

  static SweepGrid of(SweepResult r, String output, AxisInfo x, AxisInfo series) {
    int nx = x.values().size();
    int ns = series == null ? 1 : series.values().size();
    double[][] sum = new double[nx][ns];
    int[][] figures = new int[nx][ns];
    Stat[][] only = new Stat[nx][ns];
    SweepGrid g = new SweepGrid(new double[nx][ns], nan(nx, ns), nan(nx, ns), new boolean[nx][ns], new int[nx][ns]);
    for (Cell c : r.cells()) {
      int i = x.values().indexOf(c.axes().get(x.path()));
      int j = series == null ? 0 : series.values().indexOf(c.axes().get(series.path()));
      Stat s = c.outputs().get(output);
      if (i < 0 || j < 0 || s == null) {
        continue;
      }
      g.cells[i][j]++;
      g.best[i][j] |= c.best();
      only[i][j] = s;
      if (!Double.isNaN(s.mean())) {
        sum[i][j] += s.mean();
        figures[i][j]++;
      }
    }
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j < ns; j++) {
        g.mean[i][j] = figures[i][j] == 0 ? Double.NaN : sum[i][j] / figures[i][j];
        if (g.cells[i][j] == 1) {
          g.ciLow[i][j] = only[i][j].ciLow();
          g.ciHigh[i][j] = only[i][j].ciHigh();
        }
      }
    }
    return g;
  }

  /** The axis a chart over {@code x} draws one line per value of: the first other axis not zipped with it. */
  static AxisInfo seriesFor(List<AxisInfo> axes, AxisInfo x) {
    for (AxisInfo a : axes) {
      if (a != x && a.zip() != x.zip()) {
        return a;
      }
    }
    return null;
  }

  /** The axes a grid of {@code x} × {@code series} averages over: those zipped with neither. */
  static List<AxisInfo> averagedOver(List<AxisInfo> axes, AxisInfo x, AxisInfo series) {
    List<AxisInfo> out = new ArrayList<>();
    for (AxisInfo a : axes) {
      if (a.zip() != x.zip() && (series == null || a.zip() != series.zip())) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * Clips every CI end to {@code possible} ({lowest, highest}), for drawing only: a normal interval over few seeds
   * can reach past what a value can be (a utilization above 100%). Returns whether any end moved.
   */
  boolean clipCi(double[] possible) {
    boolean moved = false;
    for (double[][] m : new double[][][] {ciLow, ciHigh}) {
      for (double[] row : m) {
        for (int j = 0; j < row.length; j++) {
          double v = Math.max(possible[0], Math.min(possible[1], row[j]));
          moved |= v != row[j] && !Double.isNaN(row[j]);
          row[j] = Double.isNaN(row[j]) ? row[j] : v;
        }
      }
    }
    return moved;
  }

  /** Whether series {@code a} and {@code b} have the same mean and CI at every x (their lines coincide). */
  boolean sameSeries(int a, int b) {
    for (int i = 0; i < mean.length; i++) {
      if (Double.compare(mean[i][a], mean[i][b]) != 0 || Double.compare(ciLow[i][a], ciLow[i][b]) != 0
          || Double.compare(ciHigh[i][a], ciHigh[i][b]) != 0) {
        return false;
      }
    }
    return true;
  }

  boolean anyCi() {
    for (double[] row : ciLow) {
      for (double v : row) {
        if (!Double.isNaN(v)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The smallest and largest finite mean or CI end; null when there is none. */
  double[] range() {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[][] m : new double[][][] {mean, ciLow, ciHigh}) {
      for (double[] row : m) {
        for (double v : row) {
          if (Double.isFinite(v)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
    }
    return lo <= hi ? new double[] {lo, hi} : null;
  }

  private static double[][] nan(int nx, int ns) {
    double[][] m = new double[nx][ns];
    for (double[] row : m) {
      java.util.Arrays.fill(row, Double.NaN);
    }
    return m;
  }
}
