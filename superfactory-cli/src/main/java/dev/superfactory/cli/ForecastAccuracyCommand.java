package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.forecast.RunTimeDraw;
import dev.superfactory.input.Units;
import dev.superfactory.report.ForecastAccuracy;
import dev.superfactory.report.ForecastAccuracyReport;
import dev.superfactory.report.Json;
import dev.superfactory.scenario.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "forecast-accuracy", mixinStandardHelpOptions = true,
    description = {"Measure the start-time forecasts in the twin against an squeue --start-like baseline.",
        "Runs the scenario; every --every of simulated time, forecasts each pending job's start (p50, p90,"
            + " exact) and plans it as squeue --start would; then compares with the actual starts, by job size."
            + " Prints the table and writes forecast-accuracy.json, forecast-accuracy.csv and forecast-predictions.csv"
            + " (every prediction and the actual start) to the output folder."})
final class ForecastAccuracyCommand implements Runnable {
  @Mixin ScenarioOptions scenario;
  @Mixin RunOptions run;
  @Mixin PolicyOption policy;
  @Mixin FailureOption failures;

  @Option(names = "--every", paramLabel = "DURATION", defaultValue = "6h",
      description = "Simulated time between samples (default: 6h).")
  String every;

  @Option(names = "--draws", paramLabel = "N", defaultValue = "8", converter = NumberConverters.PositiveInt.class,
      description = "Forecast draws per sample, for p50 and p90 (default: 8).")
  int draws;

  @Option(names = "--horizon", paramLabel = "DURATION", defaultValue = "7d",
      description = "How far ahead each forecast looks; the run goes on this long after the last sample"
          + " so late samples' jobs can start (default: 7d).")
  String horizon;

  @Option(names = "--pass-interval", paramLabel = "DURATION",
      description = "Forecast passes on this grid instead of at every event (faster, coarser; default: every event).")
  String passInterval;

  @Option(names = "--pass-resolution", paramLabel = "R", defaultValue = "0",
      description = "Forecast passes on a grid whose step grows with the lead time: max(--pass-interval, R x lead"
          + " time), as the live control plane's forecasts run (0.02 there); 0: no growth (default: 0).")
  double passResolution;

  @Option(names = "--run-times", paramLabel = "DRAW", defaultValue = "fitted",
      description = "How the draws draw run times: fitted (to the jobs submitted in the warm-up: the share that ran"
          + " their declared time, the spread of the rest), limits (the forecaster's default: half the jobs run to"
          + " their declared limit, the rest 0.3-1 of it), exact (jobs run their declared times; failures still"
          + " drawn), or SHARE,MIN (SHARE of the jobs at their limit, the rest MIN-1 of it). Default: fitted.")
  String runTimes;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: ./superfactory-out/<scenario>-<timestamp>/).")
  Path out;

  @Spec CommandSpec spec;
  @ParentCommand Main main;

  @Override
  public void run() {
    ForecastAccuracy.Settings settings = settings();
    Scenario s = failures.apply(policy.apply(scenario.resolve(run)));
    ForecastAccuracy.Settings seeded = settings.withSeed(s.seed());
    OutputPaths.intoOutFolder(out, s.name(), dir -> measure(s, seeded, dir));
  }

  private ForecastAccuracy.Settings settings() {
    long everySeconds = seconds("--every", every);
    long horizonSeconds = seconds("--horizon", horizon);
    long passSeconds = passInterval == null ? 0 : seconds("--pass-interval", passInterval);
    if (!(passResolution >= 0 && passResolution < 1)) {
      throw new InputException("--pass-resolution: " + passResolution + " is not within [0, 1)");
    }
    return new ForecastAccuracy.Settings(everySeconds, draws, horizonSeconds, passSeconds, runTimeDraw(), 0,
        Runtime.getRuntime().availableProcessors(), passResolution);
  }

  private RunTimeDraw runTimeDraw() {
    switch (runTimes) {
      case "fitted":
        return null; // ForecastAccuracy fits it to the scenario's jobs
      case "limits":
        return RunTimeDraw.DEFAULT;
      case "exact":
        return RunTimeDraw.EXACT;
      default:
        String[] parts = runTimes.split(",", -1);
        try {
          if (parts.length == 2) {
            return new RunTimeDraw(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
          }
        } catch (IllegalArgumentException e) {
          throw new InputException("--run-times: '" + runTimes + "': " + e.getMessage());
        }
        throw new InputException("--run-times: '" + runTimes + "' is not fitted, limits, exact or SHARE,MIN such as 0.5,0.3");
    }
  }

  private void measure(Scenario s, ForecastAccuracy.Settings settings, Path dir) {
    PrintWriter stdout = spec.commandLine().getOut();
    ForecastAccuracy.Result result = ForecastAccuracy.measure(s, settings);
    Json.write(ForecastAccuracyReport.json(result), dir.resolve("forecast-accuracy.json"));
    OutputPaths.write(dir.resolve("forecast-accuracy.csv"), ForecastAccuracyReport.csv(result));
    Path detail = dir.resolve("forecast-predictions.csv");
    try (java.io.Writer w = Files.newBufferedWriter(detail, StandardCharsets.UTF_8)) {
      result.detail().writeCsv(w);
    } catch (IOException e) {
      throw new InputException(detail + ": cannot write: " + OutputPaths.reason(e), e);
    }
    stdout.print(ForecastAccuracyReport.table(result));
    stdout.printf(Locale.ROOT, "%nOutputs in %s: forecast-accuracy.json, forecast-accuracy.csv, forecast-predictions.csv%n", dir);
    stdout.printf(Locale.ROOT, "Run: %.1f s wall (twin %.1f s, of which forecasts %.1f s, baseline %.1f s)%n",
        main.clock.elapsedSeconds(), result.runSeconds(), result.forecastSeconds(), result.baselineSeconds());
  }

  /** A positive whole number of seconds from a duration such as 6h, 30m or P1D. */
  private static long seconds(String option, String text) {
    double v;
    try {
      v = Units.parseDurationSeconds(text);
    } catch (IllegalArgumentException e) {
      throw new InputException(option + ": " + e.getMessage());
    }
    if (!(v >= 1) || Double.isInfinite(v) || v > 365L * 86_400) {
      throw new InputException(option + ": must be from 1 s to 365 days, got '" + text + "'");
    }
    return Math.round(v);
  }

}
