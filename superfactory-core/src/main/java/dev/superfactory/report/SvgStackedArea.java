package dev.superfactory.report;

import java.util.List;

/**
 * Layers stacked over the measured window: each tenant's share of the fleet on top of the ones
 * before it, so the top edge is the fleet's allocation. Layers are thinned with
 * {@link Downsample#average} (the same buckets for every layer, so the stack stays exact) to at
 * most {@link #MAX_POINTS} points each; missing values stack as zero. Cost: O(samples × layers).
 */
final class SvgStackedArea {
  static final int MAX_POINTS = 750;

  private SvgStackedArea() {}

  static void render(HtmlWriter out, String label, Frame frame, TimeAxis time, double[] hours, ValueAxis axis,
      List<Series> layers) {
    Scale x = frame.x(time.startHours(), time.endHours());
    Scale y = frame.y(axis.lo(), axis.hi());
    frame.open(out, label);
    frame.yAxis(out, axis.ticks(), y, axis.title());
    frame.xAxis(out, time.ticks(10), x, time.title());
    double[] below = null;
    for (Series layer : layers) {
      Downsample.Points p = Downsample.average(hours, layer.values(), MAX_POINTS);
      double[] top = stack(below, p.y());
      out.empty("path", "class", "layer", "d", band(p.x(), below, top, x, y), "fill", layer.color());
      below = top;
    }
    HoverBands.write(out, frame, x, time, hours, layers, HoverBands.Summary.MEAN, axis.format(), "Total");
    frame.close(out);
  }

  private static double[] stack(double[] below, double[] values) {
    double[] top = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      double base = below == null || i >= below.length ? 0 : below[i];
      top[i] = base + (Double.isNaN(values[i]) ? 0 : values[i]);
    }
    return top;
  }

  /** The region between the lower edge (the axis for the first layer) and the upper edge. */
  private static String band(double[] times, double[] below, double[] top, Scale x, Scale y) {
    SvgPath path = new SvgPath(times.length * 2 + 1);
    for (int i = 0; i < times.length; i++) {
      path.lineTo(x.applyAsDouble(times[i]), y.applyAsDouble(top[i]));
    }
    for (int i = times.length - 1; i >= 0; i--) {
      double base = below == null || i >= below.length ? 0 : below[i];
      path.lineTo(x.applyAsDouble(times[i]), y.applyAsDouble(base));
    }
    return path.isEmpty() ? "" : path.closePath().toString();
  }
}
