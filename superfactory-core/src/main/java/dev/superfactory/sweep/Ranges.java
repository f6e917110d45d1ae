package dev.superfactory.sweep;

import dev.superfactory.input.ConfigNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The values of {@code range} and {@code random} axes, as text with the unit of {@code from} ({@code 1Tbps},
 * {@code 0.85}).
 *
 * <pre>{@code
 * range: {from: 0.6, to: 1.0, step: 0.1}                        # 0.6, 0.7, 0.8, 0.9, 1
 * range: {from: 1Tbps, to: 1000Tbps, count: 4, scale: log}      # 1Tbps, 10Tbps, 100Tbps, 1000Tbps
 * random: {from: 2, to: 8, count: 5, seed: 7, integer: true}    # 5 uniform draws, whole numbers
 * }</pre>
 */
final class Ranges {
  /** A generated axis has at most this many values. */
  static final int MAX_VALUES = 100_000;

  private Ranges() {}

  /** A number with an optional unit suffix: {@code 1Tbps}, {@code 0.5}, {@code 30 d}. */
  private record Quantity(double value, String unit) {}

  static List<String> range(ConfigNode r) {
    r.requireMap().allowOnly("from", "to", "step", "count", "scale");
    Quantity from = quantity(r.get("from"));
    Quantity to = sameUnit(r.get("to"), from);
    String scale = r.has("scale") ? r.get("scale").asChoice(List.of("linear", "log")) : "linear";
    if (r.has("step") == r.has("count")) {
      throw r.error("give either step (linear) or count, not " + (r.has("step") ? "both" : "neither"));
    }
    List<Double> values = new ArrayList<>();
    if (r.has("step")) {
      if (scale.equals("log")) {
        throw r.error("step", "a log range takes count, not step");
      }
      double step = sameUnit(r.get("step"), from).value();
      if (!(step > 0)) {
        throw r.error("step", "must be > 0");
      }
      double span = to.value() - from.value();
      if (span < 0) {
        throw r.error("to", "must be at least from (" + Labels.number(from.value()) + ")");
      }
      long n = (long) Math.floor(span / step + 1e-9) + 1;
      if (n > MAX_VALUES) {
        throw r.error("step", "makes " + n + " values; at most " + MAX_VALUES);
      }
      for (long i = 0; i < n; i++) {
        values.add(round(from.value() + i * step));
      }
    } else {
      int n = r.get("count").asPositiveInt();
      if (n > MAX_VALUES) {
        throw r.error("count", "at most " + MAX_VALUES);
      }
      if (n == 1 && from.value() != to.value()) {
        throw r.error("count", "must be at least 2 to go from " + Labels.number(from.value()) + " to "
            + Labels.number(to.value()));
      }
      if (scale.equals("log") && !(from.value() > 0 && to.value() > 0)) {
        throw r.error("a log range needs from and to > 0");
      }
      for (int i = 0; i < n; i++) {
        double t = n == 1 ? 0 : (double) i / (n - 1);
        double v = scale.equals("log")
            ? Math.exp(Math.log(from.value()) + t * (Math.log(to.value()) - Math.log(from.value())))
            : from.value() + t * (to.value() - from.value());
        values.add(round(v));
      }
    }
    return labels(values, from.unit());
  }

  static List<String> random(ConfigNode r) {
    r.requireMap().allowOnly("from", "to", "count", "seed", "scale", "integer");
    Quantity from = quantity(r.get("from"));
    Quantity to = sameUnit(r.get("to"), from);
    if (!(to.value() > from.value())) {
      throw r.error("to", "must be more than from (" + Labels.number(from.value()) + ")");
    }
    int n = r.get("count").asPositiveInt();
    if (n > MAX_VALUES) {
      throw r.error("count", "at most " + MAX_VALUES);
    }
    long seed = r.get("seed").asLong();
    boolean log = r.has("scale") && r.get("scale").asChoice(List.of("linear", "log")).equals("log");
    if (log && !(from.value() > 0)) {
      throw r.error("a log sample needs from > 0");
    }
    boolean integer = r.bool("integer", false);
    if (integer && Math.floor(to.value()) - Math.ceil(from.value()) + 1 < n) {
      throw r.error("count", n + " different whole numbers do not fit between from and to");
    }
    SplittableRandom rnd = SweepPlan.random(seed);
    Set<Double> values = new LinkedHashSet<>(); // a sample without repeats: a point twice would only be a seed more
    long draws = 0;
    while (values.size() < n) {
      if (++draws > 50L * n + 1000) {
        if (integer) { // rare integers (near the top of a log range): the rest uniformly from those not drawn
          List<Double> unused = new ArrayList<>();
          for (double k = Math.ceil(from.value()); k <= Math.floor(to.value()); k++) {
            if (!values.contains(k)) {
              unused.add(k);
            }
          }
          while (values.size() < n) {
            values.add(unused.remove(rnd.nextInt(unused.size())));
          }
          break;
        }
        throw r.error("count", "only " + values.size() + " different values (to 6 significant digits) turned up in "
            + (draws - 1) + " draws between " + Labels.number(from.value()) + " and " + Labels.number(to.value())
            + "; ask for fewer or widen the range");
      }
      double u = rnd.nextDouble();
      double v = log ? Math.exp(Math.log(from.value()) + u * (Math.log(to.value()) - Math.log(from.value())))
          : from.value() + u * (to.value() - from.value());
      values.add(integer ? Math.min(Math.floor(to.value()), Math.max(Math.ceil(from.value()), Math.round(v)))
          : round(v));
    }
    return labels(new ArrayList<>(values), from.unit());
  }

  private static List<String> labels(List<Double> values, String unit) {
    List<String> out = new ArrayList<>();
    for (double v : values) {
      out.add(Labels.number(v) + unit);
    }
    return out;
  }

  /** To 6 significant digits, so {@code 0.1 + 2 × 0.1} is 0.3 and labels and values agree. */
  private static double round(double v) {
    return Double.parseDouble(Labels.number(v));
  }

  private static Quantity quantity(ConfigNode n) {
    String s = n.asString().trim();
    int end = Labels.numberPrefix(s);
    if (end == 0) {
      throw n.error("must be a number, optionally with a unit (0.85, 100Tbps), got '" + s + "'");
    }
    return new Quantity(Double.parseDouble(s.substring(0, end).replace("_", "")), s.substring(end).trim());
  }

  private static Quantity sameUnit(ConfigNode n, Quantity from) {
    Quantity q = quantity(n);
    if (!q.unit().equals(from.unit())) {
      throw n.error("must be in the unit of from ('" + from.unit() + "'), got '" + n.asString() + "'");
    }
    return q;
  }
}
