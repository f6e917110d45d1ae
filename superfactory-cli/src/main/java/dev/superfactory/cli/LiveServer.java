package dev.superfactory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.input.InputException;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.server.ControlPlane;
import dev.superfactory.server.store.ConflictException;
import dev.superfactory.server.api.ServerMetrics;
import dev.superfactory.server.store.Database;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.workload.Tenant;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A running control plane, as {@code superfactory serve} starts it: the database (embedded or
 * external), the scenario's tenants and contracts written on first start only, the REST API on
 * 127.0.0.1 with the live scheduler and one simulated agent per site ({@link ControlPlane}), and
 * the facts to print, one per line. Costs: start is the database open (about
 * 1 s for an existing embedded data directory, 4–5 s for a new one) plus one transaction per
 * tenant on first start; {@link #close} stops the API, the pool and the embedded server.
 */
final class LiveServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private final ControlPlane plane;
  private final Path serverFile;
  private final List<String> facts;

  private LiveServer(Database database, ControlPlane plane, Path serverFile, List<String> facts) {
    this.database = database;
    this.plane = plane;
    this.serverFile = serverFile;
    this.facts = facts;
  }

  /** Opens the store, seeds it from {@code scenario} if it has no tenant yet, and starts the API on {@code port} (0: any free). */
  static LiveServer start(Scenario scenario, StoreOptions store, int port, double timeScale, Clock clock) {
    return start(scenario, store, port, timeScale, false, PREPARE_TIMEOUT, clock);
  }

  /** The default of {@code serve --prepare-timeout}: the scheduler's. */
  static final java.time.Duration PREPARE_TIMEOUT = dev.superfactory.server.live.LiveScheduler.Settings.DEFAULT.prepareTimeout();

  /**
   * As above; {@code injectFailures}: the simulated agents fail shards at the scenario's reliability
   * rates; a run across sites not ready everywhere within {@code prepareTimeout} is stopped and restarted.
   */
  static LiveServer start(Scenario scenario, StoreOptions store, int port, double timeScale, boolean injectFailures,
      java.time.Duration prepareTimeout, Clock clock) {
    return start(scenario, store, port, timeScale, injectFailures, prepareTimeout, java.util.Set.of(),
        dev.superfactory.server.live.LiveForecasts.Settings.defaults(), clock);
  }

  /**
   * As above; the sites in {@code externalAgents} get no simulated agent: their agents run as their
   * own processes ({@code superfactory agent}). An unknown site is a user error naming the option.
   * Start-time forecasts are refreshed as {@code forecasts} says.
   */
  static LiveServer start(Scenario scenario, StoreOptions store, int port, double timeScale, boolean injectFailures,
      java.time.Duration prepareTimeout, java.util.Set<String> externalAgents,
      dev.superfactory.server.live.LiveForecasts.Settings forecasts, Clock clock) {
    List<String> sites = scenario.fleet().sites().stream().map(s -> s.name()).toList();
    for (String site : externalAgents) {
      if (!sites.contains(site)) {
        throw new InputException("--external-agents: no site '" + site + "' in the scenario; the sites are "
            + new java.util.TreeSet<>(sites));
      }
    }
    if (port < 0 || port > 65535) {
      throw new InputException("--port: " + port + " is not within 0..65535");
    }
    if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
      throw new InputException("--time-scale: " + timeScale + " is not a positive number");
    }
    return start(scenario, store, ControlPlane.Settings.defaults(port, timeScale).withFailures(injectFailures)
        .withPrepareTimeout(prepareTimeout).withExternalAgents(externalAgents).withForecasts(forecasts), clock);
  }

  /** As above, with the control plane's settings given whole (tests: no simulated agents, short leases). */
  static LiveServer start(Scenario scenario, StoreOptions store, ControlPlane.Settings settings, Clock clock) {
    double timeScale = settings.timeScale();
    boolean injectFailures = settings.injectFailures();
    ServerMetrics metrics = ServerMetrics.create();
    Database database = store.open(metrics.registry());
    try {
      List<String> facts = new ArrayList<>();
      facts.add("data: " + database.description());
      facts.add(seedTenants(new TenantStore(database.dataSource()), scenario, clock));
      ControlPlane plane = startPlane(database, scenario, clock, settings, metrics);
      String url = "http://127.0.0.1:" + plane.api().port();
      facts.add("api: " + url + "/v1 (OpenAPI document: " + url + "/v1/openapi.json)");
      facts.add("metrics: " + url + "/metrics (Prometheus text format; operator token)");
      facts.add("dashboard: " + url + "/ (in a browser; log in with a token from 'superfactory token create')");
      facts.add(String.format(java.util.Locale.ROOT, "scheduling: %s on %,d GPUs in %d sites (term %d);"
              + " %s%s", scenario.scheduler().policy(), scenario.fleet().totalGpus(),
          scenario.fleet().siteCount(), plane.scheduler().term(),
          agentsFact(scenario, settings), injectFailures ? ", failing at the scenario's rates" : ""));
      facts.add(forecastsFact(settings.forecasts()));
      facts.add(rebuiltFact(plane.scheduler().rebuilt()));
      Path serverFile = store.db == null ? writeServerFile(store.dataDirectory(), database, url) : null;
      return new LiveServer(database, plane, serverFile, List.copyOf(facts));
    } catch (RuntimeException e) {
      database.close();
      metrics.close();
      throw e;
    }
  }

  /** One line on the start-time forecasts: how often, how many draws, how far ahead; or off. */
  static String forecastsFact(dev.superfactory.server.live.LiveForecasts.Settings f) {
    if (!f.on()) {
      return "forecasts: off (--forecast-every 0)";
    }
    long millis = f.every().toMillis();
    return String.format(java.util.Locale.ROOT, "forecasts: start times of queued jobs every %s (at least 4× a"
        + " forecast's time), %d draws, %d days ahead", millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms",
        f.draws(), f.horizon().toDays());
  }

  /** One line on the state the scheduler started from: new, or rebuilt by replaying the committed passes. */
  static String rebuiltFact(dev.superfactory.server.live.LiveScheduler.Rebuilt r) {
    if (r.passes() == 0) {
      return "state: new (no committed pass to replay)";
    }
    return String.format(java.util.Locale.ROOT, "state: rebuilt from %,d committed pass%s in %.1f s; %,d live job%s",
        r.passes(), r.passes() == 1 ? "" : "es", r.millis() / 1000.0, r.liveJobs(), r.liveJobs() == 1 ? "" : "s");
  }

  private static ControlPlane startPlane(Database database, Scenario scenario, Clock clock, ControlPlane.Settings settings,
      ServerMetrics metrics) {
    try {
      return ControlPlane.start(database, scenario, clock, settings, metrics);
    } catch (JavalinBindException e) {
      throw new InputException("--port: cannot listen on 127.0.0.1:" + settings.port()
          + " (is another server running there?)", e);
    } catch (ConflictException e) {
      throw new InputException(scenario.source() + ": " + e.getMessage(), e);
    }
  }

  /** Writes every tenant and its contract if the store has none; the fact line either way. */
  static String seedTenants(TenantStore tenants, Scenario scenario, Clock clock) {
    return ControlPlane.seedTenants(tenants, scenario, clock);
  }

  private static Path writeServerFile(Path dataDirectory, Database database, String url) {
    Path file = dataDirectory.resolve(StoreOptions.SERVER_FILE);
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    p.setProperty("jdbc", database.jdbcUrl());
    p.setProperty("url", url);
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (Writer w = Files.newBufferedWriter(file, StandardOpenOption.TRUNCATE_EXISTING)) {
        p.store(w, "written by superfactory serve while it runs; token create connects through it");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /** Who runs each site's jobs: simulated agents (at what speed), agents of their own, or both. */
  private static String agentsFact(Scenario scenario, ControlPlane.Settings settings) {
    List<String> simulated = new ArrayList<>();
    List<String> external = new ArrayList<>();
    scenario.fleet().sites().forEach(s -> (settings.simulates(s.name()) ? simulated : external).add(s.name()));
    double timeScale = settings.timeScale();
    String speed = "simulated agents run jobs at " + (timeScale == Math.rint(timeScale)
        ? Long.toString((long) timeScale) : Double.toString(timeScale)) + "× speed";
    if (external.isEmpty()) {
      return speed;
    }
    if (simulated.isEmpty()) {
      return "site agents run as their own processes";
    }
    return speed + " on " + simulated + "; the agents of " + external + " run as their own processes";
  }

  List<String> facts() {
    return facts;
  }

  /** The store's pool (tests). */
  javax.sql.DataSource dataSource() {
    return database.dataSource();
  }

  String url() {
    return "http://127.0.0.1:" + plane.api().port();
  }

  @Override
  public void close() {
    try {
      plane.close();
      if (serverFile != null) {
        Files.deleteIfExists(serverFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + serverFile, e);
    } finally {
      database.close();
      plane.api().metrics().close();
    }
  }
}
