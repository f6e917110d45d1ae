package dev.superfactory.sweep;

import java.math.BigDecimal;
import java.math.MathContext;

/** How a sweep writes generated numbers: whole numbers whole, others to 6 significant digits, no trailing zeros. */
final class Labels {
  private Labels() {}

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
