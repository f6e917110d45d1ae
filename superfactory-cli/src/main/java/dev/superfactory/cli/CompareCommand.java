package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.report.CompareReport;
import dev.superfactory.report.HtmlReport;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.QueuePolicies;
import dev.superfactory.sim.Simulation;
import dev.superfactory.sim.SimulationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Run the same workload under several scheduling policies and compare them side by side.",
        "The policies run in parallel (one per core) on the same jobs and failure draws. The table compares"
            + " completion times, waits per tenant, utilization, goodput, fairness, preemptions, lost GPU-hours,"
            + " revenue and margin. Writes compare.json, compare.html and each policy's result.json and report.html"
            + " to the output folder."})
final class CompareCommand implements Runnable {
  @Mixin ScenarioOptions scenario;
  @Mixin RunOptions run;
  @Mixin FailureOption failures;

  @Option(names = "--policies", paramLabel = "P1,P2,...", required = true,
      description = "Policies to compare, separated by commas: ${sys:superfactory.policies}.")
  String policies;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: ./superfactory-out/compare-<scenario>-<timestamp>/).")
  Path out;

  @Option(names = "--json",
      description = "Print compare.json to standard output instead of the table (the folder gets it too).")
  boolean json;

  @Option(names = "--metric", paramLabel = "KEY", defaultValue = CompareReport.DEFAULT_OBJECTIVE,
      description = {"The measure to rank the policies on (default: ${DEFAULT-VALUE}, the GPU-weighted mean slowdown with",
          "pending jobs counted at their age). Keys: completed, pending, rejected, unserved, slowdown,",
          "gpu-wait-p95, gpu-wait-p95:TENANT, wait-p95, jct-mean, jct-p95, util, goodput, fairness,",
          "preemptions, lost, revenue, margin."})
  String metric;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    List<String> names = new ArrayList<>(new LinkedHashSet<>(Arrays.stream(policies.split(",")).map(String::trim)
        .toList()));
    for (String p : names) {
      QueuePolicies.needsOracle(p.trim()); // validates the name
    }
    Scenario base = failures.apply(scenario.resolve(run));
    List<String> keys = CompareReport.metricKeys(base.tenants().stream().map(t -> t.name()).toList());
    boolean traceTenant = base.tenants().isEmpty() && metric.startsWith("gpu-wait-p95:"); // tenants come from the trace
    if (!keys.contains(metric) && !traceTenant) {
      throw new InputException("--metric: " + CompareReport.unknownMetric(metric, keys));
    }
    OutputPaths.intoOutFolder(out, "compare-" + base.name(), dir -> compare(names, base, dir));
  }

  private void compare(List<String> names, Scenario base, Path dir) {
    int threads = Math.max(1, Math.min(names.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<RunResult>> futures = new ArrayList<>();
    for (String p : names) {
      Scenario s = base.withScheduler(base.scheduler().withPolicy(p.trim()));
      futures.add(pool.submit(() -> {
        SimulationResult r = new Simulation(s).run();
        RunResult result = RunResults.withRun(r, Main.version());
        Path sub = dir.resolve(p.trim());
        Files.createDirectories(sub);
        ResultJson.write(result, sub.resolve("result.json"));
        Files.writeString(sub.resolve("report.html"), HtmlReport.render(result), StandardCharsets.UTF_8);
        return result;
      }));
    }
    pool.shutdown();
    List<RunResult> results = new ArrayList<>();
    try {
      for (Future<RunResult> f : futures) {
        results.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException(cause);
    }
    CompareReport.Comparison compare;
    try {
      compare = CompareReport.compare(names, results, metric);
    } catch (IllegalArgumentException e) {
      throw new InputException("--metric: " + e.getMessage(), e);
    }
    ResultJson.write(compare, dir.resolve("compare.json"));
    try {
      Files.writeString(dir.resolve("compare.html"), CompareReport.html(compare), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException(dir + ": cannot write compare.html: " + OutputPaths.reason(e), e);
    }
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.print(ResultJson.pretty(compare));
      return;
    }
    o.printf("Compared %d policies on %s (%s days, seed %d, workload %s)%n%n", names.size(), base.name(),
        dev.superfactory.report.Format.fixed(base.horizonSeconds() / 86400.0, 1), base.seed(),
        base.workload().trace() != null ? base.workload().trace().toString() : "synthetic");
    o.println(CompareReport.objectiveLine(compare));
    o.print(CompareReport.text(compare));
    o.printf("%nOutputs in %s: compare.json, compare.html, and <policy>/result.json, report.html%n", dir);
  }
}
