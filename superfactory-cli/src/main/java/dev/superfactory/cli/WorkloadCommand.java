package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.report.Format;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.Workload;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.NativeTrace;
import java.nio.file.Files;
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
      double demand = jobs.demandGpuSeconds() / 3600.0 / (s.fleet().totalGpus() * (s.horizonSeconds() / 3600.0));
      spec.commandLine().getOut().printf("Wrote %s: %s jobs over %s days, demand %s of the fleet's GPU-hours%n",
          output, Format.count(jobs.size()), Format.fixed(s.horizonSeconds() / 86400.0, 1), Format.percent(demand));
    }
  }
}
