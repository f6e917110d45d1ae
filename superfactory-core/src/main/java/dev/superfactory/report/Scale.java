package dev.superfactory.report;

import java.util.function.DoubleUnaryOperator;

/** A linear map from a data interval onto a drawing interval (either may be reversed). O(1). */
public record Scale(double domainFrom, double domainTo, double rangeFrom, double rangeTo) implements DoubleUnaryOperator {
  public Scale {
    if (domainFrom == domainTo) {
      throw new IllegalArgumentException("empty domain [" + domainFrom + ", " + domainTo + "]");
    }
  }

  @Override
  public double applyAsDouble(double v) {
    return rangeFrom + (v - domainFrom) / (domainTo - domainFrom) * (rangeTo - rangeFrom);
  }

  /** Like {@link #applyAsDouble} but held inside the drawing interval. */
  double clamped(double v) {
    double lo = Math.min(rangeFrom, rangeTo);
    double hi = Math.max(rangeFrom, rangeTo);
    return Math.max(lo, Math.min(hi, applyAsDouble(v)));
  }
}
