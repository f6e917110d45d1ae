package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.report.Format;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.Workload;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.NativeTrace;
import java.nio.file.Files;
import java.util.Locale;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "workload", mixinStandardHelpOptions = true, description = "Generate and inspect job traces.",
    subcommands = {WorkloadCommand.Generate.class})
final class WorkloadCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand: try 'superfactory workload generate -o jobs.csv'");
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = {"Write the scenario's synthetic workload as a native trace (CSV).",
          "Replay it with 'simulate --trace native:FILE' or 'workload: {trace: FILE}' in a scenario."})
  static final class Generate implements Runnable {
    @Mixin ScenarioOptions scenario;
    @Mixin RunOptions run;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where to write the CSV.")
    Path output;

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    boolean force;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      Scenario s = scenario.resolve(run);
      if (Files.exists(output) && !force) {
        throw new InputException("-o " + output + ": already exists; use --force to overwrite");
      }
      OutputPaths.file("-o", output);
      Workload workload = Workload.of(s);
      Jobs jobs = workload.jobs();
      NativeTrace.write(jobs, workload.tenants(), output);
      spec.commandLine().getOut().print(summary(s, jobs, output));
    }

    /**
     * What was written, truthfully: the submission window (the synthetic generator submits over the
     * warm-up and the measured days; a trace over its own span), when the last job would end if
     * every job started on submission, and the GPU-hours asked for against the fleet's over the
     * submission window.
     */
    static String summary(Scenario s, Jobs jobs, Path output) {
      long lastSubmit = 0;
      long lastEnd = 0;
      for (int j = 0; j < jobs.size(); j++) {
        lastSubmit = Math.max(lastSubmit, jobs.submit(j));
        lastEnd = Math.max(lastEnd, jobs.submit(j) + jobs.durationSeconds(j));
      }
      boolean synthetic = s.workload().trace() == null;
      double windowDays = (synthetic ? s.effectiveWarmupSeconds() + s.horizonSeconds() : lastSubmit) / 86400.0;
      String window = synthetic && s.effectiveWarmupSeconds() > 0
          ? String.format(Locale.ROOT, " (%s warm-up + %s measured)", days(s.effectiveWarmupSeconds() / 86400.0),
              days(s.horizonSeconds() / 86400.0)) : "";
      double gpuHours = jobs.demandGpuSeconds() / 3600.0;
      double share = gpuHours / (s.fleet().totalGpus() * windowDays * 24);
      return String.format(Locale.ROOT, "Wrote %s: %s jobs submitted over %s%s%n"
              + "  if each started when submitted, the last would end on day %s%n"
              + "  they ask for %s GPU-hours: %s of the fleet's GPU-hours over the %s of submissions%n",
          output, Format.count(jobs.size()), days(windowDays), window, Format.fixed(lastEnd / 86400.0, 1),
          Format.count(Math.round(gpuHours)), Format.percent(share), days(windowDays));
    }

    private static String days(double d) {
      return Format.fixed(d, 1) + " days";
    }
  }
}
