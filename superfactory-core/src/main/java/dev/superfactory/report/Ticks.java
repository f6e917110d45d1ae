package dev.superfactory.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Round axis ticks: steps of 1, 2 or 5 times a power of ten, after Heckbert, "Nice numbers for
 * graph labels", Graphics Gems (1990). {@code first} and {@code step} are exact multiples, so tick
 * {@code i} is {@code (k + i) * step} without accumulated error. Cost: O(count).
 */
public record Ticks(long firstMultiple, double step, int count) {
  /** One tick: where it sits in data units and what it says. */
  public record Tick(double value, String label) {}

  public Ticks {
    if (!(step > 0) || count < 1) {
      throw new IllegalArgumentException("step=" + step + " and count=" + count + " must be positive");
    }
  }

  /** Ticks from at or below {@code lo} to at or above {@code hi}, about {@code target} intervals: an axis range. */
  public static Ticks covering(double lo, double hi, int target) {
    double[] range = usable(lo, hi);
    double step = niceStep((range[1] - range[0]) / Math.max(1, target));
    long first = (long) Math.floor(range[0] / step + 1e-9);
    long last = (long) Math.ceil(range[1] / step - 1e-9);
    return new Ticks(first, step, (int) (last - first) + 1);
  }

  /** Ticks inside [{@code lo}, {@code hi}], at most about {@code target} intervals: labels on a fixed range. */
  static Ticks within(double lo, double hi, int target) {
    double[] range = usable(lo, hi);
    double step = niceStep((range[1] - range[0]) / Math.max(1, target));
    long first = (long) Math.ceil(range[0] / step - 1e-9);
    long last = (long) Math.floor(range[1] / step + 1e-9);
    return new Ticks(first, step, (int) Math.max(1, last - first + 1));
  }

  /** The smallest of 1, 2, 5 × 10^k at or above {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0) || Double.isInfinite(raw)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double fraction = raw / magnitude;
    double nice = fraction <= 1 + 1e-9 ? 1 : fraction <= 2 + 1e-9 ? 2 : fraction <= 5 + 1e-9 ? 5 : 10;
    return nice * magnitude;
  }

  public double value(int i) {
    return (firstMultiple + i) * step;
  }

  public double first() {
    return value(0);
  }

  public double last() {
    return value(count - 1);
  }

  /** The ticks labelled as plain numbers with just enough decimals for the step: 0, 0.5, 1 or 0, 5, 10. */
  public List<Tick> plain() {
    return labelled(1, "");
  }

  /** Fractions labelled as percentages: 0.2 → {@code 20%}. */
  public List<Tick> percent() {
    return labelled(0.01, "%");
  }

  /** Counts with a k/M/B suffix chosen from the largest tick: 0, 500k, 1M, 1.5M. */
  public List<Tick> compact() {
    double largest = Math.max(Math.abs(first()), Math.abs(last()));
    double unit = largest >= 1e9 ? 1e9 : largest >= 1e6 ? 1e6 : largest >= 1e4 ? 1e3 : 1;
    String suffix = unit == 1e9 ? "B" : unit == 1e6 ? "M" : unit == 1e3 ? "k" : "";
    return labelled(unit, suffix);
  }

  private List<Tick> labelled(double unit, String suffix) {
    int decimals = decimalsFor(step / unit);
    List<Tick> ticks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double v = value(i);
      String label = firstMultiple + i == 0 ? "0" + ("%".equals(suffix) ? "%" : "")
          : String.format(Locale.ROOT, "%,." + decimals + "f", v / unit) + suffix;
      ticks.add(new Tick(v, label));
    }
    return ticks;
  }

  /** Decimals needed to show multiples of {@code step} exactly: 5 → 0, 0.5 → 1, 0.02 → 2. */
  static int decimalsFor(double step) {
    return Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
  }

  private static double[] usable(double lo, double hi) {
    if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
      return new double[] {0, 1};
    }
    if (hi < lo) {
      return new double[] {hi, lo};
    }
    if (hi == lo) {
      return lo == 0 ? new double[] {0, 1} : new double[] {Math.min(0, lo), Math.max(0, hi)};
    }
    return new double[] {lo, hi};
  }
}
