package dev.superfactory.sched;

import dev.superfactory.input.ConfigNode;
import java.util.List;

/**
 * The {@code scheduler:} section: which queue policy runs.
 *
 * @param policy a name registered in {@link QueuePolicies}
 */
public record SchedulerConfig(String policy) {
  public static final SchedulerConfig DEFAULT = new SchedulerConfig("fifo-backfill");

  public SchedulerConfig {
    QueuePolicies.needsOracle(policy); // validates the name
  }

  public static SchedulerConfig read(ConfigNode node) {
    if (node.isNull()) {
      return DEFAULT;
    }
    node.requireMap().allowOnly(List.of("policy"));
    return node.has("policy") ? new SchedulerConfig(node.get("policy").asChoice(QueuePolicies.names())) : DEFAULT;
  }

  /** A new instance of the policy; {@code oracle} gives true run times (null live). */
  public QueuePolicy newPolicy(QueuePolicies.TrueDurations oracle) {
    return QueuePolicies.create(policy, oracle);
  }
}
