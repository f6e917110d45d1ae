package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.workload.TraceFormats;
import dev.superfactory.workload.TraceSource;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * Overrides that shape a scenario's window and jobs (days, warm-up, seed, load, jobs, trace), shared by
 * every command that generates or runs a workload. The policy and failure switches are separate
 * ({@link PolicyOption}, {@link FailureOption}) so that a command lists only the options it uses.
 * Values at or below zero are refused while parsing ({@link NumberConverters}).
 */
final class RunOptions {
  @Option(names = "--days", paramLabel = "N", converter = NumberConverters.PositiveDouble.class,
      description = "Simulated days (default: the scenario's horizon, 30).")
  Double days;

  @Option(names = "--warmup", paramLabel = "DAYS", converter = NumberConverters.NonNegativeDouble.class,
      description = "Simulated days before the measured window (default: the scenario's).")
  Double warmup;

  @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: the scenario's).")
  Long seed;

  @Option(names = "--load", paramLabel = "X", converter = NumberConverters.PositiveDouble.class,
      description = "Offered load of the synthetic workload, e.g. 0.85.")
  Double load;

  @Option(names = "--jobs", paramLabel = "N", converter = NumberConverters.PositiveLong.class,
      description = "Generate about N jobs (durations scale to keep the offered load).")
  Long jobs;

  @Option(names = "--speedup", paramLabel = "F", converter = NumberConverters.PositiveDouble.class,
      description = "Replay a trace F times faster: submit times (and the default horizon) divided by F, load times F.")
  Double speedup;

  @Option(names = "--trace", paramLabel = "FORMAT:PATH",
      description = "Replay a job trace instead of generating one. Formats: ${sys:superfactory.traces}.")
  String trace;

  static {
    System.setProperty("superfactory.traces", TraceFormats.all().stream()
        .map(f -> f.name() + " = " + f.describe()).collect(Collectors.joining("; ")));
  }

  Scenario apply(Scenario s) {
    Scenario out = s;
    if (days != null) {
      NumberConverters.atMost("--days", days, 365 * 60, "21,900 days (60 years)");
      if (Math.round(days * 86400) < 1) {
        throw new InputException("--days: must be at least one second (0.0000116 days), got " + days);
      }
      out = out.withHorizonSeconds(Math.round(days * 86400));
    }
    if (warmup != null) {
      NumberConverters.atMost("--warmup", warmup, 365 * 10, "3,650 days (10 years)");
      out = out.withWarmupSeconds(Math.round(warmup * 86400));
    }
    if (seed != null) {
      out = out.withSeed(seed);
    }
    if (load != null) {
      NumberConverters.atMost("--load", load, 5, "5 (a fraction of the fleet's GPU-hours, such as 0.85)");
      out = out.withWorkload(out.workload().withOfferedLoad(load));
    }
    if (jobs != null) {
      out = out.withWorkload(out.workload().withJobCount(jobs));
    }
    if (trace != null) {
      out = out.withTrace(TraceSource.parse(trace));
    }
    if (speedup != null) {
      NumberConverters.atMost("--speedup", speedup, 1e6, "1,000,000");
      if (out.workload().trace() == null) {
        throw new InputException("--speedup applies to a replayed trace: add --trace FORMAT:PATH");
      }
      out = out.withWorkload(out.workload().withTraceSpeedup(speedup));
    }
    if (load != null && out.workload().trace() != null) {
      throw new InputException("--load sets the synthetic workload's load; a trace is replayed as recorded "
          + "(use --speedup F to replay it F times faster)");
    }
    return out;
  }
}
