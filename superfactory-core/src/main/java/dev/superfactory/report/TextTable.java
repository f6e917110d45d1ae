package dev.superfactory.report;

import java.util.ArrayList;
import java.util.List;

/** A console table: a header row, a rule, data rows; text columns left-aligned, numbers right. */
public final class TextTable {
  private final List<String> headers;
  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();

  /** Headers; a header ending in {@code >} is right-aligned (the marker is not printed). */
  public TextTable(String... headers) {
    this.headers = new ArrayList<>();
    this.rightAligned = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      String h = headers[i];
      rightAligned[i] = h.endsWith(">");
      this.headers.add(rightAligned[i] ? h.substring(0, h.length() - 1) : h);
    }
  }

  public TextTable row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size() + " columns");
    }
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      r[i] = String.valueOf(cells[i]);
    }
    rows.add(r);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  @Override
  public String toString() {
    int n = headers.size();
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = headers.get(i).length();
    }
    for (String[] r : rows) {
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, headers.toArray(new String[0]), width);
    for (int i = 0; i < n; i++) {
      sb.append("-".repeat(width[i])).append(i + 1 < n ? "  " : "\n");
    }
    for (String[] r : rows) {
      appendRow(sb, r, width);
    }
    return sb.toString();
  }

  private void appendRow(StringBuilder sb, String[] cells, int[] width) {
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i];
      String pad = " ".repeat(width[i] - c.length());
      if (rightAligned[i]) {
        sb.append(pad).append(c);
      } else {
        sb.append(c);
        if (i + 1 < cells.length) {
          sb.append(pad);
        }
      }
      sb.append(i + 1 < cells.length ? "  " : "\n");
    }
  }
}
