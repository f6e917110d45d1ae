package dev.superfactory.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates a sweep's rows into {@link SweepResult}: per combination of axis values, each output's mean over the
 * seeds with a 95% Student-t confidence interval, then the objective's feasibility and ranking. Cost:
 * O(points · outputs + cells · log cells).
 */
public final class SweepSummary {
  /** t(0.975, df) for df = 1..30; beyond, the normal 1.96 is within 2%. */
  private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
      2.056, 2.052, 2.048, 2.045, 2.042};

  private SweepSummary() {}

  /** The summary of a sweep whose every point has a row ({@code rows} in any order). */
  public static SweepResult of(SweepPlan plan, List<PointRow> rows) {
    List<PointRow> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingInt(PointRow::index));
    if (sorted.size() != plan.points().size()) {
      throw new IllegalArgumentException(sorted.size() + " rows for " + plan.points().size() + " points");
    }
    int seeds = plan.seeds().size();
    List<SweepResult.Cell> cells = new ArrayList<>();
    for (int c = 0; c * seeds < sorted.size(); c++) {
      List<PointRow> runs = sorted.subList(c * seeds, (c + 1) * seeds);
      Map<String, SweepResult.Stat> stats = new LinkedHashMap<>();
      for (Outputs.Output o : plan.outputs()) {
        double[] xs = runs.stream().mapToDouble(r -> r.outputs().getOrDefault(o.key(), Double.NaN)).toArray();
        stats.put(o.key(), stat(xs));
      }
      Map<String, String> axes = new LinkedHashMap<>();
      SweepPoint first = plan.points().get(c * seeds);
      for (int a = 0; a < plan.axes().size(); a++) {
        axes.put(plan.axes().get(a).written(), first.labels().get(a));
      }
      cells.add(new SweepResult.Cell(c, axes, runs.size(), stats, null, null, false,
          runs.stream().map(PointRow::id).toList()));
    }
    Objective obj = plan.objective();
    if (obj != null) {
      cells = ranked(cells, obj);
    }
    List<SweepResult.AxisInfo> axes = new ArrayList<>();
    for (int g = 0; g < plan.groups().size(); g++) {
      for (int a : plan.groups().get(g)) {
        Axis axis = plan.axes().get(a);
        axes.add(new SweepResult.AxisInfo(axis.written(), axis.numeric(), g, axis.labels()));
      }
    }
    return new SweepResult(plan.name(), plan.description(), plan.baseName(), axes, plan.seeds(), plan.outputs(),
        obj == null ? null : obj.text(), sorted.size(), cells);
  }

  private static List<SweepResult.Cell> ranked(List<SweepResult.Cell> cells, Objective obj) {
    List<SweepResult.Cell> feasible = new ArrayList<>();
    for (SweepResult.Cell c : cells) {
      if (obj.feasible(k -> whole(c, k)) && !Double.isNaN(whole(c, obj.output()))) {
        feasible.add(c);
      }
    }
    Comparator<SweepResult.Cell> order = Comparator.comparingDouble(c -> c.outputs().get(obj.output()).mean());
    feasible.sort(obj.maximize() ? order.reversed() : order); // stable: ties keep generation order
    Map<Integer, Integer> rank = new LinkedHashMap<>();
    double bestMean = feasible.isEmpty() ? Double.NaN : feasible.get(0).outputs().get(obj.output()).mean();
    for (int i = 0; i < feasible.size(); i++) {
      SweepResult.Cell c = feasible.get(i);
      double m = c.outputs().get(obj.output()).mean();
      int r = i > 0 && m == feasible.get(i - 1).outputs().get(obj.output()).mean() ? rank.get(feasible.get(i - 1).index())
          : i + 1;
      rank.put(c.index(), r);
    }
    List<SweepResult.Cell> out = new ArrayList<>();
    for (SweepResult.Cell c : cells) {
      boolean ok = obj.feasible(k -> whole(c, k)) && !Double.isNaN(whole(c, obj.output()));
      Integer r = rank.get(c.index());
      out.add(new SweepResult.Cell(c.index(), c.axes(), c.runs(), c.outputs(), ok, r,
          r != null && c.outputs().get(obj.output()).mean() == bestMean, c.points()));
    }
    return out;
  }

  /**
   * The cell's mean of an output when every seed has a figure, else NaN: a constraint or an objective is judged
   * on all the seeds, never on the ones that happen to have a figure (a payback some seeds never reach).
   */
  private static double whole(SweepResult.Cell c, String output) {
    SweepResult.Stat s = c.outputs().get(output);
    return s.n() == c.runs() ? s.mean() : Double.NaN;
  }

  /** Mean, 95% CI and sample deviation of the figures that are not NaN. */
  static SweepResult.Stat stat(double[] xs) {
    int n = 0;
    double sum = 0;
    for (double x : xs) {
      if (!Double.isNaN(x)) {
        n++;
        sum += x;
      }
    }
    if (n == 0) {
      return new SweepResult.Stat(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double mean = sum / n;
    if (n == 1) {
      return new SweepResult.Stat(mean, Double.NaN, Double.NaN, Double.NaN, 1);
    }
    double first = Double.NaN;
    boolean same = true;
    for (double x : xs) {
      if (!Double.isNaN(x)) {
        same &= Double.isNaN(first) || x == first;
        first = Double.isNaN(first) ? x : first;
      }
    }
    if (same) { // every seed agrees (a performance-model estimate): exactly that, without rounding noise
      return new SweepResult.Stat(first, first, first, 0, n);
    }
    double ss = 0;
    for (double x : xs) {
      if (!Double.isNaN(x)) {
        ss += (x - mean) * (x - mean);
      }
    }
    double sd = Math.sqrt(ss / (n - 1));
    double half = (n - 1 <= T975.length ? T975[n - 2] : 1.96) * sd / Math.sqrt(n);
    return new SweepResult.Stat(mean, mean - half, mean + half, sd, n);
  }
}
