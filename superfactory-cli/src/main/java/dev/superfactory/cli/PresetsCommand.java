package dev.superfactory.cli;

import dev.superfactory.report.Format;
import dev.superfactory.report.TextTable;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "presets", mixinStandardHelpOptions = true,
    description = {"List the built-in scenarios.",
        "Use one with --preset NAME; copy one to an editable file with 'scenario init'."})
final class PresetsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    TextTable table = new TextTable("preset", "sites>", "GPUs>", "tenants>", "description");
    for (String name : Presets.names()) {
      Scenario s = Presets.load(name);
      String description = s.description();
      table.row(name, s.fleet().siteCount(), Format.count(s.fleet().totalGpus()), s.tenants().size(),
          description.length() > 90 ? description.substring(0, 87) + "..." : description);
    }
    out.print(table);
  }
}
