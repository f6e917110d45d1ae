package dev.superfactory.metrics;

import java.util.Arrays;

/**
 * Values sampled at a fixed simulated interval: one row per sample, a fixed set of named columns.
 * Stored as one growable {@code double[]} per column.
 */
public final class TimeSeries {
  private final String[] columns;
  private final double[][] values;
  private long[] times;
  private int rows;

  public TimeSeries(String... columns) {
    this.columns = columns.clone();
    this.values = new double[columns.length][64];
    this.times = new long[64];
  }

  public void add(long timeSeconds, double... row) {
    if (row.length != columns.length) {
      throw new IllegalArgumentException("row has " + row.length + " values for " + columns.length + " columns");
    }
    if (rows == times.length) {
      times = Arrays.copyOf(times, rows * 2);
      for (int c = 0; c < values.length; c++) {
        values[c] = Arrays.copyOf(values[c], rows * 2);
      }
    }
    times[rows] = timeSeconds;
    for (int c = 0; c < row.length; c++) {
      values[c][rows] = row[c];
    }
    rows++;
  }

  public int rows() {
    return rows;
  }

  public String[] columns() {
    return columns.clone();
  }

  public long time(int row) {
    return times[row];
  }

  public double value(int column, int row) {
    return values[column][row];
  }
}
