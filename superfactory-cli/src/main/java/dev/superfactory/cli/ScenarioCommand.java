package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "scenario", mixinStandardHelpOptions = true, description = "Create and check scenario files.",
    subcommands = {ScenarioCommand.Init.class, ScenarioCommand.Check.class})
final class ScenarioCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand: try 'superfactory scenario init' or 'superfactory scenario check FILE'");
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Write an editable, commented scenario file: a copy of a preset.",
          "It loads back unchanged; every figure in it can be edited."})
  static final class Init implements Runnable {
    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "fairwater",
        description = "Preset to start from (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
        description = "Where to write it (default: NAME.yaml; '-' for standard output).")
    String output;

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    boolean force;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      String text = Presets.text(preset);
      PrintWriter out = spec.commandLine().getOut();
      if ("-".equals(output)) {
        out.print(text);
        return;
      }
      Path file = Path.of(output != null ? output : preset + ".yaml");
      if (Files.exists(file) && !force) {
        throw new InputException(file + ": already exists; use --force to overwrite or -o to choose another file");
      }
      OutputPaths.file("-o", file);
      try {
        Files.writeString(file, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new InputException("-o " + file + ": cannot write: " + OutputPaths.reason(e), e);
      }
      out.println("Wrote " + file + " (from preset " + preset + "). Edit it, then: superfactory fleet show " + file);
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate a scenario file and print a one-line summary; exit status 2 if it is invalid.")
  static final class Check implements Runnable {
    @Parameters(paramLabel = "SCENARIO.yaml") Path file;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      Scenario s = ScenarioReader.read(file);
      spec.commandLine().getOut().printf("%s: OK: scenario %s, %d sites, %,d GPUs, %d tenants%n",
          file, s.name(), s.fleet().siteCount(), s.fleet().totalGpus(), s.tenants().size());
    }
  }
}
