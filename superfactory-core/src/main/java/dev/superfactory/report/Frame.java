package dev.superfactory.report;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * A chart's canvas in SVG user units: the viewBox size, the margins around the plot area, and the
 * axes drawn on its edges (grid lines, tick labels, titles). Every time chart uses the same width
 * and side margins, so their time axes line up when stacked on the page.
 */
record Frame(int width, int height, int left, int right, int top, int bottom) {
  static final int TIME_CHART_WIDTH = 1000;
  static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

  /** A time chart of the given height with room for value labels left and a time axis below. */
  static Frame timeChart(int height) {
    return new Frame(TIME_CHART_WIDTH, height, 68, 28, 12, 42);
  }

  double plotLeft() {
    return left;
  }

  double plotRight() {
    return width - right;
  }

  double plotTop() {
    return top;
  }

  double plotBottom() {
    return height - bottom;
  }

  Scale x(double from, double to) {
    return new Scale(from, to, plotLeft(), plotRight());
  }

  Scale y(double lo, double hi) {
    return new Scale(lo, hi, plotBottom(), plotTop());
  }

  /** Opens the {@code <svg>}; {@code label} is what a screen reader says about the chart. */
  void open(HtmlWriter out, String label) {
    out.open("svg", "xmlns", SVG_NAMESPACE, "class", "chart", "viewBox", "0 0 " + width + " " + height,
        "role", "img", "aria-label", label);
  }

  void close(HtmlWriter out) {
    out.close("svg");
  }

  /** Vertical grid lines at the ticks, their labels under the plot, the axis line and its title. */
  void xAxis(HtmlWriter out, List<Ticks.Tick> ticks, DoubleUnaryOperator x, String title) {
    out.open("g", "class", "x-axis");
    for (Ticks.Tick t : ticks) {
      String px = SvgPath.num(x.applyAsDouble(t.value()));
      out.empty("line", "class", "grid", "x1", px, "x2", px, "y1", SvgPath.num(plotTop()), "y2", SvgPath.num(plotBottom()));
      out.element("text", t.label(), "x", px, "y", SvgPath.num(plotBottom() + 15), "text-anchor", "middle");
    }
    out.empty("line", "class", "axis", "x1", SvgPath.num(plotLeft()), "x2", SvgPath.num(plotRight()),
        "y1", SvgPath.num(plotBottom()), "y2", SvgPath.num(plotBottom()));
    out.element("text", title, "class", "axis-title", "x", SvgPath.num((plotLeft() + plotRight()) / 2),
        "y", SvgPath.num(height - 6), "text-anchor", "middle");
    out.close("g");
  }

  /** Horizontal grid lines at the ticks, their labels left of the plot, and the rotated title. */
  void yAxis(HtmlWriter out, List<Ticks.Tick> ticks, DoubleUnaryOperator y, String title) {
    out.open("g", "class", "y-axis");
    for (Ticks.Tick t : ticks) {
      String py = SvgPath.num(y.applyAsDouble(t.value()));
      out.empty("line", "class", "grid", "x1", SvgPath.num(plotLeft()), "x2", SvgPath.num(plotRight()), "y1", py, "y2", py);
      out.element("text", t.label(), "x", SvgPath.num(plotLeft() - 6), "y", py, "dy", "0.32em", "text-anchor", "end");
    }
    double middle = (plotTop() + plotBottom()) / 2;
    out.element("text", title, "class", "axis-title", "transform", "rotate(-90)",
        "x", SvgPath.num(-middle), "y", "14", "text-anchor", "middle");
    out.close("g");
  }
}
