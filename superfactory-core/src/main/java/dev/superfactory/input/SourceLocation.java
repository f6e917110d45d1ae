package dev.superfactory.input;

/**
 * Where a value came from: a file (or a built-in resource) and a 1-based line, 0 when unknown.
 *
 * @param source a file path as the user typed it, or {@code preset fairwater} for a built-in
 * @param line 1-based line, 0 if not known
 */
public record SourceLocation(String source, int line) {
  @Override
  public String toString() {
    return line > 0 ? source + ":" + line : source;
  }
}
