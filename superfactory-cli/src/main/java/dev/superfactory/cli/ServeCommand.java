package dev.superfactory.cli;

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
    description = {"Run the control plane: store jobs of the scenario's tenants in PostgreSQL and serve the REST"
        + " API on 127.0.0.1 until stopped (Ctrl-C or SIGTERM). Jobs are stored, not yet scheduled."})
final class ServeCommand implements Callable<Integer> {
  @Mixin ScenarioOptions scenario;
  @Mixin StoreOptions store;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
      description = "TCP port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    LiveServer server = LiveServer.start(scenario.load(), store, port, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("stopping: closing the API, the pool and the database");
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
