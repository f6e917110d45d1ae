package dev.superfactory.workload;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A job-trace format, the extension point behind {@code --trace FORMAT:PATH}: a name, a line
 * describing it, and a way to open a file of it as a lazy {@link TraceReader}. Formats are
 * registered by name in {@link TraceFormats}; an implementation is stateless.
 */
public interface TraceFormat {
  /** The name written before the colon in {@code FORMAT:PATH}: {@code native}. */
  String name();

  /** A few words a person reads in help texts. */
  String describe();

  /**
   * Opens {@code file} for reading; rows are read as {@link TraceReader#next} asks for them.
   *
   * @throws dev.superfactory.input.InputException if the file is missing or its header is malformed
   */
  TraceReader open(Path file, TraceContext context);

  /**
   * The cluster the trace at {@code file} was recorded on, for a format that records one (read from
   * files beside it); empty for a format that does not, whose trace is replayed on a scenario's fleet.
   */
  default Optional<TraceCluster> cluster(Path file) {
    return Optional.empty();
  }
}
