package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.input.InputException;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}'s code path ({@link LiveServer}) on a free port over a real embedded PostgreSQL in a
 * temp directory, driven by the real client commands in-process: tokens created beside the running
 * server, submit, idempotent retry, list, get, cancel, an operator's cordon/drain of a domain, tenant
 * isolation, bad token, server down,
 * and the tenants loaded on first start only. Every server started here is closed here.
 */
class LiveServiceTest {
  private static final Scenario FAIRWATER = Presets.load("fairwater");

  @TempDir static Path sharedData;
  private static LiveServer server;
  private static String openai;
  private static String xai;

  @BeforeAll
  static void start() {
    server = LiveServer.start(FAIRWATER, store(sharedData), 0, 3600, Clock.systemUTC());
    openai = token("openai", sharedData);
    xai = token("xai", sharedData);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void tokenCreatePrintsOnlyTheTokenAndWorksBesideTheRunningServer() {
    assertThat(openai).matches("sf_[A-Za-z0-9_-]{43}");
    assertThat(Files.exists(sharedData.resolve(StoreOptions.SERVER_FILE))).isTrue();
    CliRun unknown = CliRun.of("token", "create", "--tenant", "nobody", "--data", sharedData.toString());
    assertOneLineError(unknown, "superfactory: --tenant nobody: no such tenant; the tenants are [microsoft-ai, mistral, openai, xai]");
  }

  @Test
  void aServeOptionOutOfRangeIsOneLineBeforeAnythingStarts(@TempDir Path data) {
    assertOneLineError(CliRun.of("serve", "--prepare-timeout", "0", "--data", data.toString()),
        "superfactory: --prepare-timeout: 0.0 is not a positive number of seconds");
    assertOneLineError(CliRun.of("serve", "--time-scale", "-1", "--port", "0", "--data", data.toString()),
        "superfactory: --time-scale: -1.0 is not a positive number");
    assertOneLineError(CliRun.of("serve", "--external-agents", "wisconsin,mars", "--port", "0", "--data", data.toString()),
        "superfactory: --external-agents: no site 'mars' in the scenario; the sites are [atlanta, wisconsin]");
    assertThat(data.resolve(StoreOptions.SERVER_FILE)).doesNotExist();
  }

  @Test
  void aSiteWithAnExternalAgentGetsNoSimulatedOneAndItsJobsWaitForTheirAgent(@TempDir Path data) {
    try (LiveServer server = LiveServer.start(FAIRWATER, store(data), 0, 3600, false, LiveServer.PREPARE_TIMEOUT,
        java.util.Set.of("wisconsin"), dev.superfactory.server.live.LiveForecasts.Settings.defaults(), Clock.systemUTC())) {
      assertThat(server.facts()).anyMatch(f -> f.startsWith("scheduling: fifo-backfill on ") && f.endsWith(
          "; simulated agents run jobs at 3600× speed on [atlanta]; the agents of [wisconsin] run as their own processes"));
      String openaiHere = token("openai", data);
      // wisconsin is the larger site: a one-site job is placed there and no simulated agent starts it
      assertThat(CliRun.of("submit", "--url", server.url(), "--token", openaiHere, "--gpus", "72", "--seconds", "3600")
          .status()).isZero();
      CliRun.awaitJobState(server.url(), openaiHere, "1", "admitted");
      CliRun job = CliRun.of("job", "1", "--url", server.url(), "--token", openaiHere);
      assertThat(job.out()).containsPattern("\nrun 1 \\(attempt 1, placed \\S+\\): starting\n  (wisconsin|atlanta): assigned, 72 GPUs in domain \\d+\n");
      assertThat(job.out()).as("placed on the site without a simulated agent").contains("  wisconsin: assigned");
      try {
        Thread.sleep(1500); // an hour at 3600× is a second: a simulated agent would have finished it
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      assertThat(CliRun.of("job", "1", "--url", server.url(), "--token", openaiHere).out()).contains("state: admitted");
    }
  }

  @Test
  void submitRetryListGetAndCancelThroughTheClient() {
    // 60 days at 3600× is 24 minutes: the job holds its GPUs for the whole test
    CliRun first = client(openai, "submit", "--gpus", "144", "--group", "72", "--seconds", "5184000", "--client-id", "train-1");
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out()).matches("Submitted job \\d+ \\(submitted\\)\\R");
    String id = first.out().replaceAll("\\D", "");

    CliRun retry = client(openai, "submit", "--gpus", "144", "--group", "72", "--seconds", "5184000", "--client-id", "train-1");
    assertThat(retry.out()).matches("Job " + id + " exists already with client id train-1 \\((submitted|queued|admitted|running)\\)\\R");
    CliRun.awaitJobState(server.url(), openai, id, "running");

    CliRun jobs = client(openai, "jobs");
    assertThat(jobs.out().lines().findFirst().orElseThrow()).isEqualTo("   JOBID  TENANT           STATE        GPUS  SUBMITTED");
    assertThat(jobs.out().lines().filter(line -> line.matches(" *" + id + " .*")).toList()).singleElement().asString()
        .matches(" *" + id + "  openai +running +144  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(client(openai, "job", id).out()).contains("job " + id + "  tenant openai  client id train-1",
        "state: running (version 4)", "gpus: 144 in groups of 72, one site", "run time: 5184000 s");

    assertThat(client(openai, "cancel", id).out()).isEqualTo("Cancelled job " + id + " (cancelled)" + System.lineSeparator());
    assertThat(client(openai, "jobs", "--state", "cancelled").out()).contains(" " + id + "  openai ");
    assertOneLineError(client(openai, "cancel", id),
        "superfactory: job " + id + " is cancelled and cannot be cancelled (HTTP 409 Conflicting state)");
  }

  @Test
  void aTenantCannotSeeOrCancelAnotherTenantsJob() {
    CliRun mine = client(openai, "submit", "--gpus", "8", "--seconds", "60"); // 60 s at 3600× is 17 ms
    String id = mine.out().replaceAll("\\D", "");
    CliRun.awaitJobState(server.url(), openai, id, "succeeded");
    assertThat(client(xai, "jobs").out()).doesNotContain("openai");
    assertOneLineError(client(xai, "job", id), "superfactory: no job " + id + " (HTTP 404 Not found)");
    assertOneLineError(client(xai, "cancel", id), "superfactory: no job " + id + " (HTTP 404 Not found)");
    assertThat(client(openai, "job", id).out()).contains("state: succeeded (version 5)");
  }

  @Test
  void aBadTokenOrABadSpecIsOneLineWithExitStatus2() {
    assertOneLineError(client("sf_not-a-token", "jobs"),
        "superfactory: Authorization: the token is unknown, expired or revoked (HTTP 401 …)");
    assertOneLineError(client(openai, "submit", "--gpus", "100", "--group", "72", "--seconds", "60"),
        "superfactory: gpus: gpus=100 is not a multiple of scaleUpGroup=72 (HTTP 400 …)");
  }

  @Test
  void theTenantsAreLoadedOnFirstStartOnlyAndAStoppedServerIsOneLine(@TempDir Path data) {
    String url;
    try (LiveServer first = LiveServer.start(FAIRWATER, store(data), 0, 3600, Clock.systemUTC())) {
      assertThat(first.facts()).contains(
          "tenants: loaded 4 with their contracts from scenario fairwater [openai, microsoft-ai, xai, mistral]",
          "state: new (no committed pass to replay)");
      url = first.url();
      String openaiHere = token("openai", data);
      assertThat(CliRun.of("submit", "--url", url, "--token", openaiHere, "--gpus", "8", "--seconds", "3600000")
          .status()).isZero(); // 1,000 s at 3600×: still live when the second server starts
      CliRun.awaitJobState(url, openaiHere, "1", "running");
    }
    assertThat(Files.exists(data.resolve(StoreOptions.SERVER_FILE))).isFalse();
    assertOneLineError(CliRun.of("jobs", "--url", url, "--token", openai), "superfactory: cannot reach the server at "
        + url + ": connection refused (is 'superfactory serve' running? set --url or SUPERFACTORY_URL)");
    String token = token("mistral", data); // no server: token create opens the data directory itself
    try (LiveServer second = LiveServer.start(FAIRWATER, store(data), 0, 3600, Clock.systemUTC())) {
      assertThat(second.facts()).contains("tenants: kept 4 from the database [microsoft-ai, mistral, openai, xai];"
          + " the scenario's tenants are loaded on first start only");
      assertThat(second.facts()).anyMatch(f -> f.startsWith("scheduling: fifo-backfill on ") && f.contains("(term 2)"));
      assertThat(second.facts()).anyMatch(f -> f.matches("state: rebuilt from \\d+ committed pass(es)? in \\d+\\.\\d s; 1 live job"));
      assertThat(CliRun.of("jobs", "--url", second.url(), "--token", token).status()).isZero();
    }
    assertThatThrownBy(() -> LiveServer.start(Presets.load("single-site"), store(data), 0, 3600, Clock.systemUTC()))
        .isInstanceOf(InputException.class).hasMessageContaining("this database was built on another fleet");
  }

  @Test
  void anOperatorTokenSeesEveryTenantsJobsAndSubmitsNone() {
    client(openai, "submit", "--gpus", "8", "--seconds", "60", "--client-id", "op-a");
    client(xai, "submit", "--gpus", "8", "--seconds", "60", "--client-id", "op-b");
    CliRun create = CliRun.of("token", "create", "--operator", "--days", "1", "--data", sharedData.toString());
    String operator = create.out().strip();
    assertThat(client(operator, "jobs").out()).contains(" openai ", " xai ");
    assertOneLineError(client(operator, "submit", "--gpus", "8", "--seconds", "60"),
        "superfactory: an operator token cannot submit jobs: a job belongs to a tenant (HTTP 403 …)");
  }

  @Test
  void noTokenIsOneLineNamingTheOptionTheVariableAndTheFile(@TempDir Path config) {
    assertOneLineError(CliRun.withEnv(Map.of("XDG_CONFIG_HOME", config.toString()), "jobs", "--url", server.url()),
        "superfactory: --token: no token; give --token, set SUPERFACTORY_TOKEN or put 'token:' in "
            + config.resolve("superfactory/client.yaml") + " (create one with 'superfactory token create --tenant NAME --save')");
  }

  @Test
  void tokenCreateSaveWritesAnOwnerOnlyConfigFileThatTheClientUsesWithNoVariables(@TempDir Path config) throws Exception {
    Map<String, String> env = Map.of("XDG_CONFIG_HOME", config.toString());
    Path file = config.resolve("superfactory/client.yaml");
    CliRun save = CliRun.withEnv(env, "token", "create", "--tenant", "xai", "--save", "--data", sharedData.toString());
    assertThat(save.status()).as(save.err()).isZero();
    assertThat(save.out()).isEqualTo("Saved a token for the tenant xai and " + server.url() + " in " + file + System.lineSeparator());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).matches("url: \"" + java.util.regex.Pattern.quote(server.url()) + "\"\ntoken: \"sf_[A-Za-z0-9_-]{43}\"\n");

    CliRun submit = CliRun.withEnv(env, "submit", "--gpus", "8", "--seconds", "60", "--client-id", "from-config");
    assertThat(submit.status()).as(submit.err()).isZero();
    assertThat(submit.err()).isEmpty();
    String id = submit.out().replaceAll("\\D", "");
    assertThat(CliRun.withEnv(env, "job", id).out()).contains("tenant xai  client id from-config");
  }

  @Test
  void anAgentTokenNeedsASiteOfTheFleetAndIsRefusedOnTheJobRoutes() {
    assertOneLineError(CliRun.of("token", "create", "--agent", "nowhere", "--data", sharedData.toString()),
        "superfactory: --agent nowhere: no such site; the sites are [atlanta, wisconsin]");
    CliRun agent = CliRun.of("token", "create", "--agent", "atlanta", "--data", sharedData.toString());
    assertThat(agent.status()).as(agent.err()).isZero();
    assertOneLineError(client(agent.out().strip(), "jobs"), "superfactory: agent of site atlanta may call only"
        + " the agent routes under /v1/agents/atlanta/ (HTTP 403 Not allowed for this role)");
  }

  @Test
  void anOperatorCordonsDrainsAndRestoresADomainInOneLineEach() {
    String operator = CliRun.of("token", "create", "--operator", "--days", "1", "--data", sharedData.toString()).out().strip();
    assertThat(client(operator, "cordon", "7").out()).isEqualTo("Cordoned domain 7: no new jobs; its jobs run to their end"
        + System.lineSeparator());
    assertThat(client(operator, "cordon", "7").out()).isEqualTo("Domain 7 was already cordoned" + System.lineSeparator());
    assertThat(client(operator, "drain", "7").out()).isEqualTo("Drained domain 7: its jobs restart elsewhere or queue again"
        + System.lineSeparator());
    assertThat(client(operator, "uncordon", "7").out()).isEqualTo("Uncordoned domain 7" + System.lineSeparator());
    assertThat(client(operator, "uncordon", "7").out()).isEqualTo("Domain 7 was not cordoned" + System.lineSeparator());
    assertThat(client(operator, "restore", "7").out()).isEqualTo("Restored domain 7" + System.lineSeparator());
    assertThat(client(operator, "restore", "7").out()).isEqualTo("Domain 7 was not drained" + System.lineSeparator());
    assertOneLineError(client(openai, "cordon", "7"),
        "superfactory: cordoning a domain needs an operator token (HTTP 403 …)");
    assertOneLineError(client(operator, "uncordon", "99999"),
        "superfactory: domain 99999 is not in the fleet (its domains are 0..…) (HTTP 404 Not found)");
    assertOneLineError(client(operator, "drain", "-1"), "superfactory: DOMAIN: must be 0 or more, got -1");
  }

  @Test
  void aServerFileOfAProcessThatHasEndedIsIgnored(@TempDir Path data) throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Files.writeString(data.resolve(StoreOptions.SERVER_FILE),
        "pid=" + ended.pid() + "\njdbc=jdbc:postgresql://127.0.0.1:1/postgres?user=postgres\n");
    assertThat(StoreOptions.runningServerJdbcUrl(data)).isEmpty();
    Files.writeString(data.resolve(StoreOptions.SERVER_FILE),
        "pid=" + ProcessHandle.current().pid() + "\njdbc=jdbc:postgresql://127.0.0.1:1/postgres?user=postgres\n");
    assertThat(StoreOptions.runningServerJdbcUrl(data)).contains("jdbc:postgresql://127.0.0.1:1/postgres?user=postgres");
  }

  @Test
  void serveRefusesABadPortInOneLine() {
    assertOneLineError(CliRun.of("serve", "--port", "70000"), "superfactory: --port: 70000 is not within 0..65535");
  }

  private static StoreOptions store(Path data) {
    StoreOptions store = new StoreOptions();
    store.data = data;
    return store;
  }

  private static String token(String tenant, Path data) {
    CliRun r = CliRun.of("token", "create", "--tenant", tenant, "--data", data.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).hasSize(1);
    return r.out().strip();
  }

  private static CliRun client(String token, String... args) {
    return CliRun.client(server.url(), token, args);
  }

  /** Exit status 2 and one line on stderr equal to {@code expected}, where "…" matches any text. */
  private static void assertOneLineError(CliRun r, String expected) {
    r.assertOneLineError(expected);
  }
}
