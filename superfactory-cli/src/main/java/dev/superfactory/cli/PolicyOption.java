package dev.superfactory.cli;

import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.QueuePolicies;
import picocli.CommandLine.Option;

/** {@code --policy NAME}: the scheduling policy of a single run (not of {@code compare}, which takes several). */
final class PolicyOption {
  @Option(names = "--policy", paramLabel = "NAME",
      description = "Scheduling policy: ${sys:superfactory.policies} (default: the scenario's, fifo-backfill).")
  String policy;

  static {
    System.setProperty("superfactory.policies", String.join(", ", QueuePolicies.names()));
  }

  Scenario apply(Scenario s) {
    return policy == null ? s : s.withScheduler(s.scheduler().withPolicy(policy));
  }
}
