package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.scenario.Presets;
import dev.superfactory.server.live.LiveForecasts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forecast commands against {@code serve}'s code path on fairwater (real time, so nothing ends
 * during the test): OpenAI runs a 144,000-GPU gang for a day and queues a 72,000-GPU job, which its
 * 200,000-GPU limit holds back until the gang ends. {@code jobs --start}, {@code job},
 * {@code submit --dry-run} and {@code whatif} read the forecasts.
 */
class ForecastCommandsTest {
  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

  @TempDir static Path data;
  private static LiveServer server;
  private static String openai;
  private static String operator;
  private static String queued;

  @BeforeAll
  static void start() {
    server = LiveServer.start(Presets.load("fairwater"), store(data), 0, 1, false, LiveServer.PREPARE_TIMEOUT,
        java.util.Set.of(), new LiveForecasts.Settings(Duration.ofMillis(200), 8, Duration.ofDays(7), 2, 1, 0),
        Clock.systemUTC());
    openai = token("--tenant", "openai");
    operator = token("--operator");
    assertThat(client(openai, "submit", "--gpus", "144000", "--group", "72", "--span-sites", "--seconds", "86400")
        .status()).isZero();
    CliRun.awaitJobState(server.url(), openai, "1", "running");
    CliRun second = client(openai, "submit", "--gpus", "72000", "--group", "72", "--seconds", "7200");
    queued = second.out().replaceAll("\\D", "");
    CliRun.awaitJobState(server.url(), openai, queued, "queued");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void jobsStartListsTheQueuedJobWithItsForecastStartWhenTheGangEnds() throws Exception {
    String row = awaitForecastRow();
    assertThat(row).matches(" *" + queued + "  openai +queued +72000  " + TIME + "  (" + TIME + ") +(" + TIME + ")");
    Instant p50 = Instant.parse(row.trim().split(" +")[5]);
    Instant p90 = Instant.parse(row.trim().split(" +")[6]);
    assertThat(p50).as("no later than the gang's declared end, a day from now").isBefore(Instant.now().plus(Duration.ofDays(1)))
        .isAfter(Instant.now().plus(Duration.ofHours(4))); // the gang runs at least 0.3 of its day in any draw
    assertThat(p90).isAfterOrEqualTo(p50);
    CliRun jobs = client(openai, "jobs", "--start");
    assertThat(jobs.out().lines().findFirst().orElseThrow())
        .isEqualTo("   JOBID  TENANT           STATE        GPUS  SUBMITTED             START                 P90");
    assertThat(jobs.out()).as("queued jobs only").doesNotContain(" running ");

    CliRun job = client(openai, "job", queued);
    assertThat(job.out()).containsPattern("\nforecast start: " + TIME + " \\(p90 " + TIME + "; with declared run times "
        + TIME + "; as of " + TIME + "\\)\n");
  }

  @Test
  void aDryRunSubmitPrintsWhenTheJobWouldStartAndSubmitsNothing() {
    int before = client(openai, "jobs").out().lines().toList().size();
    CliRun dry = client(openai, "submit", "--gpus", "8", "--group", "8", "--seconds", "600", "--dry-run");
    assertThat(dry.status()).as(dry.err()).isZero();
    assertThat(dry.out()).matches("Dry run, nothing submitted: would start " + TIME + " \\(p90 " + TIME
        + "; with declared run times " + TIME + "\\)\\R(.*\\R)*");
    assertThat(client(openai, "jobs").out().lines().toList()).hasSize(before);
  }

  @Test
  void anOperatorsWhatIfOfBothSitesDownRequeuesTheGangAndPushesTheQueuedJobPastTheHorizon() {
    CliRun r = client(operator, "whatif", "--site-down", "wisconsin", "--site-down", "atlanta");
    assertThat(r.status()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).matches("as of " + TIME + ", 8 draws, horizon " + TIME + " \\(\\d+ ms\\)");
    assertThat(lines.subList(1, 5)).satisfiesExactly(
        l -> assertThat(l).isEqualTo("2 jobs move:"),
        l -> assertThat(l).isEqualTo("   JOBID  TENANT             GPUS  BEFORE                AFTER                 DELAY"),
        l -> assertThat(l).matches(" +1  openai +144000  running \\(requeued\\) +beyond " + TIME + " +-"),
        l -> assertThat(l).matches(" +" + queued + "  openai +72000  " + TIME + "  beyond " + TIME + " +-"));
    assertThat(lines.get(5)).isEqualTo(
        "  TENANT           QUEUED  LATER EARLIER  SAME   WAIT CHANGE     GPU-HOURS  REQUEUED  RESTARTED  REJECTED  PREEMPTIONS");
    assertThat(lines.get(6)).matches("  openai +1 +1 +0 +0 +0 +\\+0\\.0 +1 +0 +0 +0->0");
  }

  @Test
  void anOperatorsWhatIfOfTheGangsSiteDownRestartsItOnTheOtherSite() {
    String site = client(openai, "job", "1").out().lines().filter(l -> l.matches("  \\w+: .*")).findFirst().orElseThrow()
        .trim().split(":")[0];
    CliRun r = client(operator, "whatif", "--site-down", site);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("\nrestarted at once on other GPUs: job 1\n");
    assertThat(r.out().lines().filter(l -> l.startsWith("  openai ")).findFirst().orElseThrow())
        .as("openai: none requeued, one restarted").matches("  openai +\\d+ +\\d+ +\\d+ +\\d+ +\\S+ +\\S+ +0 +1 +0 +0->0");
  }

  @Test
  void aTenantsWhatIfOfAHypotheticalJobPrintsItsStart() {
    CliRun r = client(openai, "whatif", "--gpus", "72", "--group", "72", "--seconds", "3600", "--count", "2");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("hypothetical job 0 \\(openai, 72 GPUs\\): would start " + TIME + " \\(p90 " + TIME + "\\)")
        .contains("hypothetical job 1 (openai, 72 GPUs)");
  }

  @Test
  void badWhatIfsAreOneLineWithExitStatus2(@TempDir Path dir) throws Exception {
    client(openai, "whatif")
        .assertOneLineError("superfactory: whatif: give a change: --gpus and --seconds, --drain-domain, --site-down or --contract");
    client(openai, "whatif", "--gpus", "8")
        .assertOneLineError("superfactory: --seconds: a hypothetical job needs --gpus and --seconds");
    client(openai, "whatif", "--site-down", "atlanta")
        .assertOneLineError("superfactory: downSites in a what-if needs an operator token (HTTP 403 …)");
    Path bad = Files.writeString(dir.resolve("terms.json"), "{\"gpuLimit\": 1,\n oops}");
    client(operator, "whatif", "--contract", "xai=" + bad)
        .assertOneLineError("superfactory: --contract: " + bad + ":2: not JSON: …");
    client(operator, "whatif", "--contract", "xai")
        .assertOneLineError("superfactory: --contract: 'xai' is not TENANT=FILE");
  }

  /** The queued job's row of {@code jobs --start} once it has a forecast (10 s at most). */
  private static String awaitForecastRow() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      String row = client(openai, "jobs", "--start").out().lines().filter(l -> l.matches(" *" + queued + " .*"))
          .findFirst().orElseThrow();
      if (!row.endsWith(" -") || System.nanoTime() > deadline) {
        return row;
      }
      Thread.sleep(100);
    }
  }

  private static CliRun client(String token, String... args) {
    return CliRun.client(server.url(), token, args);
  }

  private static StoreOptions store(Path dir) {
    StoreOptions store = new StoreOptions();
    store.data = dir;
    return store;
  }

  private static String token(String... who) {
    String[] args = new String[who.length + 4];
    args[0] = "token";
    args[1] = "create";
    System.arraycopy(who, 0, args, 2, who.length);
    args[who.length + 2] = "--data";
    args[who.length + 3] = data.toString();
    CliRun r = CliRun.of(args);
    assertThat(r.status()).as(r.err()).isZero();
    return r.out().strip();
  }
}
