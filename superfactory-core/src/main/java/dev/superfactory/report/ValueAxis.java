package dev.superfactory.report;

import java.util.List;
import java.util.function.DoubleFunction;

/** A chart's value axis: its range, labelled ticks, title, and how one value reads in a tooltip. */
record ValueAxis(double lo, double hi, List<Ticks.Tick> ticks, String title, DoubleFunction<String> format) {
  /** Fractions shown as 0–100%. */
  static ValueAxis percent(String title) {
    return new ValueAxis(0, 1, Ticks.within(0, 1, 5).percent(), title, Cells::percent);
  }

  /** Counts from zero to a round value at or above {@code max}. */
  static ValueAxis counts(double max, String title) {
    Ticks ticks = Ticks.covering(0, max > 0 ? max : 1, 4);
    return new ValueAxis(0, ticks.last(), ticks.compact(), title, Cells::count);
  }
}
