package dev.superfactory.workload.openb;

import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * A streaming reader of one openb CSV file whose columns are the constants of {@code C}: it checks
 * the header (every column exactly once, in any order, nothing else), then walks the data lines
 * one at a time and gives located, typed access to the current line's cells. Every problem is an
 * {@link InputException} reading {@code file:line: column: problem}.
 *
 * <p>The openb files hold plain comma-separated values: no quoting, no embedded commas ({@code
 * gpu_spec} separates models with {@code |}). Blank lines are not rows and are passed over.
 *
 * <p>Costs: O(line length) per line; memory of one line.
 */
final class CsvTable<C extends Enum<C> & CsvColumn> implements Closeable {
  private final Path file;
  private final BufferedReader in;
  private final C[] columns;
  private final int[] position;
  private final int width;
  private String[] cells;
  private int line = 1;

  private CsvTable(Path file, BufferedReader in, Class<C> type, String header) {
    this.file = file;
    this.in = in;
    this.columns = type.getEnumConstants();
    this.position = new int[columns.length];
    String[] names = split(header.startsWith("\uFEFF") ? header.substring(1) : header);
    this.width = names.length;
    locateColumns(names);
  }

  /** Opens {@code file} and checks its header against {@code type}. */
  static <C extends Enum<C> & CsvColumn> CsvTable<C> open(Path file, Class<C> type) {
    BufferedReader in = null;
    try {
      in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
      String header = in.readLine();
      if (header == null || header.isBlank()) {
        throw new InputException(file + ":1: no header row; expected " + headerLine(type));
      }
      return new CsvTable<>(file, in, type, header);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(in);
      throw e;
    }
  }

  /** The header an openb file of this kind carries, columns in the published order. */
  static <C extends Enum<C> & CsvColumn> String headerLine(Class<C> type) {
    StringBuilder sb = new StringBuilder();
    for (C c : type.getEnumConstants()) {
      sb.append(sb.length() > 0 ? "," : "").append(c.header());
    }
    return sb.toString();
  }

  /** Moves to the next non-blank line; false at the end of the file. */
  boolean next() {
    try {
      String text;
      while ((text = in.readLine()) != null) {
        line++;
        if (!text.isBlank()) {
          cells = split(text);
          if (cells.length != width) {
            throw new InputException(String.format(Locale.ROOT,
                "%s:%d: has %d fields; the header has %d", file, line, cells.length, width));
          }
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new InputException(file + ":" + line + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** The 1-based line number of the current row. */
  int line() {
    return line;
  }

  Path file() {
    return file;
  }

  /** The cell's text, trimmed; may be empty. */
  String text(C c) {
    return cells[position[c.ordinal()]].trim();
  }

  /** The cell's text; an error if empty. */
  String required(C c) {
    String s = text(c);
    if (s.isEmpty()) {
      throw error(c, "is empty; expected " + c.meaning());
    }
    return s;
  }

  /** The cell as a whole number ≥ 0; {@code 12} and {@code 12.0} are both accepted. */
  long nonNegative(C c) {
    long v = wholeNumber(c, required(c));
    if (v < 0) {
      throw error(c, "must be >= 0 (" + c.meaning() + "), got " + v);
    }
    return v;
  }

  /** Like {@link #nonNegative} but an empty cell gives {@code ifEmpty}. */
  long nonNegativeOr(C c, long ifEmpty) {
    return text(c).isEmpty() ? ifEmpty : nonNegative(c);
  }

  /** An error located at the current line and column {@code c}. */
  InputException error(C c, String problem) {
    return new InputException(file + ":" + line + ": " + c.header() + ": " + problem);
  }

  @Override
  public void close() {
    closeQuietly(in);
  }

  private long wholeNumber(C c, String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      try {
        double d = Double.parseDouble(s);
        if (d == Math.rint(d) && Math.abs(d) < 9e15) {
          return (long) d;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw error(c, "must be a whole number (" + c.meaning() + "), got '" + s + "'");
    }
  }

  private void locateColumns(String[] names) {
    Arrays.fill(position, -1);
    List<String> known = new ArrayList<>();
    for (C c : columns) {
      known.add(c.header());
    }
    for (int i = 0; i < names.length; i++) {
      String name = names[i].trim();
      C column = byHeader(name);
      if (column == null) {
        String nearest = Suggest.nearest(name, known);
        throw new InputException(file + ":1: unknown column '" + name + "'"
            + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
            + " (expected " + String.join(",", known) + ")");
      }
      if (position[column.ordinal()] >= 0) {
        throw new InputException(file + ":1: column '" + name + "' appears twice");
      }
      position[column.ordinal()] = i;
    }
    EnumSet<C> missing = EnumSet.noneOf(columns[0].getDeclaringClass());
    for (C c : columns) {
      if (position[c.ordinal()] < 0) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      List<String> text = new ArrayList<>();
      for (C c : missing) {
        text.add("'" + c.header() + "' (" + c.meaning() + ")");
      }
      throw new InputException(file + ":1: missing column" + (missing.size() > 1 ? "s " : " ")
          + String.join(", ", text) + "; expected " + String.join(",", known));
    }
  }

  private C byHeader(String name) {
    for (C c : columns) {
      if (c.header().equalsIgnoreCase(name)) {
        return c;
      }
    }
    return null;
  }

  private static String[] split(String line) {
    return line.split(",", -1);
  }

  private static void closeQuietly(Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing more to do: the file was only read
    }
  }
}
