package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.scenario.Presets;
import dev.superfactory.server.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code superfactory load} against {@code serve}'s code path ({@link LiveServer}) on a free port over
 * a real embedded PostgreSQL in a temp directory: the jobs it reports accepted are the rows in the
 * database, each clientId once, and its options fail in one line. Not a benchmark: 50 jobs/s for 2 s.
 */
class LoadCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path data;
  private static LiveServer server;

  @BeforeAll
  static void start() {
    StoreOptions store = new StoreOptions();
    store.data = data;
    server = LiveServer.start(Presets.load("fairwater"), store, 0, 3600, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void singleSubmitsForTwoSecondsAreAllAcceptedAndStoredOnceEach() throws Exception {
    long before = rows("SELECT count(*) FROM jobs");
    JsonNode report = load("--rate", "50", "--duration", "2", "--tenants", "2");
    assertThat(report.get("offeredJobs").asLong()).isEqualTo(100);
    assertThat(report.get("acceptedJobs").asLong()).isEqualTo(100);
    assertThat(rows("SELECT count(*) FROM jobs") - before).isEqualTo(report.get("acceptedJobs").asLong());
    assertThat(rows("SELECT count(*) - count(DISTINCT (tenant, client_id)) FROM jobs")).isZero();
    assertThat(rows("SELECT count(DISTINCT tenant) FROM jobs WHERE client_id LIKE 'load-%'")).isEqualTo(2);
    assertThat(report.get("refusedRequestsByStatus").size()).isZero();
    assertThat(report.get("notSentRequests").asLong()).isZero();
    assertThat(report.get("elapsedSeconds").asDouble()).isBetween(1.9, 10.0);
    JsonNode latency = report.get("latencyMillis");
    assertThat(latency.get("requests").asLong()).isEqualTo(100);
    assertThat(List.of(latency.get("p50").asDouble(), latency.get("p90").asDouble(), latency.get("p99").asDouble(),
        latency.get("max").asDouble())).isSorted().allSatisfy(ms -> assertThat(ms).isPositive());
  }

  @Test
  void batchesCountEveryJobOfTheirAnswers() throws Exception {
    long before = rows("SELECT count(*) FROM jobs");
    JsonNode report = load("--rate", "50", "--duration", "1", "--batch", "10");
    assertThat(report.get("offeredRequests").asLong()).isEqualTo(5);
    assertThat(report.get("acceptedJobs").asLong()).isEqualTo(50);
    assertThat(rows("SELECT count(*) FROM jobs") - before).isEqualTo(50);
    assertThat(report.get("batchJobs").asInt()).isEqualTo(10);
  }

  @Test
  void aWarmUpIsOfferedFirstAndKeptOutOfTheMeasuredFigures() throws Exception {
    long before = rows("SELECT count(*) FROM jobs");
    JsonNode report = load("--rate", "40", "--duration", "1", "--warmup", "0.5");
    assertThat(report.get("offeredJobs").asLong()).isEqualTo(40);
    assertThat(report.get("acceptedJobs").asLong()).isEqualTo(40);
    assertThat(report.get("latencyMillis").get("requests").asLong()).isEqualTo(40);
    JsonNode warmup = report.get("warmup");
    assertThat(warmup.get("seconds").asDouble()).isEqualTo(0.5);
    assertThat(warmup.get("offeredJobs").asLong()).isEqualTo(20);
    assertThat(warmup.get("acceptedJobs").asLong()).isEqualTo(20);
    assertThat(rows("SELECT count(*) FROM jobs") - before).isEqualTo(60);
    assertThat(rows("SELECT count(*) - count(DISTINCT (tenant, client_id)) FROM jobs")).isZero();
  }

  @Test
  void theTextReportNamesTheWarmUpOnItsFirstLine() {
    CliRun r = CliRun.of("load", "--url", server.url(), "--rate", "20", "--duration", "0.5", "--warmup", "0.5",
        "--data", data.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out().lines().findFirst()).contains(
        "warm-up: 10 of 10 jobs accepted in 0.5 s at the same rate (not counted below)");
    assertThat(r.out()).contains("accepted: 10 jobs");
  }

  @Test
  void theTextReportHasOneLinePerMeasureAndNoToken() {
    CliRun r = CliRun.of("load", "--url", server.url(), "--rate", "20", "--duration", "0.5", "--data", data.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out().lines().map(line -> line.replaceAll(":.*", ""))).containsExactly(
        "load", "accepted", "refused", "failed", "not sent (client saturated)", "submit latency per request");
    assertThat(r.out()).contains("accepted: 10 jobs", "refused: none", "failed: none").doesNotContain("sf_");
  }

  @Test
  void aClientWithOneRequestInFlightCountsWhatItCouldNotSend() throws Exception {
    JsonNode report = load("--rate", "2000", "--duration", "0.5", "--in-flight", "1");
    long offered = report.get("offeredRequests").asLong();
    assertThat(report.get("notSentRequests").asLong()).isPositive();
    assertThat(report.get("acceptedJobs").asLong() + report.get("notSentJobs").asLong()).isEqualTo(offered);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--rate 0|superfactory: --rate: must be greater than 0, got 0.0",
      "--duration -1|superfactory: --duration: must be greater than 0, got -1.0",
      "--batch 1001|superfactory: --batch: must be within 1..1000, got 1001",
      "--in-flight 0|superfactory: --in-flight: must be at least 1, got 0",
      "--warmup -2|superfactory: --warmup: must be 0 or more seconds, got -2.0",
      "--tenants 5|superfactory: --tenants: 5 asked for, but the store has 4 tenants [microsoft-ai, mistral, openai, xai]",
      "--tenants 2 --token sf_x|superfactory: --token: one token is one tenant; leave out --tenants 2 or --token",
      "--rate ten|superfactory: --rate: 'ten' is not a number (see 'superfactory load --help')"})
  void aBadOptionIsOneLineWithExitStatus2(String options, String message) {
    List<String> args = new java.util.ArrayList<>(List.of("load", "--url", server.url(), "--data", data.toString()));
    args.addAll(List.of(options.split(" ")));
    for (String required : List.of("--rate", "--duration")) {
      if (!args.contains(required)) {
        args.addAll(List.of(required, "1"));
      }
    }
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertThat(r.status()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err().lines().toList()).containsExactly(message);
  }

  @Test
  void aServerThatIsNotRunningIsOneLine() {
    CliRun r = CliRun.of("load", "--url", "http://127.0.0.1:1", "--rate", "10", "--duration", "1", "--token", "sf_x");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().lines().toList()).containsExactly("superfactory: --url: cannot reach the server at"
        + " http://127.0.0.1:1: connection refused (is 'superfactory serve' running?)");
  }

  private static JsonNode load(String... options) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("load", "--url", server.url(), "--data", data.toString(), "--json"));
    args.addAll(List.of(options));
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertThat(r.status()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private static long rows(String sql) throws Exception {
    StoreOptions store = new StoreOptions();
    store.data = data;
    try (Database db = store.openBesideServer(); Connection c = db.dataSource().getConnection();
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
