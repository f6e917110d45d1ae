package dev.superfactory.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Values as the HTML report shows them: the same text as {@link Format} for present values, an en
 * dash for missing ones (NaN), so a null in the JSON reads as "–" and never as "NaN" or "0".
 * Formats with {@link BigDecimal} on the shortest decimal form of the double (half-up) instead of
 * {@code String.format}: the tooltips call these thousands of times per page. Cost: O(digits).
 */
public final class Cells {
  public static final String DASH = "–";

  private Cells() {}

  /** 0.853 → {@code 85.3%}. */
  public static String percent(double fraction) {
    return Double.isNaN(fraction) ? DASH : fixed(fraction * 100, 1) + "%";
  }

  /** With {@code decimals} decimals: 0.995063 → {@code 99.51%} for two (for values that sit close to 100%). */
  public static String percent(double fraction, int decimals) {
    return Double.isNaN(fraction) ? DASH : fixed(fraction * 100, decimals) + "%";
  }

  /** A duration with a readable unit, as {@link Format#hours}: {@code 45 s}, {@code 1.2 min}, {@code 30.0 h}, {@code 16.7 d}. */
  static String hours(double h) {
    if (Double.isNaN(h)) {
      return DASH;
    }
    if (h < 1.0 / 60) {
      return fixed(h * 3600, 0) + " s";
    }
    if (h < 1) {
      return fixed(h * 60, 1) + " min";
    }
    return h < 72 ? fixed(h, 1) + " h" : fixed(h / 24, 1) + " d";
  }

  /** 338688 → {@code 338,688}. */
  public static String count(double n) {
    if (Double.isNaN(n)) {
      return DASH;
    }
    String digits = Long.toString(Math.abs(Math.round(n)));
    StringBuilder sb = new StringBuilder(digits.length() + 8);
    if (Math.round(n) < 0) {
      sb.append('-');
    }
    for (int i = 0; i < digits.length(); i++) {
      if (i > 0 && (digits.length() - i) % 3 == 0) {
        sb.append(',');
      }
      sb.append(digits.charAt(i));
    }
    return sb.toString();
  }

  /** 168428545.9 → {@code 168.4M}; below ten thousand the plain count. */
  public static String compact(double n) {
    if (Double.isNaN(n)) {
      return DASH;
    }
    double a = Math.abs(n);
    if (a < 1e4) {
      return count(n);
    }
    double unit = a >= 1e9 ? 1e9 : a >= 1e6 ? 1e6 : 1e3;
    String suffix = unit == 1e9 ? "B" : unit == 1e6 ? "M" : "k";
    return fixed(n / unit, 1) + suffix;
  }

  /** A plain number with up to {@code decimals} decimals, trailing zeros dropped: 30.0 → {@code 30}. */
  public static String number(double v, int decimals) {
    if (!Double.isFinite(v)) {
      return DASH;
    }
    BigDecimal d = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
    return d.signum() == 0 ? "0" : d.toPlainString();
  }

  /** Exactly {@code decimals} decimals: 85 → {@code 85.0} for one. */
  public static String fixed(double v, int decimals) {
    if (!Double.isFinite(v)) {
      return DASH;
    }
    BigDecimal d = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP);
    return d.signum() == 0 ? BigDecimal.ZERO.setScale(decimals).toPlainString() : d.toPlainString();
  }

  /** A duration given in days: {@code 30 d}. */
  public static String days(double days) {
    return Double.isNaN(days) ? DASH : number(days, 2) + " d";
  }

  static String text(String s) {
    return s == null || s.isEmpty() ? DASH : s;
  }
}
