package dev.superfactory.report;

/** One named series of a chart, sampled at the chart's times; NaN marks a missing value. */
record Series(String label, String color, double[] values, Stroke stroke) {
  /** How a line is drawn: the fleet total bold, a reference dashed. */
  enum Stroke { NORMAL, BOLD, DASHED }

  Series(String label, String color, double[] values) {
    this(label, color, values, Stroke.NORMAL);
  }
}
