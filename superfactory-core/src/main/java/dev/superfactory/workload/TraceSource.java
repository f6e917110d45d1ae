package dev.superfactory.workload;

import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import java.nio.file.Path;
import java.util.List;

/**
 * A trace to replay: a format name and a path, written {@code FORMAT:PATH} on the command line
 * ({@code native:jobs.csv}). A bare path means the native format.
 */
public record TraceSource(String format, Path path) {
  /** Trace formats this build reads. */
  public static final List<String> FORMATS = List.of("native", "openb");

  public static TraceSource parse(String text) {
    int colon = text.indexOf(':');
    String format = colon > 0 ? text.substring(0, colon) : "native";
    String path = colon > 0 ? text.substring(colon + 1) : text;
    if (!FORMATS.contains(format)) {
      String nearest = Suggest.nearest(format, FORMATS);
      throw new InputException("unknown trace format '" + format + "'"
          + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
          + " (known: " + String.join(", ", FORMATS) + "); write FORMAT:PATH, e.g. native:jobs.csv");
    }
    if (path.isEmpty()) {
      throw new InputException("trace '" + text + "' names no file; write FORMAT:PATH, e.g. native:jobs.csv");
    }
    return new TraceSource(format, Path.of(path));
  }

  @Override
  public String toString() {
    return format + ":" + path;
  }
}
