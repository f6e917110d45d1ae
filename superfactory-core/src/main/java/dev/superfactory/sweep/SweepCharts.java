package dev.superfactory.sweep;

import dev.superfactory.report.HtmlWriter;
import dev.superfactory.report.Legend;
import dev.superfactory.report.Palette;
import dev.superfactory.report.Scale;
import dev.superfactory.report.SvgPath;
import dev.superfactory.report.Ticks;
import dev.superfactory.sweep.SweepResult.AxisInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The charts of sweep.html: an output's mean against one axis, a line per value of a second axis (points per
 * category when the axis is not numeric), the 95% CI shaded and best cells ringed. An axis whose values are all
 * positive and span 100× or more is drawn on a log scale. Cost: O(cells + values) per chart.
 */
final class SweepCharts {
  static final int WIDTH = 460;
  static final int HEIGHT = 250;
  private static final double LEFT = 60;
  private static final double RIGHT = WIDTH - 14;
  private static final double TOP = 10;
  private static final double BOTTOM = HEIGHT - 40;
  private static final int MAX_X_LABELS = 8;

  private SweepCharts() {}

  /** One figure: the chart, its legend and a note on what it averages. */
  static void figure(HtmlWriter w, SweepResult r, Outputs.Output o, AxisInfo x) {
    AxisInfo series = SweepGrid.seriesFor(r.axes(), x);
    SweepGrid g = SweepGrid.of(r, o.key(), x, series);
    double[] range = g.range();
    if (range == null) {
      return;
    }
    boolean log = x.numeric() && logScale(x);
    w.open("figure", "class", "chart", "data-output", o.key(), "data-axis", x.path(),
        "data-xscale", x.numeric() ? (log ? "log" : "linear") : "category");
    w.element("figcaption", o.title() + " by " + x.path());
    if (series != null) {
      List<Legend.Entry> entries = new ArrayList<>();
      for (int j = 0; j < series.values().size(); j++) {
        entries.add(new Legend.Entry(series.path() + " = " + series.values().get(j), color(j),
            x.numeric() ? Legend.Mark.LINE : Legend.Mark.BOX));
      }
      Legend.write(w, entries);
    }
    Ticks yt = Ticks.covering(range[0], range[1], 4);
    Scale y = new Scale(yt.first(), yt.last(), BOTTOM, TOP);
    w.open("svg", "class", "chart", "viewBox", "0 0 " + WIDTH + " " + HEIGHT, "role", "img",
        "aria-label", o.title() + " by " + x.path());
    yAxis(w, SweepUnits.ticks(o.unit(), yt), y, o.unit());
    if (x.numeric()) {
      lines(w, o, x, series, g, y, log);
    } else {
      categories(w, o, x, series, g, y);
    }
    w.close("svg");
    note(w, r, x, series, g);
    w.close("figure");
  }

  /** Whether an axis is drawn on a log scale: every value positive and the largest at least 100× the smallest. */
  static boolean logScale(AxisInfo x) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (String v : x.values()) {
      double n = Axis.number(v);
      if (!(n > 0)) {
        return false;
      }
      lo = Math.min(lo, n);
      hi = Math.max(hi, n);
    }
    return hi >= 100 * lo;
  }

  private static void lines(HtmlWriter w, Outputs.Output o, AxisInfo x, AxisInfo series, SweepGrid g, Scale y,
      boolean log) {
    int nx = x.values().size();
    double[] xs = new double[nx];
    for (int i = 0; i < nx; i++) {
      double n = Axis.number(x.values().get(i));
      xs[i] = log ? Math.log10(n) : n;
    }
    double lo = IntStream.range(0, nx).mapToDouble(i -> xs[i]).filter(Double::isFinite).min().orElse(0);
    double hi = IntStream.range(0, nx).mapToDouble(i -> xs[i]).filter(Double::isFinite).max().orElse(1);
    Scale sx = hi > lo ? new Scale(lo, hi, LEFT + 8, RIGHT - 8) : new Scale(lo - 1, lo + 1, LEFT, RIGHT);
    List<Integer> order = IntStream.range(0, nx).filter(i -> Double.isFinite(xs[i])).boxed()
        .sorted(Comparator.comparingDouble(i -> xs[i])).toList();
    double[] px = new double[nx];
    for (int i : order) {
      px[i] = sx.applyAsDouble(xs[i]);
    }
    xAxis(w, x, order, px, x.path() + (log ? " (log scale)" : ""));
    int ns = g.mean()[0].length;
    for (int j = 0; j < ns; j++) {
      band(w, g, j, order, px, y, color(j));
    }
    for (int j = 0; j < ns; j++) {
      SvgPath path = new SvgPath(nx);
      for (int i : order) {
        double m = g.mean()[i][j];
        if (Double.isNaN(m)) {
          path.gap();
        } else {
          path.lineTo(px[i], y.applyAsDouble(m));
        }
      }
      w.empty("path", "class", "line", "d", path.toString(), "stroke", color(j),
          "data-series", series == null ? o.key() : series.values().get(j));
      for (int i : order) {
        dot(w, o, x, series, g, i, j, px[i], y);
      }
    }
  }

  /** The CI band of one line: a polygon over each run of neighbouring points that have an interval. */
  private static void band(HtmlWriter w, SweepGrid g, int j, List<Integer> order, double[] px, Scale y, String color) {
    List<Integer> run = new ArrayList<>();
    for (int k = 0; k <= order.size(); k++) {
      boolean has = k < order.size() && !Double.isNaN(g.ciLow()[order.get(k)][j]);
      if (has) {
        run.add(order.get(k));
        continue;
      }
      if (run.size() == 1) {
        int i = run.get(0);
        whisker(w, px[i], y.applyAsDouble(g.ciLow()[i][j]), y.applyAsDouble(g.ciHigh()[i][j]), color);
      } else if (run.size() > 1) {
        StringBuilder points = new StringBuilder();
        for (int i : run) {
          points.append(SvgPath.num(px[i])).append(',').append(SvgPath.num(y.applyAsDouble(g.ciHigh()[i][j]))).append(' ');
        }
        for (int k2 = run.size() - 1; k2 >= 0; k2--) {
          int i = run.get(k2);
          points.append(SvgPath.num(px[i])).append(',').append(SvgPath.num(y.applyAsDouble(g.ciLow()[i][j]))).append(' ');
        }
        w.empty("polygon", "class", "ci", "points", points.toString().trim(), "fill", color);
      }
      run.clear();
    }
  }

  private static void categories(HtmlWriter w, Outputs.Output o, AxisInfo x, AxisInfo series, SweepGrid g, Scale y) {
    int nx = x.values().size();
    int ns = g.mean()[0].length;
    double slot = (RIGHT - LEFT) / nx;
    double step = Math.min(14, slot / (ns + 1));
    double[] centre = new double[nx];
    List<Integer> order = IntStream.range(0, nx).boxed().toList();
    for (int i = 0; i < nx; i++) {
      centre[i] = LEFT + (i + 0.5) * slot;
    }
    xAxis(w, x, order, centre, x.path());
    for (int j = 0; j < ns; j++) {
      double offset = (j - (ns - 1) / 2.0) * step;
      for (int i = 0; i < nx; i++) {
        if (!Double.isNaN(g.ciLow()[i][j])) {
          whisker(w, centre[i] + offset, y.applyAsDouble(g.ciLow()[i][j]), y.applyAsDouble(g.ciHigh()[i][j]), color(j));
        }
        dot(w, o, x, series, g, i, j, centre[i] + offset, y);
      }
    }
  }

  private static void whisker(HtmlWriter w, double px, double yLow, double yHigh, String color) {
    w.empty("line", "class", "ci", "x1", SvgPath.num(px), "x2", SvgPath.num(px), "y1", SvgPath.num(yLow),
        "y2", SvgPath.num(yHigh), "stroke", color);
  }

  /** A point with its value as a tooltip, ringed when a best cell is behind it. */
  private static void dot(HtmlWriter w, Outputs.Output o, AxisInfo x, AxisInfo series, SweepGrid g, int i, int j,
      double px, Scale y) {
    double m = g.mean()[i][j];
    if (Double.isNaN(m)) {
      return;
    }
    String cx = SvgPath.num(px);
    String cy = SvgPath.num(y.applyAsDouble(m));
    if (g.best()[i][j]) {
      w.empty("circle", "class", "best-ring", "cx", cx, "cy", cy, "r", "7");
    }
    String tip = x.path() + " = " + x.values().get(i) + (series == null ? "" : ", " + series.path() + " = "
        + series.values().get(j)) + "\n" + o.title() + ": " + SweepUnits.value(o.unit(), m)
        + (Double.isNaN(g.ciLow()[i][j]) ? "" : " " + SweepUnits.plusMinus(o.unit(),
            (g.ciHigh()[i][j] - g.ciLow()[i][j]) / 2)) + (g.best()[i][j] ? "\nbest" : "");
    w.open("circle", "class", "dot", "cx", cx, "cy", cy, "r", "3.2", "fill", color(j)).element("title", tip)
        .close("circle");
  }

  private static void yAxis(HtmlWriter w, List<Ticks.Tick> ticks, Scale y, String title) {
    w.open("g", "class", "y-axis");
    for (Ticks.Tick t : ticks) {
      String py = SvgPath.num(y.applyAsDouble(t.value()));
      w.empty("line", "class", "grid", "x1", SvgPath.num(LEFT), "x2", SvgPath.num(RIGHT), "y1", py, "y2", py);
      w.element("text", t.label(), "x", SvgPath.num(LEFT - 6), "y", py, "dy", "0.32em", "text-anchor", "end");
    }
    w.element("text", title, "class", "axis-title", "transform", "rotate(-90)",
        "x", SvgPath.num(-(TOP + BOTTOM) / 2), "y", "12", "text-anchor", "middle");
    w.close("g");
  }

  /** A label under each value in {@code order} (every k-th when there are many), the axis line and its title. */
  private static void xAxis(HtmlWriter w, AxisInfo x, List<Integer> order, double[] px, String title) {
    w.open("g", "class", "x-axis");
    int stride = Math.max(1, (int) Math.ceil(order.size() / (double) MAX_X_LABELS));
    for (int k = 0; k < order.size(); k += stride) {
      int i = order.get(k);
      w.element("text", x.values().get(i), "x", SvgPath.num(px[i]), "y", SvgPath.num(BOTTOM + 15),
          "text-anchor", "middle");
    }
    w.empty("line", "class", "axis", "x1", SvgPath.num(LEFT), "x2", SvgPath.num(RIGHT), "y1", SvgPath.num(BOTTOM),
        "y2", SvgPath.num(BOTTOM));
    w.element("text", title, "class", "axis-title", "x", SvgPath.num((LEFT + RIGHT) / 2), "y",
        SvgPath.num(HEIGHT - 6), "text-anchor", "middle");
    w.close("g");
  }

  private static void note(HtmlWriter w, SweepResult r, AxisInfo x, AxisInfo series, SweepGrid g) {
    List<String> parts = new ArrayList<>();
    List<AxisInfo> averaged = SweepGrid.averagedOver(r.axes(), x, series);
    if (!averaged.isEmpty()) {
      parts.add("Each point averages the cell means over " + String.join(", ",
          averaged.stream().map(AxisInfo::path).toList()) + " (no CI band for an average).");
    }
    if (g.anyCi()) {
      parts.add("Shaded: 95% CI over the seeds.");
    }
    if (r.cells().stream().anyMatch(SweepResult.Cell::best)) {
      parts.add("Ringed: the best cell.");
    }
    if (!parts.isEmpty()) {
      w.element("p", String.join(" ", parts), "class", "note");
    }
  }

  static String color(int j) {
    return Palette.TENANT_COLORS.get(j % Palette.TENANT_COLORS.size());
  }
}
