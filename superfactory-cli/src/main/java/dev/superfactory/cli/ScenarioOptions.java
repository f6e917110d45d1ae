package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import dev.superfactory.scenario.TraceScenarios;
import dev.superfactory.workload.TraceSource;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code [SCENARIO.yaml | --preset NAME]}: which scenario a command works on. Default: fairwater. */
final class ScenarioOptions {
  @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO.yaml",
      description = "A scenario file (see README). Default: the built-in fairwater preset.")
  Path file;

  @Option(names = "--preset", paramLabel = "NAME",
      description = "A built-in scenario: ${sys:superfactory.presets} (see 'superfactory presets').")
  String preset;

  static {
    System.setProperty("superfactory.presets", String.join(", ", Presets.names()));
  }

  /** Whether the user named a scenario (a file or a preset). */
  boolean explicit() {
    return file != null || preset != null;
  }

  /**
   * The scenario with the run options applied; a trace whose format records its cluster,
   * given without a scenario, is replayed on that cluster.
   */
  Scenario resolve(RunOptions run) {
    Scenario base;
    if (run.trace != null && !explicit()) {
      TraceSource trace = TraceSource.parse(run.trace);
      base = TraceScenarios.onItsOwnCluster(trace, run.speedup == null ? 1.0 : run.speedup).orElseGet(this::load);
    } else {
      base = load();
    }
    return run.apply(base);
  }

  Scenario load() {
    if (file != null && preset != null) {
      throw new InputException("give either a scenario file or --preset, not both");
    }
    if (file != null && file.toString().equals("-")) {
      throw new InputException("-: not a scenario file (standard input is not read; --json takes no argument)");
    }
    if (file != null) {
      return ScenarioReader.read(file);
    }
    return Presets.load(preset != null ? preset : Presets.defaultName());
  }
}
