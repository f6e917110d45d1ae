package dev.superfactory.sweep;

import java.math.BigDecimal;
import java.math.MathContext;

/** How a sweep writes generated numbers: whole numbers whole, others to 6 significant digits, no trailing zeros. */
final class Labels {
  private Labels() {}

  /**
   * The length of the longest prefix of {@code s} that reads as a finite number ({@code 3.16Tbps} → 4, {@code 1eb}
   * → 1: the "e" of a unit is not an exponent); 0 when none does or it overflows.
   */
  static int numberPrefix(String s) {
    int end = 0;
    while (end < s.length() && "+-0123456789.eE_".indexOf(s.charAt(end)) >= 0) {
      end++;
    }
    for (; end > 0; end--) {
      try {
        double v = Double.parseDouble(s.substring(0, end).replace("_", ""));
        return Double.isFinite(v) ? end : 0; // 1e400 is no number, not 1e40 with a unit
      } catch (NumberFormatException e) {
        // shorter, then
      }
    }
    return 0;
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
