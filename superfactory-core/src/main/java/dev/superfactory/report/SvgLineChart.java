package dev.superfactory.report;

import java.util.List;

/**
 * Lines over the measured window on a fixed value axis (utilization 0–100%, queue lengths).
 * Each line is thinned with {@link Downsample#minMax} to at most {@link #MAX_POINTS} points, so a
 * year of hourly samples draws as fast as a month and keeps its peaks. Cost: O(samples × lines).
 */
final class SvgLineChart {
  static final int MAX_POINTS = 1500;

  private SvgLineChart() {}

  /**
   * One chart. With {@code filled}, the area under each line is tinted (for a single quantity such
   * as the queue); the hover bands summarise the samples by {@code summary}.
   */
  static void render(HtmlWriter out, String label, Frame frame, TimeAxis time, double[] hours, ValueAxis axis,
      List<Series> lines, boolean filled, HoverBands.Summary summary) {
    Scale x = frame.x(time.startHours(), time.endHours());
    Scale y = frame.y(axis.lo(), axis.hi());
    frame.open(out, label);
    frame.yAxis(out, axis.ticks(), y, axis.title());
    frame.xAxis(out, time.ticks(10), x, time.title());
    for (Series s : lines) {
      Downsample.Points p = Downsample.minMax(hours, s.values(), MAX_POINTS);
      if (filled) {
        out.empty("path", "class", "fill", "d", fill(p, x, y, axis.lo()), "fill", s.color());
      }
      out.empty("path", "class", "line " + s.stroke().name().toLowerCase(java.util.Locale.ROOT),
          "d", SvgPath.line(p, x, y).toString(), "stroke", s.color());
    }
    HoverBands.write(out, frame, x, time, hours, lines, summary, axis.format(), null);
    frame.close(out);
  }

  /** The area between the line and the axis baseline; missing values drop to the baseline. */
  private static String fill(Downsample.Points p, Scale x, Scale y, double baseline) {
    SvgPath path = new SvgPath(p.size() + 2);
    if (p.size() == 0) {
      return "";
    }
    double base = y.applyAsDouble(baseline);
    path.moveTo(x.applyAsDouble(p.x()[0]), base);
    for (int i = 0; i < p.size(); i++) {
      double v = Double.isNaN(p.y()[i]) ? baseline : p.y()[i];
      path.lineTo(x.applyAsDouble(p.x()[i]), y.applyAsDouble(v));
    }
    path.lineTo(x.applyAsDouble(p.x()[p.size() - 1]), base).closePath();
    return path.toString();
  }
}
