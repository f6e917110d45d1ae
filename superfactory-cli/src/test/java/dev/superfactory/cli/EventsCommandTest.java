package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.scenario.Presets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code superfactory events [--since N] [--follow]} in-process against {@code serve}'s code path
 * ({@link LiveServer}) over a real embedded PostgreSQL, and that server's {@code /metrics}.
 */
class EventsCommandTest {

  @TempDir static Path data;
  private static LiveServer server;
  private static String openai;
  private static String xai;

  @BeforeAll
  static void start() {
    server = LiveServer.start(Presets.load("fairwater"), store(data), 0, 1, Clock.systemUTC());
    openai = token("--tenant", "openai");
    xai = token("--tenant", "xai");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void eventsPrintsOneLinePerEventOfTheCallersTenantFromSince() {
    // a day at real time: once running, the jobs write no more events during the test
    String id = client(openai, "submit", "--gpus", "8", "--seconds", "86400", "--client-id", "e1").out().replaceAll("\\D", "");
    String other = client(xai, "submit", "--gpus", "8", "--seconds", "86400", "--client-id", "x1").out().replaceAll("\\D", "");
    CliRun.awaitJobState(server.url(), openai, id, "running");
    CliRun.awaitJobState(server.url(), xai, other, "running");
    CliRun all = client(openai, "events");
    assertThat(all.status()).as(all.err()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain("xai"));
    String submitted = lines.stream().filter(l -> l.contains("job.submitted")).reduce((a, b) -> b).orElseThrow();
    assertThat(submitted).matches(eventLine("openai", id, "job.submitted"));

    assertThat(lines).anyMatch(line -> line.matches(eventLine("openai", id, "job.state") ) && line.contains("\"to\":\"running\""));

    long submittedSeq = Long.parseLong(submitted.strip().split(" +")[0]);
    List<String> after = lines.subList(lines.indexOf(submitted) + 1, lines.size());
    assertThat(client(openai, "events", "--since", Long.toString(submittedSeq)).out().lines().toList()).isEqualTo(after);
    assertThat(client(openai, "events", "--since", Long.toString(submittedSeq - 1)).out().lines().findFirst())
        .contains(submitted);
    long last = Long.parseLong(lines.get(lines.size() - 1).strip().split(" +")[0]);
    assertThat(client(openai, "events", "--since", Long.toString(last)).out()).isEmpty();
  }

  @Test
  void followWaitsForTheNextEventAndEndsWhenInterrupted() throws Exception {
    String last = client(openai, "events").out().lines().reduce((a, b) -> b).orElse("0");
    String since = last.strip().split(" +")[0];
    StringWriter out = new StringWriter();
    AtomicInteger status = new AtomicInteger(-1);
    Thread follower = new Thread(() -> status.set(Main.run(new String[] {"events", "--follow", "--since", since,
        "--url", server.url(), "--token", openai}, new PrintWriter(out), new PrintWriter(new StringWriter()))));
    follower.start();
    TimeUnit.MILLISECONDS.sleep(500);
    assertThat(out.toString()).isEmpty();
    String id = client(openai, "submit", "--gpus", "8", "--seconds", "60", "--client-id", "live-1").out().replaceAll("\\D", "");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!out.toString().contains("job.submitted") && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    follower.interrupt();
    follower.join(10_000);
    assertThat(follower.isAlive()).isFalse();
    assertThat(status.get()).isZero();
    List<String> seen = out.toString().lines().toList();
    assertThat(seen.get(0)).matches(eventLine("openai", id, "job.submitted")); // then the scheduler's events of the job
    assertThat(seen).allMatch(line -> line.matches(" *\\d+  \\S+  openai +" + id + "  .*"), "lines of job " + id);
  }

  @Test
  void theServersMetricsIncludeThePoolAndNeedAnOperatorToken() throws Exception {
    String operator = token("--operator");
    HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
        .header("Authorization", "Bearer " + operator).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("hikaricp_connections_max{pool=\"superfactory-store\"} 10", "jvm_memory_used_bytes",
        "superfactory_event_log_newest_seq", "superfactory_scheduler_pass_seconds_count",
        "superfactory_allocated_gpus_by_site{site=\"wisconsin\"}", "superfactory_pending_gpus_by_reason{reason=\"TENANT_LIMIT\"}",
        "superfactory_agent_heartbeat_age_seconds{site=\"atlanta\"}");
    // every pass is timed whole and deciding, each pass that wrote something committing too; the parts add up to no
    // more than the passes
    double passes = sample(scrape.body(), "superfactory_scheduler_pass_seconds_count");
    assertThat(passes).isPositive();
    assertThat(sample(scrape.body(), "superfactory_scheduler_pass_decide_seconds_count")).isEqualTo(passes);
    assertThat(sample(scrape.body(), "superfactory_scheduler_pass_commit_seconds_count")).isPositive()
        .isLessThanOrEqualTo(passes);
    assertThat(sample(scrape.body(), "superfactory_scheduler_pass_decide_seconds_sum")
        + sample(scrape.body(), "superfactory_scheduler_pass_commit_seconds_sum"))
        .isLessThanOrEqualTo(sample(scrape.body(), "superfactory_scheduler_pass_seconds_sum"));
    assertThat(server.facts()).contains("metrics: " + server.url() + "/metrics (Prometheus text format; operator token)");
  }

  /** The value of an unlabelled series in a Prometheus scrape. */
  private static double sample(String scrape, String series) {
    return scrape.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(line -> Double.parseDouble(
        line.substring(series.length() + 1))).findFirst().orElseThrow(() -> new AssertionError(series + " is not in the scrape"));
  }

  /** A line of {@code events}: seq, time to the second, then the padded columns, then a JSON payload. */
  private static String eventLine(String tenant, String job, String type) {
    return " *\\d+  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  "
        + java.util.regex.Pattern.quote(String.format("%-12s %5s  %-14s ", tenant, job, type)) + "\\{.*\\}";
  }

  private static StoreOptions store(Path dir) {
    StoreOptions store = new StoreOptions();
    store.data = dir;
    return store;
  }

  private static String token(String... who) {
    List<String> args = new java.util.ArrayList<>(List.of("token", "create"));
    args.addAll(List.of(who));
    args.addAll(List.of("--data", data.toString()));
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertThat(r.status()).as(r.err()).isZero();
    return r.out().strip();
  }

  private static CliRun client(String token, String... args) {
    return CliRun.client(server.url(), token, args);
  }
}
