package dev.superfactory.sweep;

import dev.superfactory.report.Cells;
import dev.superfactory.report.Format;
import dev.superfactory.report.Ticks;
import java.util.List;

/**
 * How sweep.html writes an output's value by its {@link Outputs.Output#unit}: a fraction as a percentage, hours as
 * {@code 1.23 h}, dollars as {@code $1.2B} or {@code $340M}, years and days with two decimals, jobs with thousands
 * separators; anything else with up to three decimals. A missing value (NaN) is an en dash. O(digits) per value.
 */
final class SweepUnits {
  private SweepUnits() {}

  static String value(String unit, double v) {
    if (Double.isNaN(v)) {
      return Cells.DASH;
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "-∞";
    }
    return switch (unit) {
      case "fraction" -> Cells.percent(v);
      case "hours" -> Cells.fixed(v, 2) + " h";
      case "USD" -> usd(v);
      case "years" -> Cells.fixed(v, 2) + " y";
      case "days" -> Cells.fixed(v, 2) + " d";
      case "jobs" -> v == Math.rint(v) ? Cells.count(v) : Format.fixed(v, 1);
      default -> Cells.number(v, 3);
    };
  }

  /** A confidence interval's half-width, {@code ±1.2%}: a fraction gets two decimals of a percent. */
  static String plusMinus(String unit, double half) {
    if (!Double.isFinite(half)) {
      return "";
    }
    return "±" + ("fraction".equals(unit) ? Cells.percent(half, 2) : value(unit, half));
  }

  /** Dollars with a k/M/B/T suffix: 1.23e9 → {@code $1.2B}, 3.4e8 → {@code $340M}, −5e6 → {@code -$5.0M}. */
  static String usd(double v) {
    double a = Math.abs(v);
    double unit = a >= 1e12 ? 1e12 : a >= 1e9 ? 1e9 : a >= 1e6 ? 1e6 : a >= 1e3 ? 1e3 : 1;
    String suffix = unit == 1e12 ? "T" : unit == 1e9 ? "B" : unit == 1e6 ? "M" : unit == 1e3 ? "k" : "";
    double scaled = a / unit;
    return (v < 0 ? "-" : "") + "$" + Cells.fixed(scaled, scaled >= 100 || unit == 1 ? 0 : 1) + suffix;
  }

  /**
   * The values an output in this unit can take, {lowest, highest}: [0, 1] for a fraction; at least 0 for hours, days,
   * years, jobs, a ratio or an index; anything for dollars (a margin can be negative) and unknown units.
   */
  static double[] possible(String unit) {
    return switch (unit) {
      case "fraction" -> new double[] {0, 1};
      case "hours", "days", "years", "jobs", "ratio", "index" -> new double[] {0, Double.POSITIVE_INFINITY};
      default -> new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
    };
  }

  /** Labelled ticks of a value axis in the unit. */
  static List<Ticks.Tick> ticks(String unit, Ticks ticks) {
    return switch (unit) {
      case "fraction" -> ticks.percent();
      case "USD" -> ticks.compact().stream().map(t -> new Ticks.Tick(t.value(),
          t.label().startsWith("-") ? "-$" + t.label().substring(1) : "$" + t.label())).toList();
      case "jobs" -> ticks.compact();
      default -> ticks.plain();
    };
  }
}
