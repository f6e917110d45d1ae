package dev.superfactory.input;

/**
 * A mistake in what the user gave us: a scenario file, a trace, a command-line value.
 *
 * <p>The message is one line a person can act on. It names where the problem is (file, line, field)
 * and what is wrong with it, e.g. {@code fairwater.yaml:12: fleet.sites[1].pue: must be > 0, got -1}.
 * The CLI prints the message alone and exits with status 2; a stack trace is shown only with
 * {@code --debug}.
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An error at a located place: {@code where: field: problem}. */
  public static InputException at(SourceLocation where, String field, String problem) {
    StringBuilder sb = new StringBuilder(where.toString()).append(": ");
    if (field != null && !field.isEmpty()) {
      sb.append(field).append(": ");
    }
    return new InputException(sb.append(problem).toString());
  }
}
