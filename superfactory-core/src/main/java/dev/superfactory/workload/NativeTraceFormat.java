package dev.superfactory.workload;

import java.nio.file.Path;

/** Superfactory's own CSV job trace ({@link NativeTrace}): {@code native:jobs.csv}, the default format. */
public final class NativeTraceFormat implements TraceFormat {
  public static final String NAME = "native";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    return "Superfactory's job CSV, as 'workload generate' writes it";
  }

  @Override
  public TraceReader open(Path file, TraceContext context) {
    return new NativeTraceReader(file, context);
  }
}
