package dev.superfactory.cli;

import dev.superfactory.input.InputException;
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
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Simulate a superfactory: fleet, tenants, workload and scheduler, over days to years.",
        "Prints a summary and writes result.json, timeseries.csv, jobs.csv and report.html to the output folder.",
        "No arguments: the fairwater preset for 30 days."})
final class SimulateCommand implements Runnable {
  @Mixin ScenarioOptions scenario;
  @Mixin RunOptions run;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: ./superfactory-out/<scenario>-<timestamp>/).")
  Path out;

  @Option(names = "--json", paramLabel = "FILE",
      description = "Also write result.json to FILE ('-' prints it to standard output instead of the summary).")
  String json;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Scenario s = scenario.resolve(run);
    Path dir = outputDir(s);
    Progress progress = TerminalProgress.forTerminal(stderr);
    SimulationResult result = new Simulation(s).progress(progress).run();
    TerminalProgress.finish(progress);
    RunResult runResult = RunResults.withRun(result, Main.version());
    ResultJson.write(runResult, dir.resolve("result.json"));
    CsvOutputs.writeTimeseries(runResult, dir.resolve("timeseries.csv"));
    CsvOutputs.writeJobs(result, dir.resolve("jobs.csv"));
    write(dir.resolve("report.html"), HtmlReport.render(runResult));
    if ("-".equals(this.json)) {
      stdout.print(ResultJson.pretty(runResult));
      return;
    }
    if (this.json != null) {
      Path file = Path.of(this.json);
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      } catch (IOException e) {
        throw new InputException(file + ": cannot create its folder: " + e.getMessage(), e);
      }
      ResultJson.write(runResult, file);
    }
    stdout.print(ConsoleSummary.render(runResult));
    stdout.printf("%nOutputs in %s: result.json, timeseries.csv, jobs.csv, report.html%n", dir);
    stdout.printf("Run: %.2f s wall, %,d events (%,d events/s)%n", result.wallSeconds(), result.events(),
        Math.round(result.events() / Math.max(1e-9, result.wallSeconds())));
  }

  private Path outputDir(Scenario s) {
    Path dir = out;
    if (dir == null) {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path base = Path.of("superfactory-out", s.name() + "-" + stamp);
      dir = base;
      for (int i = 2; Files.exists(dir); i++) {
        dir = Path.of(base + "-" + i);
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException(dir + ": cannot create the output folder: " + e.getMessage(), e);
    }
    if (!Files.isWritable(dir)) {
      throw new InputException(dir + ": the output folder is not writable");
    }
    return dir;
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException(file + ": cannot write: " + e.getMessage(), e);
    }
  }
}
