package dev.superfactory.sched;

import dev.superfactory.input.ConfigNode;
import java.util.List;

/**
 * The {@code scheduler:} section: which queue policy runs, and which site a single-site gang goes to.
 *
 * @param policy a name registered in {@link QueuePolicies}
 * @param siteChoice the rule that picks among sites that can each hold a gang (default best fit)
 */
public record SchedulerConfig(String policy, SiteChoice siteChoice) {
  public static final SchedulerConfig DEFAULT = new SchedulerConfig("fifo-backfill");

  public SchedulerConfig {
    QueuePolicies.needsOracle(policy); // validates the name
    java.util.Objects.requireNonNull(siteChoice, "siteChoice");
  }

  /** The policy with best-fit site choice. */
  public SchedulerConfig(String policy) {
    this(policy, SiteChoice.BEST_FIT);
  }

  /** The same site choice under another policy. */
  public SchedulerConfig withPolicy(String other) {
    return new SchedulerConfig(other, siteChoice);
  }

  public static SchedulerConfig read(ConfigNode node) {
    if (node.isNull()) {
      return DEFAULT;
    }
    node.requireMap().allowOnly(List.of("policy", "siteChoice"));
    String policy = node.has("policy") ? node.get("policy").asChoice(QueuePolicies.names()) : DEFAULT.policy();
    SiteChoice choice = SiteChoice.BEST_FIT;
    if (node.has("siteChoice")) {
      List<String> keys = java.util.Arrays.stream(SiteChoice.values()).map(SiteChoice::key).toList();
      choice = SiteChoice.of(node.get("siteChoice").asChoice(keys));
    }
    return new SchedulerConfig(policy, choice);
  }

  /** A new instance of the policy; {@code oracle} gives true run times (null live). */
  public QueuePolicy newPolicy(QueuePolicies.TrueDurations oracle) {
    return QueuePolicies.create(policy, oracle);
  }
}
