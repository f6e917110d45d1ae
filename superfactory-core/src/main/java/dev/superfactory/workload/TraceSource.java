package dev.superfactory.workload;

import dev.superfactory.input.InputException;
import java.nio.file.Path;

/**
 * A trace to replay: a registered {@link TraceFormat} and a path, written {@code FORMAT:PATH} on
 * the command line ({@code native:jobs.csv}). A bare path means the native format.
 */
public record TraceSource(TraceFormat format, Path path) {
  /** Parses {@code FORMAT:PATH}; an unknown format is an {@link InputException} naming the known ones. */
  public static TraceSource parse(String text) {
    int colon = text.indexOf(':');
    String name = colon > 0 ? text.substring(0, colon) : NativeTraceFormat.NAME;
    String path = colon > 0 ? text.substring(colon + 1) : text;
    TraceFormat format;
    try {
      format = TraceFormats.get(name);
    } catch (InputException e) {
      throw new InputException(e.getMessage() + "; write FORMAT:PATH, e.g. native:jobs.csv");
    }
    if (path.isEmpty()) {
      throw new InputException("trace '" + text + "' names no file; write FORMAT:PATH, e.g. native:jobs.csv");
    }
    return new TraceSource(format, Path.of(path));
  }

  /** Opens the trace with its format's reader. */
  public TraceReader open(TraceContext context) {
    return format.open(path, context);
  }

  @Override
  public String toString() {
    return format.name() + ":" + path;
  }
}
