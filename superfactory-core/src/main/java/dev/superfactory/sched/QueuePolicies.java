package dev.superfactory.sched;

import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of queue policies by the names scenario files use. A new policy is one line here. */
public final class QueuePolicies {
  private static final Map<String, Supplier<QueuePolicy>> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put("fifo", FifoPolicy::new);
    REGISTRY.put("fifo-backfill", FifoBackfillPolicy::new);
    REGISTRY.put("priority", PriorityPolicy::new);
    REGISTRY.put("fair-share", FairSharePolicy::new);
    REGISTRY.put("las", LasPolicy::new);
    REGISTRY.put("sjf", SjfPolicy::new);
  }

  private QueuePolicies() {}

  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /** A new instance of the named policy; {@link InputException} naming the known ones if unknown. */
  public static QueuePolicy create(String name) {
    Supplier<QueuePolicy> s = REGISTRY.get(name);
    if (s == null) {
      String nearest = Suggest.nearest(name, REGISTRY.keySet());
      throw new InputException("unknown scheduling policy '" + name + "'"
          + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
          + " (known: " + String.join(", ", REGISTRY.keySet()) + ")");
    }
    return s.get();
  }
}
