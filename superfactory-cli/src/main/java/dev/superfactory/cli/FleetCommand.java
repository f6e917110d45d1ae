package dev.superfactory.cli;

import dev.superfactory.report.FleetReport;
import dev.superfactory.report.Json;
import dev.superfactory.scenario.Scenario;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Inspect a scenario's fleet.",
    subcommands = {FleetCommand.Show.class})
final class FleetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: try 'superfactory fleet show'");
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = {"Print a scenario's fleet: sites, GPU models and counts, domains and blocks, peak PFLOP/s"
          + " (BF16, FP8), IT power and WAN links."})
  static final class Show implements Runnable {
    @Mixin ScenarioOptions scenario;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      Scenario s = scenario.load();
      PrintWriter out = spec.commandLine().getOut();
      out.print(json ? Json.pretty(FleetReport.json(s)) : FleetReport.text(s));
    }
  }
}
