package dev.superfactory.report;

import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Invisible vertical bands over a time chart, each with a {@code <title>} that summarises every
 * series over the band's time span (the browser shows it on hover; the page script restyles it).
 * Summaries read the full series, not the thinned drawing. Cost: O(samples × series) plus
 * {@link #MAX_BANDS} short strings.
 */
final class HoverBands {
  static final int MAX_BANDS = 120;

  /** What a band says about the samples it covers: their mean, highest or lowest value. */
  enum Summary { MEAN, PEAK, LOW }

  private HoverBands() {}

  /** The bands; {@code totalLabel}, when not null, adds a line with the sum of the series. */
  static void write(HtmlWriter out, Frame frame, Scale x, TimeAxis time, double[] hours, List<Series> series,
      Summary summary, DoubleFunction<String> format, String totalLabel) {
    int bands = Math.min(hours.length, MAX_BANDS);
    if (bands == 0) {
      return;
    }
    double span = (time.endHours() - time.startHours()) / bands;
    out.open("g", "class", "bands");
    int next = 0;
    for (int b = 0; b < bands; b++) {
      double from = time.startHours() + b * span;
      double to = b == bands - 1 ? Double.POSITIVE_INFINITY : from + span;
      int first = next;
      while (next < hours.length && (hours[next] <= to || Double.isNaN(hours[next]))) {
        next++;
      }
      if (next > first) {
        band(out, frame, x, from, Math.min(from + span, time.endHours()),
            describe(time, hours, first, next, series, summary, format, totalLabel));
      }
    }
    out.close("g");
  }

  private static void band(HtmlWriter out, Frame frame, Scale x, double from, double to, String tip) {
    double left = x.applyAsDouble(from);
    out.open("rect", "class", "band", "x", SvgPath.num(left), "y", SvgPath.num(frame.plotTop()),
        "width", SvgPath.num(x.applyAsDouble(to) - left), "height", SvgPath.num(frame.plotBottom() - frame.plotTop()));
    out.element("title", tip);
    out.close("rect");
  }

  private static String describe(TimeAxis time, double[] hours, int from, int to, List<Series> series,
      Summary summary, DoubleFunction<String> format, String totalLabel) {
    StringBuilder tip = new StringBuilder(time.at(hours[from]));
    if (to - from > 1) {
      tip.append(" to ").append(time.value(hours[to - 1]))
          .append(summary == Summary.MEAN ? " (mean)" : summary == Summary.PEAK ? " (peak)" : " (lowest)");
    }
    double total = 0;
    for (Series s : series) {
      double v = summarise(s.values(), from, to, summary);
      total += Double.isNaN(v) ? 0 : v;
      tip.append('\n').append(s.label()).append(": ").append(format.apply(v));
    }
    if (totalLabel != null) {
      tip.append('\n').append(totalLabel).append(": ").append(format.apply(total));
    }
    return tip.toString();
  }

  /** The mean, maximum or minimum of the values in [from, to), ignoring NaN; NaN if there are none. */
  static double summarise(double[] values, int from, int to, Summary summary) {
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    int n = 0;
    for (int i = from; i < Math.min(to, values.length); i++) {
      if (!Double.isNaN(values[i])) {
        sum += values[i];
        max = Math.max(max, values[i]);
        min = Math.min(min, values[i]);
        n++;
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    return switch (summary) {
      case MEAN -> sum / n;
      case PEAK -> max;
      case LOW -> min;
    };
  }
}
