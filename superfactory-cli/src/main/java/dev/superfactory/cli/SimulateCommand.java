package dev.superfactory.cli;

import dev.superfactory.report.ConsoleSummary;
import dev.superfactory.report.CsvOutputs;
import dev.superfactory.report.HtmlReport;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.Progress;
import dev.superfactory.sim.Simulation;
import dev.superfactory.sim.SimulationResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Simulate a superfactory over days to years: fleet, tenants, workload, scheduler, failures, money.",
        "Prints a summary and writes result.json, timeseries.csv, jobs.csv and report.html to the output folder."
            + " Without arguments: the fairwater preset for 30 days."})
final class SimulateCommand implements Runnable {
  @Mixin ScenarioOptions scenario;
  @Mixin RunOptions run;
  @Mixin PolicyOption policy;
  @Mixin FailureOption failures;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: ./superfactory-out/<scenario>-<timestamp>/).")
  Path out;

  @Option(names = "--json",
      description = "Print result.json to standard output instead of the summary (the folder gets it too).")
  boolean json;

  @Spec CommandSpec spec;
  @ParentCommand Main main;

  @Override
  public void run() {
    Scenario s = failures.apply(policy.apply(scenario.resolve(run)));
    OutputPaths.intoOutFolder(out, s.name(), dir -> simulate(s, dir));
  }

  private void simulate(Scenario s, Path dir) {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Progress progress = TerminalProgress.forTerminal(stderr);
    SimulationResult result = new Simulation(s).progress(progress).run();
    TerminalProgress.finish(progress);
    RunResult runResult = RunResults.withRun(result, Main.version());
    ResultJson.write(runResult, dir.resolve("result.json"));
    CsvOutputs.writeTimeseries(runResult, dir.resolve("timeseries.csv"));
    CsvOutputs.writeJobs(result, dir.resolve("jobs.csv"));
    OutputPaths.write(dir.resolve("report.html"), HtmlReport.render(runResult));
    if (json) {
      stdout.print(ResultJson.pretty(runResult));
      return;
    }
    stdout.print(ConsoleSummary.render(runResult));
    stdout.printf("%nOutputs in %s: result.json, timeseries.csv, jobs.csv, report.html%n", dir);
    stdout.print(runLine(main.clock, result));
  }

  /**
   * "Run: 9.84 s wall from JVM start (event loop 2.83 s: 1,234 events, 436 events/s)": the whole
   * command as the user waited for it, and the simulation's event loop within it.
   */
  static String runLine(CommandClock clock, SimulationResult result) {
    return String.format(Locale.ROOT, "Run: %.2f s wall from %s (event loop %.2f s: %,d events, %,d events/s)%n",
        clock.elapsedSeconds(), clock.from(), result.wallSeconds(), result.events(),
        Math.round(result.events() / Math.max(1e-9, result.wallSeconds())));
  }

}
