package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class HelpTest {
  private static final String NL = System.lineSeparator();

  @Test
  void theCommandListShowsEachCommandsWholeFirstSentence() {
    String help = CliRun.of("--help").out();
    Map<String, CommandLine> commands = new CommandLine(new Main()).getSubcommands();
    int start = help.indexOf("Commands:" + NL) + ("Commands:" + NL).length();
    String list = help.substring(start, help.indexOf(NL + NL, start));
    List<String> entries = new ArrayList<>();
    for (String line : list.split("\\R")) {
      if (line.startsWith("  ") && !line.startsWith("   ")) {
        entries.add(line.trim());
      } else {
        entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.trim());
      }
    }
    assertThat(entries).hasSize(commands.size());
    for (String e : entries) {
      String name = e.substring(0, e.indexOf(' '));
      CommandLine.Model.UsageMessageSpec usage = commands.get(name).getCommandSpec().usageMessage();
      String first = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
      assertThat(e.substring(name.length()).trim()).as(name).isEqualTo(first).endsWith(".");
    }
  }

  /** Wrapping may only turn spaces into line breaks: the words are those of the unwrapped help. */
  @Test
  void helpWrapsAtSpacesOnlyAndNeverSplitsAPathOrName() {
    forEveryCommand(spec -> {
      String wrapped = CliRun.of(args(spec, "--help")).out();
      CommandLine unwrapped = new CommandLine(new Main());
      unwrapped.setUsageHelpWidth(10_000);
      StringWriter w = new StringWriter();
      commandLine(unwrapped, spec).usage(new PrintWriter(w));
      assertThat(words(wrapped)).as(spec.qualifiedName()).isEqualTo(words(w.toString()));
      for (String line : wrapped.split("\\R")) {
        assertThat(line.length() <= HelpText.WIDTH || !line.trim().contains(" ")).as(line).isTrue();
      }
    });
    assertThat(CliRun.of("simulate", "--help").out()).contains("report.html", "./superfactory-out/<scenario>-<timestamp>/");
  }

  @Test
  void compareUsageNamesItsPoliciesOnceAndHasNoPolicyOption() {
    String help = CliRun.of("compare", "--help").out();
    String synopsis = help.substring(0, help.indexOf(NL + "Run the same workload"));
    assertThat(synopsis).contains("--policies=P1,P2,...").doesNotContain("......", "--policy=");
    assertThat(help).doesNotContain("--policy=");
    CliRun r = CliRun.of("compare", "--policies", "fifo", "--policy", "las");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).startsWith("superfactory: Unknown option: '--policy'");
  }

  @Test
  void workloadGenerateRefusesOptionsItWouldIgnore() {
    String help = CliRun.of("workload", "generate", "--help").out();
    assertThat(help).doesNotContain("--policy", "--no-failures");
    for (String[] extra : new String[][] {{"--policy", "las"}, {"--no-failures"}}) {
      List<String> args = new ArrayList<>(List.of("workload", "generate", "-o", "never-written.csv"));
      args.addAll(Arrays.asList(extra));
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertThat(r.status()).isEqualTo(2);
      assertThat(r.err()).startsWith("superfactory: Unknown option: '" + extra[0] + "'");
    }
  }

  @Test
  void jsonIsAFlagThatPrintsJsonInEveryCommand() {
    List<String> seen = new ArrayList<>();
    forEveryCommand(spec -> {
      OptionSpec json = spec.findOption("--json");
      if (json != null) {
        seen.add(spec.name());
        assertThat(json.arity().max()).as(spec.qualifiedName()).isZero();
        assertThat(json.description()[0]).as(spec.qualifiedName()).startsWith("Print ");
      }
    });
    assertThat(seen).contains("simulate", "compare", "estimate", "bench", "show");
  }

  @Test
  void anUnknownCommandIsNamedEvenWithHelp() {
    for (String[] args : new String[][] {{"nosuchcommand", "--help"}, {"nosuchcommand"}, {"simulat"},
        {"help", "nosuchcommand"}}) {
      CliRun r = CliRun.of(args);
      String word = args[0].equals("help") ? args[1] : args[0];
      assertThat(r.status()).as(word).isEqualTo(2);
      assertThat(r.out()).isEmpty();
      String first = r.err().lines().findFirst().orElseThrow();
      assertThat(first).startsWith("superfactory: unknown command '" + word + "'");
      assertThat(r.err()).contains("Commands of 'superfactory':" + NL, "  simulate  ", "  estimate  ");
    }
    assertThat(CliRun.of("simulat").err()).startsWith("superfactory: unknown command 'simulat'; did you mean 'simulate'?");
    assertThat(CliRun.of("help", "simulate").out()).startsWith("Usage: superfactory simulate");
    CliRun sub = CliRun.of("workload", "genrate", "--help");
    assertThat(sub.status()).isEqualTo(2);
    assertThat(sub.err()).startsWith("superfactory: unknown command 'genrate'; did you mean 'generate'?" + NL
        + "Commands of 'superfactory workload':" + NL + "  generate  ");
  }

  @Test
  void wrapFoldsAtSpacesUnderTheDescriptionColumn() {
    String line = "      --out=DIR   Output folder (default: ./superfactory-out/compare-<scenario>-<timestamp>/) and more";
    assertThat(HelpText.wrap(line, 60)).isEqualTo("      --out=DIR   Output folder (default:\n"
        + "                  ./superfactory-out/compare-<scenario>-<timestamp>/)\n"
        + "                  and more");
    assertThat(HelpText.wrap("Usage: superfactory compare [-hV] [--debug] --policies=P1,P2,... [SCENARIO.yaml]", 50))
        .isEqualTo("Usage: superfactory compare [-hV] [--debug]\n                            --policies=P1,P2,...\n"
            + "                            [SCENARIO.yaml]");
  }

  private static List<String> words(String text) {
    return Arrays.asList(text.trim().split("\\s+"));
  }

  private static String[] args(CommandSpec spec, String last) {
    return (spec.qualifiedName().replaceFirst("^superfactory ?", "") + " " + last).trim().split(" ");
  }

  private static CommandLine commandLine(CommandLine top, CommandSpec spec) {
    CommandLine cl = top;
    for (String name : spec.qualifiedName().split(" ")) {
      if (!name.equals("superfactory")) {
        cl = cl.getSubcommands().get(name);
      }
    }
    return cl;
  }

  private static void forEveryCommand(Consumer<CommandSpec> check) {
    Deque<CommandLine> todo = new ArrayDeque<>(List.of(new CommandLine(new Main())));
    while (!todo.isEmpty()) {
      CommandLine cl = todo.poll();
      todo.addAll(cl.getSubcommands().values());
      if (!cl.getCommandSpec().name().equals("help")) {
        check.accept(cl.getCommandSpec());
      }
    }
  }
}
