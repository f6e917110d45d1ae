package dev.superfactory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.input.InputException;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.server.api.ApiServer;
import dev.superfactory.server.api.Scheduling;
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
 * 127.0.0.1, and the facts to print, one per line. Jobs are stored but not scheduled yet (the
 * scheduler thread is the next increment of issue 11). Costs: start is the database open (about
 * 1 s for an existing embedded data directory, 4–5 s for a new one) plus one transaction per
 * tenant on first start; {@link #close} stops the API, the pool and the embedded server.
 */
final class LiveServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private final ApiServer api;
  private final Path serverFile;
  private final List<String> facts;

  private LiveServer(Database database, ApiServer api, Path serverFile, List<String> facts) {
    this.database = database;
    this.api = api;
    this.serverFile = serverFile;
    this.facts = facts;
  }

  /** Opens the store, seeds it from {@code scenario} if it has no tenant yet, and starts the API on {@code port} (0: any free). */
  static LiveServer start(Scenario scenario, StoreOptions store, int port, Clock clock) {
    if (port < 0 || port > 65535) {
      throw new InputException("--port: " + port + " is not within 0..65535");
    }
    ServerMetrics metrics = ServerMetrics.create();
    Database database = store.open(metrics.registry());
    try {
      List<String> facts = new ArrayList<>();
      facts.add("data: " + database.description());
      facts.add(seedTenants(new TenantStore(database.dataSource()), scenario, clock));
      ApiServer api = startApi(database, clock, port, metrics);
      String url = "http://127.0.0.1:" + api.port();
      facts.add("api: " + url + "/v1 (OpenAPI document: " + url + "/v1/openapi.json)");
      facts.add("metrics: " + url + "/metrics (Prometheus text format; operator token)");
      facts.add("scheduling: not yet; jobs are stored and stay 'submitted' (the scheduler thread is the next increment)");
      Path serverFile = store.db == null ? writeServerFile(store.dataDirectory(), database, url) : null;
      return new LiveServer(database, api, serverFile, List.copyOf(facts));
    } catch (RuntimeException e) {
      database.close();
      metrics.close();
      throw e;
    }
  }

  private static ApiServer startApi(Database database, Clock clock, int port, ServerMetrics metrics) {
    try {
      return ApiServer.start(database.dataSource(), clock, port, Scheduling.NONE, metrics);
    } catch (JavalinBindException e) {
      throw new InputException("--port: cannot listen on 127.0.0.1:" + port + " (is another server running there?)", e);
    }
  }

  /** Writes every tenant and its contract if the store has none; the fact line either way. */
  static String seedTenants(TenantStore tenants, Scenario scenario, Clock clock) {
    List<String> existing = tenants.names();
    if (!existing.isEmpty()) {
      return "tenants: kept " + existing.size() + " from the database " + existing
          + "; the scenario's tenants are loaded on first start only";
    }
    List<String> loaded = new ArrayList<>();
    for (Tenant t : scenario.tenants()) {
      tenants.create(t.name(), t.displayName() == null ? t.name() : t.displayName());
      tenants.addContract(t.name(), terms(t), clock.instant());
      loaded.add(t.name());
    }
    return "tenants: loaded " + loaded.size() + " with their contracts from scenario " + scenario.name() + " " + loaded;
  }

  /** The contract as stored: the tenant's GPU limit and the scenario's contract record. */
  private static String terms(Tenant t) {
    ObjectNode terms = JSON.createObjectNode();
    terms.put("gpuLimit", t.gpuLimit());
    terms.set("contract", JSON.valueToTree(t.contract()));
    return terms.toString();
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

  List<String> facts() {
    return facts;
  }

  String url() {
    return "http://127.0.0.1:" + api.port();
  }

  @Override
  public void close() {
    try {
      api.close();
      if (serverFile != null) {
        Files.deleteIfExists(serverFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + serverFile, e);
    } finally {
      database.close();
      api.metrics().close();
    }
  }
}
