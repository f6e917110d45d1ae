package dev.superfactory.input;

import java.util.ArrayList;
import java.util.List;

/**
 * A field of a YAML document named by its path, as errors print it: {@code fleet.sites[1].blocks[0].count},
 * {@code tenants[*].prices.onDemandUsdPerGpuHour} ({@code [*]}: every item of the list).
 *
 * @param text the path as written
 * @param steps keys, indices and wildcards from the root
 */
public record FieldPath(String text, List<Step> steps) {
  /** One step: a map key, a list index, or every item of a list. */
  public record Step(String key, int index) {
    /** {@code [*]}. */
    public static final int ALL = -1;

    public boolean isKey() {
      return key != null;
    }

    public boolean isAll() {
      return key == null && index == ALL;
    }

    @Override
    public String toString() {
      return key != null ? key : index == ALL ? "[*]" : "[" + index + "]";
    }
  }

  public FieldPath {
    steps = List.copyOf(steps);
  }

  /**
   * Parses {@code a.b[2].c} or {@code a[*].b}; an {@link IllegalArgumentException} says what is wrong with a
   * malformed one (an empty key, an unclosed bracket, an index that is not a number).
   */
  public static FieldPath parse(String text) {
    List<Step> steps = new ArrayList<>();
    int i = 0;
    int n = text.length();
    if (n == 0) {
      throw new IllegalArgumentException("the path is empty");
    }
    while (i < n) {
      char c = text.charAt(i);
      if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("'[' at character " + (i + 1) + " is not closed");
        }
        String inside = text.substring(i + 1, close).trim();
        if (inside.equals("*")) {
          steps.add(new Step(null, Step.ALL));
        } else {
          try {
            int index = Integer.parseInt(inside);
            if (index < 0) {
              throw new NumberFormatException();
            }
            steps.add(new Step(null, index));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + inside + "] is not a list index (0, 1, ... or *)");
          }
        }
        i = close + 1;
        if (i < n && text.charAt(i) == '.') {
          i++;
          if (i == n) {
            throw new IllegalArgumentException("the path ends with '.'");
          }
        }
      } else {
        int end = i;
        while (end < n && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        String key = text.substring(i, end).trim();
        if (key.isEmpty()) {
          throw new IllegalArgumentException("empty key at character " + (i + 1));
        }
        steps.add(new Step(key, 0));
        i = end;
        if (i < n && text.charAt(i) == '.') {
          i++;
          if (i == n) {
            throw new IllegalArgumentException("the path ends with '.'");
          }
        }
      }
    }
    return new FieldPath(text, steps);
  }

  /** The path of a concrete field, written as {@link ConfigNode#path()} writes it. */
  public static String join(List<Step> steps) {
    StringBuilder sb = new StringBuilder();
    for (Step s : steps) {
      if (s.isKey() && sb.length() > 0) {
        sb.append('.');
      }
      sb.append(s);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
