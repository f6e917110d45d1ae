package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.QueuePolicies;
import dev.superfactory.sched.SchedulerConfig;
import dev.superfactory.workload.TraceFormats;
import dev.superfactory.workload.TraceSource;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** Overrides shared by the commands that run a scenario: days, seed, policy, load, jobs, trace. */
final class RunOptions {
  @Option(names = "--days", paramLabel = "N", description = "Simulated days (default: the scenario's horizon, 30).")
  Double days;

  @Option(names = "--warmup", paramLabel = "DAYS",
      description = "Simulated days before the measured window (default: the scenario's).")
  Double warmup;

  @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: the scenario's).")
  Long seed;

  @Option(names = "--policy", paramLabel = "NAME",
      description = "Scheduling policy: ${sys:superfactory.policies} (default: the scenario's, fifo-backfill).")
  String policy;

  @Option(names = "--load", paramLabel = "X", description = "Offered load of the synthetic workload, e.g. 0.85.")
  Double load;

  @Option(names = "--jobs", paramLabel = "N",
      description = "Generate about N jobs (durations scale to keep the offered load).")
  Long jobs;

  @Option(names = "--speedup", paramLabel = "F",
      description = "Replay a trace F times faster: submit times (and the default horizon) divided by F, load times F.")
  Double speedup;

  @Option(names = "--no-failures", description = "Turn the failure processes off (for comparison).")
  boolean noFailures;

  @Option(names = "--trace", paramLabel = "FORMAT:PATH",
      description = "Replay a job trace instead of generating one. Formats: ${sys:superfactory.traces}.")
  String trace;

  static {
    System.setProperty("superfactory.policies", String.join(", ", QueuePolicies.names()));
    System.setProperty("superfactory.traces", TraceFormats.all().stream()
        .map(f -> f.name() + " = " + f.describe()).collect(Collectors.joining("; ")));
  }

  Scenario apply(Scenario s) {
    Scenario out = s;
    if (days != null) {
      if (!(days > 0) || days > 365 * 60) {
        throw new InputException("--days must be between 0 and 21,900, got " + days);
      }
      out = out.withHorizonSeconds(Math.round(days * 86400));
    }
    if (warmup != null) {
      if (!(warmup >= 0) || warmup > 365 * 10) {
        throw new InputException("--warmup must be between 0 and 3,650 days, got " + warmup);
      }
      out = out.withWarmupSeconds(Math.round(warmup * 86400));
    }
    if (seed != null) {
      out = out.withSeed(seed);
    }
    if (policy != null) {
      out = out.withScheduler(out.scheduler().withPolicy(policy));
    }
    if (load != null) {
      if (!(load > 0) || load > 5) {
        throw new InputException("--load must be a fraction of the fleet such as 0.85, got " + load);
      }
      out = out.withWorkload(out.workload().withOfferedLoad(load));
    }
    if (jobs != null) {
      if (jobs <= 0) {
        throw new InputException("--jobs must be > 0, got " + jobs);
      }
      out = out.withWorkload(out.workload().withJobCount(jobs));
    }
    if (trace != null) {
      out = out.withTrace(TraceSource.parse(trace));
    }
    if (speedup != null) {
      if (!(speedup > 0) || speedup > 1e6) {
        throw new InputException("--speedup must be between 0 and 1,000,000, got " + speedup);
      }
      if (out.workload().trace() == null) {
        throw new InputException("--speedup applies to a replayed trace: add --trace FORMAT:PATH");
      }
      out = out.withWorkload(out.workload().withTraceSpeedup(speedup));
    }
    if (noFailures) {
      out = out.withReliability(out.reliability().withEnabled(false));
    }
    if (load != null && out.workload().trace() != null) {
      throw new InputException("--load sets the synthetic workload's load; a trace is replayed as recorded "
          + "(use --speedup F to replay it F times faster)");
    }
    return out;
  }
}
