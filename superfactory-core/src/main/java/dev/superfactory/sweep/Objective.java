package dev.superfactory.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes a point best: {@code minimize gpu-wait-p95 where payback <= 4}. The objective is
 * compared on the mean across seeds; a point is feasible when every constraint holds for the means.
 *
 * @param text as written
 * @param output the output key optimised
 * @param maximize false to minimise
 * @param constraints all must hold
 */
public record Objective(String text, String output, boolean maximize, List<Constraint> constraints) {
  public Objective {
    constraints = List.copyOf(constraints);
  }

  /** {@code output op bound}. */
  public record Constraint(String output, String op, double bound) {
    public boolean holds(double v) {
      if (Double.isNaN(v)) {
        return false;
      }
      switch (op) {
        case "<=":
          return v <= bound;
        case "<":
          return v < bound;
        case ">=":
          return v >= bound;
        case ">":
          return v > bound;
        default:
          throw new IllegalStateException(op);
      }
    }

    @Override
    public String toString() {
      return output + " " + op + " " + Labels.number(bound);
    }
  }

  private static final Pattern HEAD = Pattern.compile("(?i)\\s*(min|minimi[sz]e|max|maximi[sz]e)\\s+([A-Za-z0-9:_.-]+)\\s*");
  private static final Pattern CONSTRAINT = Pattern.compile("\\s*([A-Za-z0-9:_.-]+)\\s*(<=|>=|<|>)\\s*([-+0-9.eE_]+)\\s*");

  /**
   * Parses {@code min|max OUTPUT [where|subject to OUTPUT OP NUMBER [and ...]]}; the outputs are checked
   * against {@code known}. An {@link IllegalArgumentException} says what is wrong.
   */
  public static Objective parse(String text, List<String> known) {
    Matcher m = HEAD.matcher(text);
    if (!m.lookingAt()) {
      throw new IllegalArgumentException("expected 'minimize OUTPUT' or 'maximize OUTPUT' (then optionally "
          + "'where OUTPUT <= NUMBER and ...'), got '" + text + "'");
    }
    boolean max = m.group(1).toLowerCase(Locale.ROOT).startsWith("max");
    String output = checked(m.group(2), known);
    String rest = text.substring(m.end()).trim();
    List<Constraint> constraints = new ArrayList<>();
    if (!rest.isEmpty()) {
      String lower = rest.toLowerCase(Locale.ROOT);
      if (lower.startsWith("where ")) {
        rest = rest.substring(6);
      } else if (lower.startsWith("subject to ")) {
        rest = rest.substring(11);
      } else {
        throw new IllegalArgumentException("after '" + m.group().trim() + "' expected 'where' (or 'subject to'), got '"
            + rest + "'");
      }
      for (String part : rest.split("(?i)\\s+and\\s+|,")) {
        Matcher c = CONSTRAINT.matcher(part);
        if (!c.matches()) {
          throw new IllegalArgumentException("a constraint is OUTPUT <= NUMBER (or <, >=, >), got '" + part.trim() + "'");
        }
        double bound;
        try {
          bound = Double.parseDouble(c.group(3).replace("_", ""));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + c.group(3) + "' in '" + part.trim() + "' is not a number");
        }
        constraints.add(new Constraint(checked(c.group(1), known), c.group(2), bound));
      }
    }
    return new Objective(text.trim(), output, max, constraints);
  }

  private static String checked(String output, List<String> known) {
    if (!known.contains(output)) {
      String near = dev.superfactory.input.Suggest.nearest(output, known);
      throw new IllegalArgumentException("unknown output '" + output + "'"
          + (near != null ? "; did you mean '" + near + "'?" : "") + " (known: " + String.join(", ", known) + ")");
    }
    return output;
  }

  /** Whether every constraint holds for these means. */
  public boolean feasible(java.util.function.ToDoubleFunction<String> mean) {
    for (Constraint c : constraints) {
      if (!c.holds(mean.applyAsDouble(c.output()))) {
        return false;
      }
    }
    return true;
  }
}
