package dev.superfactory.workload;

import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import dev.superfactory.input.Units;
import dev.superfactory.workload.NativeTrace.Column;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A lazy reader of a {@link NativeTrace} file: opening reads and checks the header, each
 * {@link #next} parses the next non-blank line, in file order. No row is skipped: a row is a job or
 * an {@link InputException} naming the file, line and column. Tenants are matched by name against
 * the context's; when it gives none, the trace's are created in order of first appearance.
 *
 * <p>Costs: O(line length) per row; memory of one line plus one entry per tenant.
 */
final class NativeTraceReader implements TraceReader {
  private static final List<Column> REQUIRED = List.of(Column.TENANT, Column.SUBMIT, Column.GPUS);

  private final Path file;
  private final DurationOracle oracle;
  private final int newTenantGpuLimit;
  private final List<Tenant> tenants;
  private final Map<String, Integer> tenantIndex = new HashMap<>();
  private final boolean addTenants;
  private final BufferedReader in;
  private final int[] position;
  private int line = 1;
  private long rows;

  NativeTraceReader(Path file, TraceContext context) {
    this.file = file;
    this.oracle = context.oracle();
    this.newTenantGpuLimit = context.newTenantGpuLimit();
    this.tenants = new ArrayList<>(context.tenants());
    for (int i = 0; i < tenants.size(); i++) {
      tenantIndex.put(tenants.get(i).name(), i);
    }
    this.addTenants = tenants.isEmpty();
    this.in = openFile(file);
    try {
      this.position = columnPositions(file, readHeader());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public boolean next(JobRow out) {
    String text;
    while ((text = readLine()) != null) {
      line++;
      if (!text.isBlank()) {
        parse(new Row(file, line, NativeTrace.split(text), position), out);
        rows++;
        return true;
      }
    }
    return false;
  }

  @Override
  public List<Tenant> tenants() {
    return List.copyOf(tenants);
  }

  @Override
  public TraceInfo info() {
    return new TraceInfo(NativeTraceFormat.NAME + ":" + file, rows, rows, Map.of(), List.of());
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing more to do: the file was only read
    }
  }

  private void parse(Row row, JobRow out) {
    int tenant = tenant(row);
    long submit = row.nonNegativeLong(Column.SUBMIT);
    int gpus = (int) row.positiveLong(Column.GPUS, Integer.MAX_VALUE);
    int group = row.has(Column.SCALE_UP_GROUP)
        ? (int) row.positiveLong(Column.SCALE_UP_GROUP, Integer.MAX_VALUE) : Math.min(gpus, 8);
    if (gpus % group != 0) {
      throw row.error(Column.SCALE_UP_GROUP, "gpus " + gpus + " is not a multiple of scale_up_group " + group);
    }
    boolean span = row.has(Column.SPAN_SITES) && row.bool(Column.SPAN_SITES);
    String model = row.has(Column.MODEL) ? row.text(Column.MODEL) : null;
    double tokens = 0;
    long duration;
    if (model != null) {
      if (!oracle.knows(model)) {
        throw row.error(Column.MODEL, "unknown model '" + model + "'");
      }
      tokens = row.count(Column.TOKENS);
      duration = row.has(Column.DURATION) ? row.positiveLong(Column.DURATION, Long.MAX_VALUE / 4)
          : Math.max(1, Math.round(oracle.seconds(model, tokens, gpus)));
    } else {
      if (!row.has(Column.DURATION)) {
        throw row.error(Column.DURATION, "is empty; give duration_seconds, or model and tokens");
      }
      duration = row.positiveLong(Column.DURATION, Long.MAX_VALUE / 4);
    }
    long expected = row.has(Column.EXPECTED) ? row.positiveLong(Column.EXPECTED, Long.MAX_VALUE / 4) : duration;
    String name = row.has(Column.ID) ? row.text(Column.ID) : null;
    out.set(submit, tenant, gpus, group, span, duration, expected, name);
    if (model != null) {
      out.model(model, tokens);
    }
  }

  private int tenant(Row row) {
    String name = row.text(Column.TENANT);
    Integer t = tenantIndex.get(name);
    if (t != null) {
      return t;
    }
    if (!addTenants) {
      String nearest = Suggest.nearest(name, tenantIndex.keySet());
      throw row.error(Column.TENANT, "unknown tenant '" + name + "'"
          + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
          + " (scenario tenants: " + String.join(", ", tenantIndex.keySet()) + ")");
    }
    tenants.add(new Tenant(name, name, newTenantGpuLimit));
    tenantIndex.put(name, tenants.size() - 1);
    return tenants.size() - 1;
  }

  private static BufferedReader openFile(Path file) {
    try {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private String readHeader() {
    String header = readLine();
    if (header == null) {
      throw new InputException(file + ":1: empty trace; expected a header row such as " + NativeTrace.headerLine());
    }
    return header;
  }

  private String readLine() {
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static int[] columnPositions(Path file, String header) {
    int[] position = new int[Column.values().length];
    Arrays.fill(position, -1);
    String[] names = NativeTrace.split(header);
    List<String> known = new ArrayList<>();
    for (Column c : Column.values()) {
      known.add(c.header());
    }
    for (int i = 0; i < names.length; i++) {
      String name = names[i].trim().toLowerCase(Locale.ROOT);
      Column column = null;
      for (Column c : Column.values()) {
        if (c.header().equals(name)) {
          column = c;
        }
      }
      if (column == null) {
        String nearest = Suggest.nearest(name, known);
        throw new InputException(file + ":1: unknown column '" + names[i] + "'"
            + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
            + " (columns: " + String.join(", ", known) + ")");
      }
      if (position[column.ordinal()] >= 0) {
        throw new InputException(file + ":1: column '" + name + "' appears twice");
      }
      position[column.ordinal()] = i;
    }
    for (Column c : REQUIRED) {
      if (position[c.ordinal()] < 0) {
        throw new InputException(file + ":1: missing required column '" + c.header() + "' (" + c.meaning() + ")");
      }
    }
    return position;
  }

  /** One data row with located, typed access to its cells. */
  private static final class Row {
    private final Path file;
    private final int line;
    private final String[] cells;
    private final int[] position;

    Row(Path file, int line, String[] cells, int[] position) {
      this.file = file;
      this.line = line;
      this.cells = cells;
      this.position = position;
    }

    boolean has(Column c) {
      int p = position[c.ordinal()];
      return p >= 0 && p < cells.length && !cells[p].isBlank();
    }

    String text(Column c) {
      int p = position[c.ordinal()];
      if (p < 0 || p >= cells.length || cells[p].isBlank()) {
        throw error(c, "is empty; expected " + c.meaning());
      }
      return cells[p].trim();
    }

    long nonNegativeLong(Column c) {
      long v = parse(c);
      if (v < 0) {
        throw error(c, "must be >= 0, got " + v);
      }
      return v;
    }

    long positiveLong(Column c, long max) {
      long v = parse(c);
      if (v <= 0) {
        throw error(c, "must be > 0, got " + v);
      }
      if (v > max) {
        throw error(c, "is too large: " + v);
      }
      return v;
    }

    double count(Column c) {
      String s = text(c);
      try {
        double v = Units.parseCount(s);
        if (!(v > 0)) {
          throw error(c, "must be > 0, got " + s);
        }
        return v;
      } catch (IllegalArgumentException e) {
        throw error(c, e.getMessage());
      }
    }

    boolean bool(Column c) {
      String s = text(c).toLowerCase(Locale.ROOT);
      if (s.equals("true") || s.equals("1") || s.equals("yes")) {
        return true;
      }
      if (s.equals("false") || s.equals("0") || s.equals("no")) {
        return false;
      }
      throw error(c, "must be true or false, got '" + text(c) + "'");
    }

    private long parse(Column c) {
      String s = text(c);
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        try {
          double d = Double.parseDouble(s);
          if (d == Math.rint(d) && Math.abs(d) < 9e15) {
            return (long) d;
          }
        } catch (NumberFormatException ignored) {
          // fall through to the error below
        }
        throw error(c, "must be a whole number (" + c.meaning() + "), got '" + s + "'");
      }
    }

    InputException error(Column c, String problem) {
      return new InputException(file + ":" + line + ": " + c.header() + ": " + problem);
    }
  }
}
