package dev.superfactory.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Cumulative distributions of waiting time, one curve per tenant plus all jobs: the fraction of
 * jobs that started within x hours. The x axis is logarithmic over the positive CDF points with
 * zero ("started at once") pinned to the left edge, a short gap, then the first positive point.
 * When every curve stays high, the y axis starts at a round value below the lowest point so the
 * tails are readable; the caller says so in the text. Cost: O(points × curves).
 */
final class SvgCdfChart {
  /** Round waiting times for the x labels, in hours. */
  private static final double[] TICK_HOURS = {1 / 60.0, 15 / 60.0, 1, 4, 24, 168, 720, 2160};
  private static final String[] TICK_LABELS = {"1 min", "15 min", "1 h", "4 h", "1 d", "1 w", "30 d", "90 d"};
  /** The share of the plot width between zero and the first positive point. */
  private static final double ZERO_GAP = 0.06;

  private SvgCdfChart() {}

  /** The log axis with zero at the left edge; {@code null} when fewer than two positive points exist. */
  record WaitScale(double minPositive, double max, double left, double right) {
    static WaitScale of(double[] hours, double left, double right) {
      double min = Double.POSITIVE_INFINITY;
      double max = 0;
      for (double h : hours) {
        if (h > 0) {
          min = Math.min(min, h);
          max = Math.max(max, h);
        }
      }
      return max > min ? new WaitScale(min, max, left, right) : null;
    }

    double map(double hours) {
      if (!(hours > 0)) {
        return left;
      }
      double gap = ZERO_GAP * (right - left);
      double f = (Math.log10(hours) - Math.log10(minPositive)) / (Math.log10(max) - Math.log10(minPositive));
      return left + gap + f * (right - left - gap);
    }

    /** Zero, then the round times between the first and last positive point. */
    List<Ticks.Tick> ticks() {
      List<Ticks.Tick> ticks = new ArrayList<>();
      ticks.add(new Ticks.Tick(0, "0"));
      for (int i = 0; i < TICK_HOURS.length; i++) {
        if (TICK_HOURS[i] >= minPositive * 0.999 && TICK_HOURS[i] <= max * 1.001) {
          ticks.add(new Ticks.Tick(TICK_HOURS[i], TICK_LABELS[i]));
        }
      }
      return ticks;
    }
  }

  /** The lowest y worth showing: 0, or a round value below every point when all are at or above 50%. */
  static double floor(List<Series> curves) {
    double min = 1;
    for (Series c : curves) {
      for (double v : c.values()) {
        min = Double.isNaN(v) ? min : Math.min(min, v);
      }
    }
    if (min < 0.5) {
      return 0;
    }
    return Math.min(Ticks.covering(min, 1, 5).first(), 0.99);
  }

  /** True when the hours make a log axis: at least two different positive points. */
  static boolean drawable(double[] hours) {
    return WaitScale.of(hours, 0, 1) != null;
  }

  /** Draws the chart; the hours must be {@link #drawable}. */
  static void render(HtmlWriter out, String label, double[] hours, List<Series> curves) {
    Frame frame = new Frame(Frame.TIME_CHART_WIDTH, 320, 68, 28, 12, 42);
    WaitScale xs = WaitScale.of(hours, frame.plotLeft(), frame.plotRight());
    if (xs == null) {
      throw new IllegalArgumentException("wait-time points " + java.util.Arrays.toString(hours) + " make no log axis");
    }
    double lo = floor(curves);
    Scale y = frame.y(lo, 1);
    frame.open(out, label);
    frame.yAxis(out, Ticks.within(lo, 1, 5).percent(), y, "jobs started within the wait (%)");
    frame.xAxis(out, xs.ticks(), xs::map, "waiting time (log scale; 0 at the left edge)");
    axisBreak(out, frame, xs);
    for (Series c : curves) {
      curve(out, hours, c, xs, y);
    }
    frame.close(out);
  }

  private static void curve(HtmlWriter out, double[] hours, Series c, WaitScale xs, Scale y) {
    SvgPath path = new SvgPath(hours.length);
    for (int i = 0; i < Math.min(hours.length, c.values().length); i++) {
      double v = c.values()[i];
      if (Double.isNaN(v) || Double.isNaN(hours[i])) {
        path.gap();
      } else {
        path.lineTo(xs.map(hours[i]), y.applyAsDouble(v));
      }
    }
    if (path.isEmpty()) {
      return;
    }
    out.open("g", "class", "curve");
    out.empty("path", "class", "line " + c.stroke().name().toLowerCase(java.util.Locale.ROOT),
        "d", path.toString(), "stroke", c.color());
    for (int i = 0; i < Math.min(hours.length, c.values().length); i++) {
      if (!Double.isNaN(c.values()[i]) && !Double.isNaN(hours[i])) {
        out.open("circle", "class", "dot", "cx", SvgPath.num(xs.map(hours[i])), "cy", SvgPath.num(y.applyAsDouble(c.values()[i])),
            "r", "3", "fill", c.color());
        out.element("title", c.label() + ": " + Cells.percent(c.values()[i]) + waitPhrase(hours[i]));
        out.close("circle");
      }
    }
    out.close("g");
  }

  private static String waitPhrase(double hours) {
    return hours > 0 ? " of jobs started within " + Format.hours(hours) : " of jobs started without waiting";
  }

  /** Two short slashes on the x axis between zero and the first positive point. */
  private static void axisBreak(HtmlWriter out, Frame frame, WaitScale xs) {
    double mid = (xs.map(0) + xs.map(xs.minPositive())) / 2;
    double y = frame.plotBottom();
    for (double dx : new double[] {-3, 3}) {
      out.empty("line", "class", "axis-break", "x1", SvgPath.num(mid + dx - 3), "y1", SvgPath.num(y + 5),
          "x2", SvgPath.num(mid + dx + 3), "y2", SvgPath.num(y - 5));
    }
  }
}
