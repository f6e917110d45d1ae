package dev.superfactory.sweep;

import dev.superfactory.report.HtmlWriter;
import dev.superfactory.report.Legend;
import dev.superfactory.report.Palette;
import dev.superfactory.report.Scale;
import dev.superfactory.report.SvgPath;
import dev.superfactory.report.Ticks;
import dev.superfactory.sweep.SweepResult.AxisInfo;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The charts of sweep.html: an output's mean against one axis, a line per value of a second axis (points per
 * category when the axis is not numeric), the 95% CI shaded and best cells ringed. An axis whose values are all
 * positive and span 100× or more is drawn on a log scale. The CI is drawn clipped to what the output's unit can be
 * ({@link SweepUnits#possible}); series whose lines coincide share one band. X labels never overlap: long numeric
 * ones are shortened, then only every k-th is printed ({@link #xLabels}). Cost: O(cells + values · series) per
 * chart, O(values²) at worst to choose the x labels.
 */
final class SweepCharts {
  /** The viewBox width of a chart that shares its row with others, and of one alone in its row. */
  static final int WIDTH = 460;
  static final int WIDE = 1000;
  static final int HEIGHT = 250;
  private static final double LEFT = 60;
  private static final double TOP = 10;
  private static final double BOTTOM = HEIGHT - 40;
  /** The chart's text size in px (svg.chart text) and a character's width in em, to estimate a label's width. */
  static final double FONT_PX = 12;
  private static final double CHAR_EM = 0.6;
  private static final double LABEL_GAP_PX = 6;
  /**
   * The band's fill opacity with one band. Each of n distinct bands gets 1 − (1 − 0.18)^(1/n), so where all of them
   * overlap the shade is as dark as one band's, not a grey-brown mud.
   */
  static final double BAND_OPACITY = 0.18;

  private SweepCharts() {}

  /**
   * One figure: the chart, its legend and a note on what it averages. {@code width} is the viewBox width,
   * {@link #WIDE} for a chart alone in its row.
   */
  static void figure(HtmlWriter w, SweepResult r, Outputs.Output o, AxisInfo x, int width) {
    AxisInfo series = SweepGrid.seriesFor(r.axes(), x);
    SweepGrid g = SweepGrid.of(r, o.key(), x, series);
    boolean clipped = g.clipCi(SweepUnits.possible(o.unit()));
    double[] range = g.range();
    if (range == null) {
      return;
    }
    boolean log = x.numeric() && logScale(x);
    double right = width - 14;
    w.open("figure", "class", "chart", "data-output", o.key(), "data-axis", x.path(),
        "data-xscale", x.numeric() ? (log ? "log" : "linear") : "category");
    w.element("figcaption", o.title() + " by " + x.path());
    if (series != null) {
      legend(w, x, series);
    }
    Ticks yt = Ticks.covering(range[0], range[1], 4);
    Scale y = new Scale(yt.first(), yt.last(), BOTTOM, TOP);
    w.open("svg", "class", "chart", "viewBox", "0 0 " + width + " " + HEIGHT, "role", "img",
        "aria-label", o.title() + " by " + x.path());
    yAxis(w, SweepUnits.ticks(o.unit(), yt), y, o.unit(), right);
    if (x.numeric()) {
      lines(w, o, x, series, g, y, log, right);
    } else {
      categories(w, o, x, series, g, y, right);
    }
    w.close("svg");
    note(w, r, x, series, g, clipped);
    w.close("figure");
  }

  /** The second axis's name once, as the legend's title, then a swatch per value. */
  private static void legend(HtmlWriter w, AxisInfo x, AxisInfo series) {
    List<Legend.Entry> entries = new ArrayList<>();
    for (int j = 0; j < series.values().size(); j++) {
      entries.add(new Legend.Entry(series.values().get(j), color(j), x.numeric() ? Legend.Mark.LINE : Legend.Mark.BOX));
    }
    w.open("div", "class", "series-legend").element("span", series.path() + ":", "class", "legend-title");
    Legend.write(w, entries);
    w.close("div");
  }

  /** For each series, the first series whose line it coincides with (itself when none): one band per group. */
  static int[] coincident(SweepGrid g) {
    int ns = g.mean()[0].length;
    int[] first = new int[ns];
    for (int j = 0; j < ns; j++) {
      first[j] = j;
      for (int k = 0; k < j; k++) {
        if (first[k] == k && g.sameSeries(k, j)) {
          first[j] = k;
          break;
        }
      }
    }
    return first;
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
      boolean log, double right) {
    int nx = x.values().size();
    double[] xs = new double[nx];
    for (int i = 0; i < nx; i++) {
      double n = Axis.number(x.values().get(i));
      xs[i] = log ? Math.log10(n) : n;
    }
    double lo = IntStream.range(0, nx).mapToDouble(i -> xs[i]).filter(Double::isFinite).min().orElse(0);
    double hi = IntStream.range(0, nx).mapToDouble(i -> xs[i]).filter(Double::isFinite).max().orElse(1);
    Scale sx = hi > lo ? new Scale(lo, hi, LEFT + 8, right - 8) : new Scale(lo - 1, lo + 1, LEFT, right);
    List<Integer> order = IntStream.range(0, nx).filter(i -> Double.isFinite(xs[i])).boxed()
        .sorted(Comparator.comparingDouble(i -> xs[i])).toList();
    double[] px = new double[nx];
    for (int i : order) {
      px[i] = sx.applyAsDouble(xs[i]);
    }
    xAxis(w, x, order, px, x.path() + (log ? " (log scale)" : ""), right);
    int ns = g.mean()[0].length;
    int[] first = coincident(g);
    long bands = IntStream.range(0, ns).filter(j -> first[j] == j).count();
    String opacity = String.format(Locale.ROOT, "%.3f", 1 - Math.pow(1 - BAND_OPACITY, 1.0 / bands));
    for (int j = 0; j < ns; j++) {
      if (first[j] == j) {
        int leader = j;
        int onTop = IntStream.range(0, ns).filter(k -> first[k] == leader).max().orElse(j);
        band(w, g, j, order, px, y, color(onTop), opacity); // in the colour of the line drawn last, the one seen
      }
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
  private static void band(HtmlWriter w, SweepGrid g, int j, List<Integer> order, double[] px, Scale y, String color,
      String opacity) {
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
        w.empty("polygon", "class", "ci", "points", points.toString().trim(), "fill", color,
            "fill-opacity", opacity);
      }
      run.clear();
    }
  }

  private static void categories(HtmlWriter w, Outputs.Output o, AxisInfo x, AxisInfo series, SweepGrid g, Scale y,
      double right) {
    int nx = x.values().size();
    int ns = g.mean()[0].length;
    double slot = (right - LEFT) / nx;
    double step = Math.min(14, slot / (ns + 1));
    double[] centre = new double[nx];
    List<Integer> order = IntStream.range(0, nx).boxed().toList();
    for (int i = 0; i < nx; i++) {
      centre[i] = LEFT + (i + 0.5) * slot;
    }
    xAxis(w, x, order, centre, x.path(), right);
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

  private static void yAxis(HtmlWriter w, List<Ticks.Tick> ticks, Scale y, String title, double right) {
    w.open("g", "class", "y-axis");
    for (Ticks.Tick t : ticks) {
      String py = SvgPath.num(y.applyAsDouble(t.value()));
      w.empty("line", "class", "grid", "x1", SvgPath.num(LEFT), "x2", SvgPath.num(right), "y1", py, "y2", py);
      w.element("text", t.label(), "x", SvgPath.num(LEFT - 6), "y", py, "dy", "0.32em", "text-anchor", "end");
    }
    w.element("text", title, "class", "axis-title", "transform", "rotate(-90)",
        "x", SvgPath.num(-(TOP + BOTTOM) / 2), "y", "12", "text-anchor", "middle");
    w.close("g");
  }

  /** Labels under the values in {@code order} as {@link #xLabels} chooses them, the axis line and its title. */
  private static void xAxis(HtmlWriter w, AxisInfo x, List<Integer> order, double[] px, String title, double right) {
    w.open("g", "class", "x-axis");
    double[] at = order.stream().mapToDouble(i -> px[i]).toArray();
    String[] labels = xLabels(order.stream().map(i -> x.values().get(i)).toList(), at, x.numeric());
    for (int k = 0; k < labels.length; k++) {
      if (labels[k] != null) {
        w.element("text", labels[k], "x", SvgPath.num(at[k]), "y", SvgPath.num(BOTTOM + 15), "text-anchor", "middle");
      }
    }
    w.empty("line", "class", "axis", "x1", SvgPath.num(LEFT), "x2", SvgPath.num(right), "y1", SvgPath.num(BOTTOM),
        "y2", SvgPath.num(BOTTOM));
    w.element("text", title, "class", "axis-title", "x", SvgPath.num((LEFT + right) / 2), "y",
        SvgPath.num(HEIGHT - 6), "text-anchor", "middle");
    w.close("g");
  }

  /**
   * The x labels to print at {@code px} (increasing), null where one is left out: every label when none would
   * overlap its neighbour (a label is about 0.6 em wide per character); else, on a numeric axis, each number cut to
   * three significant digits ({@code 3.16228Tbps} → {@code 3.16Tbps}, the point's tooltip keeps the full value);
   * else the first, the last and every k-th between, for the smallest k that fits.
   */
  static String[] xLabels(List<String> values, double[] px, boolean numeric) {
    String[] all = values.toArray(String[]::new);
    if (fits(all, px)) {
      return all;
    }
    String[] shown = all;
    if (numeric) {
      String[] cut = values.stream().map(SweepCharts::shorten).toArray(String[]::new);
      shown = Arrays.stream(cut).distinct().count() == cut.length ? cut : all;
      if (fits(shown, px)) {
        return shown;
      }
    }
    int n = shown.length;
    for (int k = 2; k < n - 1; k++) {
      String[] subset = new String[n];
      for (int i = 0; i < n; i += k) {
        subset[i] = shown[i];
      }
      int beforeLast = (n - 1) / k * k;
      subset[n - 1] = shown[n - 1];
      if (beforeLast != n - 1 && !fits(new String[] {shown[beforeLast], shown[n - 1]},
          new double[] {px[beforeLast], px[n - 1]})) {
        subset[beforeLast] = null;
      }
      if (fits(subset, px)) {
        return subset;
      }
    }
    String[] ends = new String[n];
    ends[0] = shown[0];
    ends[n - 1] = shown[n - 1];
    return ends;
  }

  /** Whether no two printed (non-null) neighbours overlap, with a small gap between them. */
  private static boolean fits(String[] labels, double[] px) {
    int previous = -1;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == null) {
        continue;
      }
      if (previous >= 0 && px[i] - px[previous] < (widthPx(labels[previous]) + widthPx(labels[i])) / 2 + LABEL_GAP_PX) {
        return false;
      }
      previous = i;
    }
    return true;
  }

  static double widthPx(String label) {
    return label.codePointCount(0, label.length()) * CHAR_EM * FONT_PX;
  }

  private static final Pattern NUMBER =
      Pattern.compile("([^0-9.+-]*)([+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(.*)");

  /** The label with its number cut to three significant digits: {@code x0.6667} → {@code x0.667}; others as they are. */
  static String shorten(String label) {
    Matcher m = NUMBER.matcher(label);
    if (!m.matches()) {
      return label;
    }
    try {
      BigDecimal n = new BigDecimal(m.group(2)).round(new MathContext(3));
      return m.group(1) + n.stripTrailingZeros().toPlainString() + m.group(3);
    } catch (NumberFormatException e) {
      return label;
    }
  }

  private static void note(HtmlWriter w, SweepResult r, AxisInfo x, AxisInfo series, SweepGrid g, boolean clipped) {
    List<String> parts = new ArrayList<>();
    List<AxisInfo> averaged = SweepGrid.averagedOver(r.axes(), x, series);
    if (!averaged.isEmpty()) {
      parts.add("Each point averages the cell means over " + String.join(", ",
          averaged.stream().map(AxisInfo::path).toList()) + " (no CI band for an average).");
    }
    if (g.anyCi()) {
      parts.add((x.numeric() ? "Shaded" : "Whiskers") + ": 95% CI over the seeds"
          + (clipped ? " (clipped to the possible range)." : "."));
    }
    if (x.numeric() && series != null) {
      coinciding(g, series).ifPresent(parts::add);
    }
    if (r.cells().stream().anyMatch(SweepResult.Cell::best)) {
      parts.add("Ringed: the best cell.");
    }
    if (!parts.isEmpty()) {
      w.element("p", String.join(" ", parts), "class", "note");
    }
  }

  /** "The lines for a: x0.5, x1 coincide (one band drawn)." when some series are drawn on top of each other. */
  private static Optional<String> coinciding(SweepGrid g, AxisInfo series) {
    int[] first = coincident(g);
    List<String> groups = new ArrayList<>();
    for (int k = 0; k < first.length; k++) {
      int leader = k;
      List<String> same = IntStream.range(0, first.length).filter(j -> first[j] == leader)
          .mapToObj(j -> series.values().get(j)).toList();
      if (same.size() > 1) {
        groups.add(String.join(", ", same));
      }
    }
    return groups.isEmpty() ? Optional.empty() : Optional.of("The lines for " + series.path()
        + ": " + String.join("; ", groups) + " coincide" + (g.anyCi() ? " (one band drawn)." : "."));
  }

  static String color(int j) {
    return Palette.TENANT_COLORS.get(j % Palette.TENANT_COLORS.size());
  }
}
