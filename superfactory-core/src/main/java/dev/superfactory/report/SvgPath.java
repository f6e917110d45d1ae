package dev.superfactory.report;

import java.util.function.DoubleUnaryOperator;

/**
 * SVG path data and coordinates with one decimal: a tenth of a user unit is below a screen pixel,
 * and fixed formatting keeps the output small and identical on every machine. Cost: O(1) per point,
 * no {@code String.format}.
 */
public final class SvgPath {
  private final StringBuilder d;
  private boolean drawing;

  public SvgPath(int expectedPoints) {
    d = new StringBuilder(expectedPoints * 12 + 8);
  }

  public SvgPath moveTo(double x, double y) {
    d.append(d.length() == 0 ? "M" : " M");
    point(x, y);
    drawing = true;
    return this;
  }

  public SvgPath lineTo(double x, double y) {
    if (!drawing) {
      return moveTo(x, y);
    }
    d.append(' ');
    point(x, y);
    return this;
  }

  /** Lifts the pen: the next {@link #lineTo} starts a new piece (a gap for a missing value). */
  public SvgPath gap() {
    drawing = false;
    return this;
  }

  public SvgPath closePath() {
    d.append(" Z");
    drawing = false;
    return this;
  }

  boolean isEmpty() {
    return d.length() == 0;
  }

  @Override
  public String toString() {
    return d.toString();
  }

  /** A polyline through the points, broken where x or y is NaN. */
  static SvgPath line(Downsample.Points p, DoubleUnaryOperator x, DoubleUnaryOperator y) {
    SvgPath path = new SvgPath(p.size());
    for (int i = 0; i < p.size(); i++) {
      if (Double.isNaN(p.y()[i]) || Double.isNaN(p.x()[i])) {
        path.gap();
      } else {
        path.lineTo(x.applyAsDouble(p.x()[i]), y.applyAsDouble(p.y()[i]));
      }
    }
    return path;
  }

  /** {@code v} with at most one decimal: 12.34 → {@code 12.3}, 5.0 → {@code 5}, -0.04 → {@code 0}. */
  public static String num(double v) {
    StringBuilder sb = new StringBuilder(8);
    append(sb, v);
    return sb.toString();
  }

  static void append(StringBuilder sb, double v) {
    long tenths = Math.round(v * 10);
    if (tenths < 0) {
      sb.append('-');
      tenths = -tenths;
    }
    sb.append(tenths / 10);
    if (tenths % 10 != 0) {
      sb.append('.').append(tenths % 10);
    }
  }

  private void point(double x, double y) {
    append(d, x);
    d.append(',');
    append(d, y);
  }
}
