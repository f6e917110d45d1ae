package dev.superfactory.workload;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 * row is dropped silently. {@link NativeTraceFormat} registers it as {@code native}; {@link
 * NativeTraceReader} reads it one row at a time, O(line length) per row.
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

  private NativeTrace() {}

  /**
   * Reads a whole trace into a table sorted by submit time. Tenants are matched by name against
   * {@code tenants}; when that list is empty, the trace's tenants are added to it in order of first
   * appearance (with a GPU limit of {@code defaultLimit}). Rows naming a model are errors here (no
   * performance model); a simulation reads traces through {@link TraceFormats} with one.
   */
  public static Jobs read(Path file, List<Tenant> tenants, int defaultLimit) {
    try (TraceReader reader = new NativeTraceReader(file, TraceContext.of(tenants, defaultLimit))) {
      Jobs jobs = new JobsBuilder(1024).addAll(reader).build();
      if (tenants.isEmpty()) {
        tenants.addAll(reader.tenants());
      }
      return jobs;
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
}
