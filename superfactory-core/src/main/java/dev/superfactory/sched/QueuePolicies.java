package dev.superfactory.sched;

import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of queue policies by the names scenario files use. A new policy is one line here.
 * A policy that needs the jobs' true run times (an oracle, a yardstick for comparisons) says so
 * in its name and can only be created where they are known: in the twin, never live.
 */
public final class QueuePolicies {
  /** The jobs' true run times, by the caller's job id: known only to the twin. */
  @FunctionalInterface
  public interface TrueDurations {
    long seconds(long job);
  }

  private record Entry(boolean oracle, Function<TrueDurations, QueuePolicy> factory) {}

  private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put("fifo", new Entry(false, o -> new FifoPolicy()));
    REGISTRY.put("fifo-backfill", new Entry(false, o -> new FifoBackfillPolicy()));
    REGISTRY.put("priority", new Entry(false, o -> new PriorityPolicy()));
    REGISTRY.put("fair-share", new Entry(false, o -> new FairSharePolicy()));
    REGISTRY.put("las", new Entry(false, o -> new LasPolicy()));
    REGISTRY.put("sjf", new Entry(false, o -> new SjfPolicy()));
    REGISTRY.put("sjf-oracle", new Entry(true, SjfOraclePolicy::new));
  }

  private QueuePolicies() {}

  /** Every registered name, in registry order. */
  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /** Whether the named policy needs the true run times (it cannot run live). */
  public static boolean needsOracle(String name) {
    return entry(name).oracle();
  }

  /**
   * A new instance of the named policy. {@code oracle} gives true run times (the twin passes
   * them; a live service passes null, and an oracle policy is then refused).
   *
   * @throws InputException naming the known policies if the name is unknown, or saying why an
   *     oracle policy cannot run without true run times
   */
  public static QueuePolicy create(String name, TrueDurations oracle) {
    Entry e = entry(name);
    if (e.oracle() && oracle == null) {
      throw new InputException("policy '" + name + "' orders jobs by their true run times, which only the twin"
          + " knows: it cannot run live (policies that can: " + String.join(", ", liveNames()) + ")");
    }
    return e.factory().apply(oracle);
  }

  /** The policies that need no oracle. */
  public static List<String> liveNames() {
    return REGISTRY.entrySet().stream().filter(x -> !x.getValue().oracle()).map(Map.Entry::getKey).toList();
  }

  private static Entry entry(String name) {
    Entry e = REGISTRY.get(name);
    if (e == null) {
      String nearest = Suggest.nearest(name, REGISTRY.keySet());
      throw new InputException("unknown scheduling policy '" + name + "'"
          + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
          + " (known: " + String.join(", ", REGISTRY.keySet()) + ")");
    }
    return e;
  }
}
