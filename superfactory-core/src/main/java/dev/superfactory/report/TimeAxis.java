package dev.superfactory.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The time axis of the measured window, in hours from its start: labelled in hours for windows up
 * to three days, in days beyond, with round ticks in that unit.
 */
record TimeAxis(double startHours, double endHours) {
  static final double DAYS_ABOVE_HOURS = 72;

  TimeAxis {
    if (!(endHours > startHours)) {
      throw new IllegalArgumentException("time axis [" + startHours + ", " + endHours + "] h is empty");
    }
  }

  boolean inDays() {
    return endHours - startHours > DAYS_ABOVE_HOURS;
  }

  double unitHours() {
    return inDays() ? 24 : 1;
  }

  String title() {
    return (inDays() ? "days" : "hours") + " from the start of the measured window";
  }

  /** Round ticks in the axis unit, positioned in hours. */
  List<Ticks.Tick> ticks(int target) {
    double unit = unitHours();
    List<Ticks.Tick> inUnit = Ticks.within(startHours / unit, endHours / unit, target).plain();
    List<Ticks.Tick> ticks = new ArrayList<>(inUnit.size());
    for (Ticks.Tick t : inUnit) {
      ticks.add(new Ticks.Tick(t.value() * unit, t.label()));
    }
    return ticks;
  }

  /** A point in time for a tooltip: {@code day 12.3} or {@code hour 5.5}. */
  String at(double hours) {
    return (inDays() ? "day " : "hour ") + value(hours);
  }

  /** The time in the axis unit without the unit: {@code 12.3}. */
  String value(double hours) {
    return Cells.number(hours / unitHours(), 1);
  }
}
