package dev.superfactory.workload;

import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Superfactory's own job trace: CSV with a header row, one job per line, columns in any order.
 *
 * <pre>
 * id,tenant,submit_seconds,gpus,scale_up_group,span_sites,duration_seconds,expected_seconds
 * 0,openai,0,8,8,false,3600,3600
 * </pre>
 *
 * Each {@link Column} owns its unit. Required: {@code tenant}, {@code submit_seconds},
 * {@code gpus}, and {@code duration_seconds} or ({@code model}, {@code tokens}). Defaults: {@code id} = row number,
 * {@code scale_up_group} = min(gpus, 8), {@code span_sites} = false, {@code expected_seconds} =
 * duration. Rows need not be sorted. A bad row is an error naming the file, line and column; no
 * row is dropped silently. Reading is streaming: O(rows) time, memory of the resulting table only.
 */
public final class NativeTrace {
  /** The columns, with their header names and units. */
  public enum Column {
    ID("id", "job name"),
    TENANT("tenant", "tenant name"),
    SUBMIT("submit_seconds", "seconds from the start of the run"),
    GPUS("gpus", "GPU count"),
    SCALE_UP_GROUP("scale_up_group", "GPUs that must share one NVLink domain"),
    SPAN_SITES("span_sites", "true or false"),
    DURATION("duration_seconds", "run time in seconds"),
    EXPECTED("expected_seconds", "run time the scheduler is told, seconds"),
    MODEL("model", "model the job trains (its run time then comes from the performance model)"),
    TOKENS("tokens", "training tokens, e.g. 15T or 1.5e13");

    final String header;
    final String meaning;

    Column(String header, String meaning) {
      this.header = header;
      this.meaning = meaning;
    }

    public String header() {
      return header;
    }

    public String meaning() {
      return meaning;
    }
  }

  private static final List<Column> REQUIRED = List.of(Column.TENANT, Column.SUBMIT, Column.GPUS);

  private NativeTrace() {}

  /**
   * Reads a trace. Tenants are matched by name against {@code tenants}; when that list is empty,
   * the trace's tenants are added to it in order of first appearance (with no GPU limit beyond
   * {@code defaultLimit}).
   */
  public static Jobs read(Path file, List<Tenant> tenants, int defaultLimit) {
    return read(file, tenants, defaultLimit, null);
  }

  /** As {@link #read(Path, List, int)}; {@code oracle} gives run times to rows with a model. */
  public static Jobs read(Path file, List<Tenant> tenants, int defaultLimit, DurationOracle oracle) {
    Map<String, Integer> tenantIndex = new HashMap<>();
    for (int i = 0; i < tenants.size(); i++) {
      tenantIndex.put(tenants.get(i).name(), i);
    }
    boolean addTenants = tenants.isEmpty();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) {
        throw new InputException(file + ":1: empty trace; expected a header row such as "
            + headerLine());
      }
      int[] position = columnPositions(file, header);
      JobsBuilder builder = new JobsBuilder(1024);
      String line;
      int lineNo = 1;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = split(line);
        Row row = new Row(file, lineNo, cells, position);
        String tenantName = row.text(Column.TENANT);
        Integer t = tenantIndex.get(tenantName);
        if (t == null) {
          if (!addTenants) {
            String nearest = Suggest.nearest(tenantName, tenantIndex.keySet());
            throw row.error(Column.TENANT, "unknown tenant '" + tenantName + "'"
                + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
                + " (scenario tenants: " + String.join(", ", tenantIndex.keySet()) + ")");
          }
          t = tenants.size();
          tenants.add(new Tenant(tenantName, tenantName, defaultLimit));
          tenantIndex.put(tenantName, t);
        }
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
          if (oracle == null || !oracle.knows(model)) {
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
        builder.add(submit, t, gpus, group, span, duration, expected, name);
        if (model != null) {
          builder.setModel(model, tokens);
        }
      }
      return builder.build();
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Writes jobs (their inputs, not their outcome) in this format. */
  public static void write(Jobs jobs, List<Tenant> tenants, Path file) {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(headerLine());
      out.write('\n');
      StringBuilder sb = new StringBuilder(128);
      for (int j = 0; j < jobs.size(); j++) {
        sb.setLength(0);
        sb.append(quote(jobs.name(j))).append(',')
            .append(tenants.get(jobs.tenant(j)).name()).append(',')
            .append(jobs.submit(j)).append(',')
            .append(jobs.gpus(j)).append(',')
            .append(jobs.scaleUpGroup(j)).append(',')
            .append(jobs.spanSites(j)).append(',')
            .append(jobs.durationSeconds(j)).append(',')
            .append(jobs.expectedSeconds(j)).append(',');
        if (jobs.model(j) != null) {
          sb.append(jobs.model(j)).append(',').append(jobs.tokens(j));
        } else {
          sb.append(',');
        }
        sb.append('\n');
        out.append(sb);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String headerLine() {
    StringBuilder sb = new StringBuilder();
    for (Column c : Column.values()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(c.header);
    }
    return sb.toString();
  }

  private static int[] columnPositions(Path file, String header) {
    int[] position = new int[Column.values().length];
    Arrays.fill(position, -1);
    String[] names = split(header);
    List<String> known = new ArrayList<>();
    for (Column c : Column.values()) {
      known.add(c.header);
    }
    for (int i = 0; i < names.length; i++) {
      String name = names[i].trim().toLowerCase(Locale.ROOT);
      Column column = null;
      for (Column c : Column.values()) {
        if (c.header.equals(name)) {
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
        throw new InputException(file + ":1: missing required column '" + c.header + "' (" + c.meaning + ")");
      }
    }
    return position;
  }

  /** Splits one CSV line; fields may be double-quoted with "" for a quote. */
  static String[] split(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    cells.add(cell.toString());
    return cells.toArray(new String[0]);
  }

  static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
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
        throw error(c, "is empty; expected " + c.meaning);
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
        double v = dev.superfactory.input.Units.parseCount(s);
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
        throw error(c, "must be a whole number (" + c.meaning + "), got '" + s + "'");
      }
    }

    InputException error(Column c, String problem) {
      return new InputException(file + ":" + line + ": " + c.header + ": " + problem);
    }
  }
}
