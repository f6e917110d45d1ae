package dev.superfactory.cli;

import dev.superfactory.scenario.Scenario;
import picocli.CommandLine.Option;

/** {@code --no-failures}: turns the failure processes off, for the commands that run a simulation. */
final class FailureOption {
  @Option(names = "--no-failures", description = "Turn the failure processes off (for comparison).")
  boolean noFailures;

  Scenario apply(Scenario s) {
    return noFailures ? s.withReliability(s.reliability().withEnabled(false)) : s;
  }
}
