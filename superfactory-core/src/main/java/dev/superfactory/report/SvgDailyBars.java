package dev.superfactory.report;

import java.util.List;

/**
 * Counts per day stacked by category (failure events by cause) over the measured window: one
 * column per day, one layer per category in the order given, so a column's top is the day's
 * total. Columns sit on the window's time axis in the same frame as the other time charts, so a
 * day lines up with the utilization chart above it. Each layer is one path of rectangles (about
 * 25 bytes a day), and a transparent slot over each day carries its tooltip: the day's total and
 * its non-zero layers. Edges are rounded to a tenth of a unit once and shared by neighbouring
 * layers, so the layers of a column add up exactly to its total. Cost: O(days × layers); a year of
 * eleven causes is about 100 KB of SVG.
 */
final class SvgDailyBars {
  /** The share of a day's width left empty between columns. */
  private static final double GAP = 0.16;

  private SvgDailyBars() {}

  /**
   * One chart: {@code days[i]} is the day (0 = the window's first) of every layer's {@code values[i]};
   * {@code unit} names what is counted in the tooltips ({@code "failure events"}).
   */
  static void render(HtmlWriter out, String label, Frame frame, TimeAxis time, double[] days, List<Series> layers,
      String axisTitle, String unit) {
    double[][] tops = stack(layers, days.length);
    double max = 0;
    for (int d = 0; d < days.length && tops.length > 0; d++) {
      max = Math.max(max, tops[tops.length - 1][d]);
    }
    ValueAxis axis = ValueAxis.counts(max, axisTitle);
    Scale x = frame.x(time.startHours(), time.endHours());
    Scale y = frame.y(axis.lo(), axis.hi());
    frame.open(out, label);
    frame.yAxis(out, axis.ticks(), y, axis.title());
    frame.xAxis(out, time.ticks(10), x, time.title());
    for (int l = 0; l < layers.size(); l++) {
      String d = layer(x, y, time, days, tops, l);
      if (!d.isEmpty()) {
        out.empty("path", "class", "bar", "d", d, "fill", layers.get(l).color());
      }
    }
    out.open("g", "class", "days");
    for (int d = 0; d < days.length; d++) {
      if (inWindow(days[d], time)) {
        slot(out, frame, x, days[d], tip(days[d], d, layers, tops, unit));
      }
    }
    out.close("g");
    frame.close(out);
  }

  /** Cumulative tops: {@code tops[l][d]} is the sum of layers 0..l on day {@code d}; missing counts stack as zero. */
  static double[][] stack(List<Series> layers, int days) {
    double[][] tops = new double[layers.size()][days];
    for (int l = 0; l < layers.size(); l++) {
      double[] values = layers.get(l).values();
      for (int d = 0; d < days; d++) {
        double below = l == 0 ? 0 : tops[l - 1][d];
        double v = d < values.length && !Double.isNaN(values[d]) ? values[d] : 0;
        tops[l][d] = below + v;
      }
    }
    return tops;
  }

  /** Layer {@code l} as one rectangle per day with a count: {@code M x,top h width v height h -width Z}. */
  private static String layer(Scale x, Scale y, TimeAxis time, double[] days, double[][] tops, int l) {
    StringBuilder d = new StringBuilder(days.length * 28);
    for (int i = 0; i < days.length; i++) {
      if (!inWindow(days[i], time)) {
        continue;
      }
      long top = tenths(y.applyAsDouble(tops[l][i]));
      long bottom = tenths(y.applyAsDouble(l == 0 ? 0 : tops[l - 1][i]));
      if (top >= bottom) {
        continue;
      }
      double from = days[i] * 24;
      long left = tenths(x.clamped(from + 12 * GAP));
      long width = Math.max(10, tenths(x.clamped(from + 24 - 12 * GAP)) - left);
      d.append(d.length() == 0 ? "M" : " M");
      SvgPath.append(d, left / 10.0);
      d.append(',');
      SvgPath.append(d, top / 10.0);
      d.append('h');
      SvgPath.append(d, width / 10.0);
      d.append('v');
      SvgPath.append(d, (bottom - top) / 10.0);
      d.append('h');
      SvgPath.append(d, -width / 10.0);
      d.append('Z');
    }
    return d.toString();
  }

  private static void slot(HtmlWriter out, Frame frame, Scale x, double day, String tip) {
    double left = x.clamped(day * 24);
    out.open("rect", "class", "slot", "x", SvgPath.num(left), "y", SvgPath.num(frame.plotTop()),
        "width", SvgPath.num(x.clamped(day * 24 + 24) - left), "height", SvgPath.num(frame.plotBottom() - frame.plotTop()));
    out.element("title", tip);
    out.close("rect");
  }

  private static boolean inWindow(double day, TimeAxis time) {
    return !Double.isNaN(day) && day * 24 + 24 > time.startHours() && day * 24 < time.endHours();
  }

  private static long tenths(double v) {
    return Math.round(v * 10);
  }

  /** {@code days 12–13: 178 failure events}, then one line per non-zero layer. */
  private static String tip(double day, int d, List<Series> layers, double[][] tops, String unit) {
    double total = tops.length == 0 ? 0 : tops[tops.length - 1][d];
    StringBuilder sb = new StringBuilder("days ").append(Cells.number(day, 2)).append('–')
        .append(Cells.number(day + 1, 2)).append(": ").append(Cells.count(total)).append(' ').append(unit);
    for (int l = 0; l < layers.size(); l++) {
      double v = tops[l][d] - (l == 0 ? 0 : tops[l - 1][d]);
      if (v > 0) {
        sb.append('\n').append(layers.get(l).label()).append(": ").append(Cells.count(v));
      }
    }
    return sb.toString();
  }
}
