package dev.superfactory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.input.InputException;
import dev.superfactory.server.store.Database;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.server.store.TokenStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code superfactory load}: offers a running server a fixed rate of job submissions for a while
 * ({@link LoadRun}, open loop) and reports accepted jobs/s, refusals and submit latency. Tokens:
 * one per tenant for the first K tenants of the store (created beside the running server, like
 * {@code token create}; never printed), or {@code --token} for one tenant.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = {"Load-test a running server: submit jobs at a fixed rate and report accepted jobs/s and latency.",
        "Open loop: each request is sent at its due time whatever the answers to earlier ones, and its latency"
            + " runs from that due time (p50/p90/p99/max per request). Exit status 0 if the run happened, refusals"
            + " included."})
final class LoadCommand implements Callable<Integer> {
  /** ASSUMPTION: tokens of the load tool live one day; they are never printed. */
  private static final Duration TOKEN_LIFETIME = Duration.ofDays(1);
  private static final int MAX_BATCH = 1_000;

  @Option(names = "--url", paramLabel = "URL", required = true, description = "The server, e.g. http://127.0.0.1:8080.")
  String url;

  @Option(names = "--rate", paramLabel = "R", required = true, description = "Offered jobs per second.")
  double jobsPerSecond;

  @Option(names = "--duration", paramLabel = "S", required = true, description = "Seconds to offer load for.")
  double durationSeconds;

  /** Why: the first seconds of a fresh server (and of this tool's own JVM) run interpreted, not JIT-compiled code. */
  @Option(names = "--warmup", paramLabel = "S", defaultValue = "0",
      description = "First offer the same load for S seconds, not counted in the report (JIT warm-up of the"
          + " server and of this tool). Default: ${DEFAULT-VALUE}.")
  double warmupSeconds;

  @Option(names = "--tenants", paramLabel = "K", defaultValue = "1",
      description = "Spread the jobs over the first K tenants of the store (a token each). Default: ${DEFAULT-VALUE}.")
  int tenants;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
      description = "Jobs per request: 1 is POST /v1/jobs, more is POST /v1/jobs/batch (up to 1000). Default: ${DEFAULT-VALUE}.")
  int batch;

  /** ASSUMPTION: 256 outstanding requests, well above rate × latency at 4,000 requests/s and 50 ms. */
  @Option(names = "--in-flight", paramLabel = "M", defaultValue = "256",
      description = "At most M requests outstanding; a request due while M are out is counted as not sent."
          + " Default: ${DEFAULT-VALUE}.")
  int inFlight;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the job mix. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Use this tenant token instead of creating one per tenant (then --tenants must be 1).")
  String token;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Mixin StoreOptions store;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    checkOptions();
    URI base = baseUri();
    checkReachable(base);
    String runId = Long.toString(System.currentTimeMillis(), 36) + Integer.toString(ThreadLocalRandom.current().nextInt(1296), 36);
    List<String> secrets = tokens();
    LoadReport.Warmup warmup = LoadReport.Warmup.NONE;
    if (warmupSeconds > 0) {
      LoadReport first = new LoadRun(new LoadRun.Plan(base, secrets, jobsPerSecond, warmupSeconds, batch, inFlight,
          seed + 1, runId + "w")).run();
      warmup = new LoadReport.Warmup(warmupSeconds, first.offeredJobs(), first.acceptedJobs());
    }
    LoadReport report = new LoadRun(new LoadRun.Plan(base, secrets, jobsPerSecond, durationSeconds, batch, inFlight,
        seed, runId)).run().after(warmup);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(report.json(new ObjectMapper()).toPrettyString());
    } else {
      out.println(report.text());
    }
    return 0;
  }

  private void checkOptions() {
    require(jobsPerSecond > 0 && Double.isFinite(jobsPerSecond), "--rate: must be greater than 0, got " + jobsPerSecond);
    require(durationSeconds > 0 && Double.isFinite(durationSeconds), "--duration: must be greater than 0, got " + durationSeconds);
    require(warmupSeconds >= 0 && Double.isFinite(warmupSeconds), "--warmup: must be 0 or more seconds, got "
        + warmupSeconds);
    require(warmupSeconds == 0 || warmupSeconds * jobsPerSecond >= batch, "--warmup: " + warmupSeconds
        + " s at --rate " + jobsPerSecond + " offers fewer jobs than one request of --batch " + batch);
    require(tenants >= 1, "--tenants: must be at least 1, got " + tenants);
    require(batch >= 1 && batch <= MAX_BATCH, "--batch: must be within 1.." + MAX_BATCH + ", got " + batch);
    require(inFlight >= 1, "--in-flight: must be at least 1, got " + inFlight);
    require(token == null || tenants == 1, "--token: one token is one tenant; leave out --tenants " + tenants
        + " or --token");
    require(durationSeconds * jobsPerSecond >= batch, "--duration: " + durationSeconds + " s at --rate " + jobsPerSecond
        + " offers fewer jobs than one request of --batch " + batch);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new InputException(message);
    }
  }

  private URI baseUri() {
    URI uri;
    try {
      uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new InputException("--url: '" + url + "' is not a URL (" + e.getMessage() + ")", e);
    }
    require("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()),
        "--url: '" + url + "' is not an http:// or https:// URL");
    return uri;
  }

  private static void checkReachable(URI base) throws InterruptedException {
    HttpRequest health = HttpRequest.newBuilder(base.resolve("/v1/health")).timeout(LoadRun.REQUEST_TIMEOUT).build();
    try {
      HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.discarding());
    } catch (ConnectException e) {
      throw new InputException("--url: cannot reach the server at " + base + ": connection refused"
          + " (is 'superfactory serve' running?)", e);
    } catch (IOException e) {
      throw new InputException("--url: cannot reach the server at " + base + ": " + e, e);
    }
  }

  /** The given token, or a new one-day token for each of the first K tenants of the store. */
  private List<String> tokens() {
    if (token != null) {
      return List.of(token.trim());
    }
    try (Database db = store.openBesideServer()) {
      List<String> names = new TenantStore(db.dataSource()).names();
      require(names.size() >= tenants, "--tenants: " + tenants + " asked for, but the store has " + names.size()
          + " tenants " + names);
      TokenStore tokenStore = new TokenStore(db.dataSource(), Clock.systemUTC());
      List<String> secrets = new ArrayList<>();
      for (String tenant : names.subList(0, tenants)) {
        secrets.add(tokenStore.create(Principal.tenant(tenant), TOKEN_LIFETIME, "superfactory load").secret());
      }
      return List.copyOf(secrets);
    }
  }
}
