package dev.superfactory.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes a point best: {@code minimize gpu-wait-p95 where payback <= 4}. The objective is
 * compared on the mean across seeds; a cell is feasible when every seed has a figure for the objective and the
 * constrained outputs, and every constraint holds for the means ({@link SweepSummary}).
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
  private static final Pattern CONSTRAINT =
      Pattern.compile("\\s*([A-Za-z0-9:_.-]+)\\s*(<=|>=|<|>)\\s*([-+0-9.eE_]+)\\s*(\\S.*?)?\\s*");
  /** Seconds per time unit a bound may carry. */
  private static final Map<String, Double> SECONDS = Map.ofEntries(Map.entry("s", 1.0), Map.entry("min", 60.0),
      Map.entry("m", 60.0), Map.entry("mins", 60.0), Map.entry("minute", 60.0), Map.entry("minutes", 60.0),
      Map.entry("h", 3600.0), Map.entry("hour", 3600.0), Map.entry("hours", 3600.0), Map.entry("d", 86400.0),
      Map.entry("day", 86400.0), Map.entry("days", 86400.0), Map.entry("w", 604800.0), Map.entry("week", 604800.0),
      Map.entry("weeks", 604800.0),
      Map.entry("y", 31536000.0), Map.entry("year", 31536000.0), Map.entry("years", 31536000.0));
  /** Seconds per output time unit. */
  private static final Map<String, Double> UNIT_SECONDS = Map.of("hours", 3600.0, "days", 86400.0, "years",
      31536000.0);
  private static final Map<String, Double> MULTIPLES = Map.of("k", 1e3, "M", 1e6, "B", 1e9, "T", 1e12);

  /**
   * Parses {@code min|max OUTPUT [where|subject to OUTPUT OP NUMBER[UNIT] [and ...]]}. A bound is in its output's
   * unit unless it says otherwise: {@code util >= 75%}, {@code gpu-wait-p95 <= 2d}, {@code payback <= 4 years},
   * {@code margin >= 300M}. An {@link IllegalArgumentException} says what is wrong.
   */
  public static Objective parse(String text, List<Outputs.Output> outputs) {
    List<String> known = outputs.stream().map(Outputs.Output::key).toList();
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
      if (lower.equals("where") || lower.equals("subject to")) {
        throw new IllegalArgumentException("no constraint after '" + rest + "': write OUTPUT <= NUMBER");
      } else if (lower.startsWith("where ")) {
        rest = rest.substring(6);
      } else if (lower.startsWith("subject to ")) {
        rest = rest.substring(11);
      } else {
        throw new IllegalArgumentException("after '" + m.group().trim() + "' expected 'where' (or 'subject to'), got '"
            + rest + "'");
      }
      if (rest.contains(",")) {
        throw new IllegalArgumentException("join constraints with 'and', not a comma: '" + rest + "'");
      }
      if (rest.toLowerCase(Locale.ROOT).matches("(.*\\s)?and\\s*") || rest.toLowerCase(Locale.ROOT).startsWith("and ")) {
        throw new IllegalArgumentException("'and' needs a constraint on each side: '" + rest + "'");
      }
      for (String part : rest.split("(?i)\\s+and\\s+")) {
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
        String key = checked(c.group(1), known);
        Outputs.Output o = outputs.get(known.indexOf(key));
        constraints.add(new Constraint(key, c.group(2), inUnit(bound, c.group(4), o, part.trim())));
      }
    }
    return new Objective(text.trim(), output, max, constraints);
  }

  /** A bound written with a unit, in the output's own unit. */
  private static double inUnit(double v, String unit, Outputs.Output o, String part) {
    if (unit == null) {
      if (o.unit().equals("fraction") && Math.abs(v) > 1) {
        throw new IllegalArgumentException("'" + part + "': " + o.key() + " is a fraction (0 to 1): write "
            + Labels.number(v / 100) + " or " + Labels.number(v) + "%");
      }
      return v;
    }
    if (unit.equals("%") && o.unit().equals("fraction")) {
      return v / 100;
    }
    if (SECONDS.containsKey(unit) && UNIT_SECONDS.containsKey(o.unit())) {
      return v * SECONDS.get(unit) / UNIT_SECONDS.get(o.unit());
    }
    if (MULTIPLES.containsKey(unit) && (o.unit().equals("USD") || o.unit().equals("jobs"))) {
      return v * MULTIPLES.get(unit);
    }
    throw new IllegalArgumentException("'" + unit + "' in '" + part + "' is not a unit of " + o.key() + ", which is in "
        + o.unit() + (o.unit().equals("fraction") ? " (0.75 or 75%)" : UNIT_SECONDS.containsKey(o.unit())
        ? " (or s, min, h, d, w, y)" : o.unit().equals("USD") || o.unit().equals("jobs") ? " (or k, M, B, T)" : ""));
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
