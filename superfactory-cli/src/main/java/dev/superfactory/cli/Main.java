package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/**
 * The {@code superfactory} command. Commands are thin: parse, call the core, print.
 *
 * <p>Exit status: 0 success, 1 internal error (a bug: the message asks for a report), 2 user error
 * (bad option, bad scenario file, bad trace): one line naming the file, line and field; the stack
 * trace only with {@code --debug}.
 */
@Command(
    name = "superfactory",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Digital twin, training performance model and scheduler for multi-site AI superfactories.",
      ""
    },
    subcommands = {SimulateCommand.class, CompareCommand.class, EstimateCommand.class, PresetsCommand.class, FleetCommand.class,
        ScenarioCommand.class, WorkloadCommand.class, BenchCommand.class, FailureRatesCommand.class,
        ServeCommand.class, AgentCommand.class, TokenCommand.class, ClientCommands.Submit.class, ClientCommands.Jobs.class,
        ClientCommands.Job.class, ClientCommands.Cancel.class, WhatIfCommand.class, ClientCommands.Events.class, DomainCommands.Drain.class,
        DomainCommands.Restore.class, DomainCommands.Cordon.class, DomainCommands.Uncordon.class, LoadCommand.class,
        ForecastAccuracyCommand.class, SweepCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Start with: superfactory simulate    (30 days of the built-in fairwater preset)",
        "Documentation: README.md"})
public final class Main implements Runnable {
  /** Accepted on every command: show stack traces for errors. */
  @Option(names = "--debug", description = "Show stack traces for errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** When the command started, for the wall time the user experienced. */
  final CommandClock clock;

  /** The environment the client commands read (SUPERFACTORY_URL, …): the process's, or a test's. */
  final Map<String, String> env;

  Main() {
    this(CommandClock.startingNow(), System.getenv());
  }

  Main(CommandClock clock, Map<String, String> env) {
    this.clock = clock;
    this.env = Map.copyOf(env);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    CommandClock clock = CommandClock.ofProcess(System.getenv("SUPERFACTORY_LAUNCHED_MS"));
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), clock, System.getenv()));
  }

  /** Runs the CLI with the given streams; returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, CommandClock.startingNow(), System.getenv());
  }

  /** As {@link #run(String[], PrintWriter, PrintWriter)} with {@code env} in place of the process's environment. */
  static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    return run(args, out, err, CommandClock.startingNow(), env);
  }

  static int run(String[] args, PrintWriter out, PrintWriter err, CommandClock clock, Map<String, String> env) {
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    CommandLine cl = new CommandLine(new Main(clock, env));
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    NumberConverters.registerOn(cl);
    HelpText.install(cl);
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine cmd = ex.getCommandLine();
      err.println("superfactory: " + message(ex) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
      if (debug) {
        ex.printStackTrace(err);
      }
      err.flush();
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      Throwable cause = ex;
      if (cause instanceof InputException || cause instanceof CommandLine.ParameterException) {
        err.println("superfactory: " + cause.getMessage());
        if (debug) {
          cause.printStackTrace(err);
        }
        err.flush();
        return 2;
      }
      err.println("superfactory: internal error: " + cause);
      if (debug) {
        cause.printStackTrace(err);
      } else {
        err.println("Run again with --debug for the stack trace, and please report it.");
      }
      err.flush();
      return 1;
    });
    String unknown = unknownCommand(cl, args);
    if (unknown != null) {
      err.print(unknown);
      err.flush();
      return 2;
    }
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /**
   * The error for a first word that names no command, with the commands to choose from; {@code null}
   * if the words name a command. Checked before picocli parses, because picocli shows the parent's
   * help (exit 0) for {@code superfactory nosuchcommand --help}; {@code help NAME} is checked the same
   * way. Only commands that take
   * subcommands are checked: their options are all flags, so every other word must be a command.
   */
  static String unknownCommand(CommandLine top, String[] args) {
    CommandLine cmd = top;
    for (String a : args) {
      if (a.startsWith("-")) {
        continue;
      }
      if (cmd.getSubcommands().isEmpty() || !cmd.getCommandSpec().positionalParameters().isEmpty()) {
        return null;
      }
      CommandLine sub = cmd.getSubcommands().get(a);
      if (sub == null) {
        String name = cmd.getCommandSpec().qualifiedName();
        String near = Suggest.nearest(a, cmd.getSubcommands().keySet());
        return "superfactory: unknown command '" + a + "'" + (near == null ? "" : "; did you mean '" + near + "'?")
            + System.lineSeparator() + "Commands of '" + name + "':" + System.lineSeparator()
            + HelpText.commandList(cmd.getHelp());
      }
      if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        cmd = sub; // 'help NAME' names a command of the same level
      }
    }
    return null;
  }

  /** A bad option value as "--load: 'abc' is not a number"; other parse errors as picocli words them. */
  static String message(CommandLine.ParameterException ex) {
    if (ex.getCause() instanceof CommandLine.TypeConversionException
        && ex.getArgSpec() instanceof CommandLine.Model.OptionSpec) {
      return ((CommandLine.Model.OptionSpec) ex.getArgSpec()).longestName() + ": " + ex.getCause().getMessage();
    }
    return ex.getMessage();
  }

  /** The version Maven wrote into the jar. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("/dev/superfactory/cli/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "superfactory " + version(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
