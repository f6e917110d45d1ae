package dev.superfactory.report;

import java.util.Locale;

/** Number formatting shared by the console renderers. Locale-independent. */
public final class Format {
  private Format() {}

  /** 338688 → {@code 338,688}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A fixed number of decimals. */
  public static String fixed(double v, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  /** A fraction as a percentage with one decimal: 0.853 → {@code 85.3%}. */
  public static String percent(double fraction) {
    return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  /** Hours with a readable unit: 0.02 h → {@code 1.2 min}, 30 h → {@code 30.0 h}, 400 h → {@code 16.7 d}. */
  public static String hours(double h) {
    if (Double.isNaN(h)) {
      return "-";
    }
    if (h < 1.0 / 60) {
      return String.format(Locale.ROOT, "%.0f s", h * 3600);
    }
    if (h < 1) {
      return String.format(Locale.ROOT, "%.1f min", h * 60);
    }
    if (h < 72) {
      return String.format(Locale.ROOT, "%.1f h", h);
    }
    return String.format(Locale.ROOT, "%.1f d", h / 24);
  }

  /** Rounds to a few significant decimals for JSON: keeps results byte-stable and readable. */
  public static double round(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    return new java.math.BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).doubleValue();
  }
}
