package dev.superfactory.cli;

import dev.superfactory.server.live.LiveForecasts;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code superfactory serve}: runs the control plane ({@link LiveServer}) until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run the control plane until stopped (Ctrl-C or SIGTERM): tenants submit jobs over the REST API"
        + " on 127.0.0.1, PostgreSQL stores them, the twin's scheduler places them on the scenario's fleet, and one"
        + " simulated agent per site runs them (or the site's own agent process: --external-agents)."})
final class ServeCommand implements Callable<Integer> {
  @Mixin ScenarioOptions scenario;
  @Mixin StoreOptions store;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
      description = "TCP port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--time-scale", paramLabel = "X", defaultValue = "1",
      description = "The simulated agents run a job for its durationSeconds divided by X (3600: an hour a second)."
          + " Default: ${DEFAULT-VALUE}.")
  double timeScale;

  @Option(names = "--inject-failures", description = "The simulated agents fail shards at the rates of the scenario's"
      + " reliability model; the scheduler restarts their jobs from their last checkpoint (the scenario's checkpoint"
      + " policy).")
  boolean injectFailures;

  @Option(names = "--prepare-timeout", paramLabel = "S", defaultValue = "60",
      description = "A job placed across sites starts in two phases: every site prepares and reports ready, then all"
          + " go together. A run not ready everywhere within S seconds is stopped on every site and restarted or"
          + " requeued as after a failure. Default: ${DEFAULT-VALUE}.")
  double prepareTimeoutSeconds;

  @Option(names = "--external-agents", paramLabel = "SITE", split = ",",
      description = "Sites whose agents run as their own processes (superfactory agent, driving the site's Slurm or"
          + " Kubernetes): no simulated agent for them. The other sites keep theirs.")
  java.util.List<String> externalAgents = java.util.List.of();

  @Option(names = "--forecast-every", paramLabel = "D", defaultValue = "10s",
      description = "How often queued jobs' start times are forecast (0: never). Each forecast forks the live"
          + " kernel and fast-forwards it on a thread of its own; the next waits at least 4× as long as one took."
          + " Default: ${DEFAULT-VALUE}.")
  String forecastEvery;

  @Option(names = "--forecast-draws", paramLabel = "N", defaultValue = "8",
      description = "Trajectories with drawn run times (and failures), for each job's p50 and p90 start; 0: the"
          + " exact trajectory only (declared run times). Default: ${DEFAULT-VALUE}.")
  int forecastDraws;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (!(prepareTimeoutSeconds >= 0.001) || Double.isInfinite(prepareTimeoutSeconds)) { // whole milliseconds
      throw new dev.superfactory.input.InputException("--prepare-timeout: " + prepareTimeoutSeconds
          + " is not a positive number of seconds");
    }
    if (forecastDraws < 0 || forecastDraws > 1000) {
      throw new dev.superfactory.input.InputException("--forecast-draws: " + forecastDraws + " is not within 0..1000");
    }
    LiveForecasts.Settings defaults = LiveForecasts.Settings.defaults();
    LiveForecasts.Settings forecasts = new LiveForecasts.Settings(AgentCommand.duration("--forecast-every",
        forecastEvery), forecastDraws, defaults.horizon(), defaults.threads(), defaults.seed(),
        defaults.passResolution());
    LiveServer server = LiveServer.start(scenario.load(), store, port, timeScale, injectFailures,
        java.time.Duration.ofMillis(Math.round(prepareTimeoutSeconds * 1000)), java.util.Set.copyOf(externalAgents),
        forecasts, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("stopping: closing the API, the agents, the scheduler, the pool and the database");
      out.flush();
      try {
        server.close();
      } finally {
        stopped.countDown();
      }
    }, "superfactory-serve-shutdown"));
    server.facts().forEach(out::println);
    out.println("running until Ctrl-C or SIGTERM");
    out.flush();
    stopped.await();
    return 0;
  }
}
