package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.server.ControlPlane;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 13 item 5: the dashboard at {@code /} in a real headless Chromium ({@link Chromium}) against a
 * real control plane ({@link LiveServer} over the embedded PostgreSQL, its simulated agents running jobs
 * in real time). A tenant submits through the page, sees why its job waits, sees it start and cancels it
 * from the job page; another tenant sees none of that tenant's jobs (not even on the WAN link an operator
 * sees them cross); an operator drains a domain from the heat map and sees its cell go drained, then
 * restores it. Fleet: east and west, each 4 domains of 8 GPUs (64 GPUs). Every wait is explicit and names
 * what it waits for; screenshots go to {@code target/screenshots/} (CI artifacts).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  /** Forecasts are refreshed every 10 s and the page every 5 s: 30 s covers both with room for a loaded machine. */
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long LONG_SECONDS = 86_400;

  @TempDir static Path data;
  private LiveServer server;
  private LiveHarness live;
  private Chromium chromium;
  private String operator;
  private String alpha;
  private String beta;

  @BeforeAll
  void start() {
    StoreOptions store = new StoreOptions();
    store.data = data;
    server = LiveServer.start(scenario(), store, new ControlPlane.Settings(0, 1, true, Duration.ofMillis(5),
        Duration.ofMillis(20), Duration.ofSeconds(30)), Clock.systemUTC());
    live = new LiveHarness(() -> server);
    operator = LiveHarness.token(data, "--operator");
    alpha = LiveHarness.token(data, "--tenant", "alpha");
    beta = LiveHarness.token(data, "--tenant", "beta");
    chromium = Chromium.start();
  }

  @Test
  void serveSaysWhereTheDashboardIs() {
    assertThat(server.facts()).contains("dashboard: " + server.url()
        + "/ (in a browser; log in with a token from 'superfactory token create')");
  }

  @AfterAll
  void stop() {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** Cancels every job a test left, so the next finds the fleet free, and checks the page logged no error. */
  @AfterEach
  void cleanUp() throws Exception {
    List<String> errors = chromium.consoleErrors();
    for (long job : live.numbers("SELECT id FROM jobs WHERE state NOT IN ('succeeded', 'failed', 'cancelled')")) {
      live.call("POST", "/v1/jobs/" + job + "/cancel", operator, null, true);
    }
    live.call("POST", "/v1/fleet/domains/7/restore", operator, null, true); // a failed drain test leaves none drained
    LiveHarness.await("every shard ended", WAIT, 20, () -> live.number("SELECT count(*) FROM shards WHERE state IN "
        + "('assigned', 'ready', 'running', 'stopping')") == 0);
    assertThat(errors).as("the browser console's errors").isEmpty();
  }

  @Test
  void aTenantSubmitsThroughThePageSeesWhyItWaitsSeesItStartAndCancelsIt() throws Exception {
    List<Long> blockers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      blockers.add(submit(beta, 8, false));
    }
    awaitRunning(beta, blockers);
    logIn(alpha, "tenant alpha");
    assertThat(chromium.driver().findElement(By.id("submit-panel")).isDisplayed()).isTrue();

    long job = submitThroughThePage("dash-train", 8, 600);
    seeItWaitInTheQueueWithItsReasonAndForecast(job);
    chromium.driver().findElement(By.cssSelector("#domain-0")).click();
    assertThat(chromium.driver().findElement(By.id("domain-actions")).isDisplayed()).as("domain actions for a tenant").isFalse();
    chromium.screenshot(SCREENSHOTS.resolve("dashboard-tenant-pending.png"));

    seeWhyItWaitsOnItsJobPage(job);
    live.call("POST", "/v1/jobs/" + blockers.get(0) + "/cancel", operator, null);
    seeItStartOnItsJobPageAndInTheQueue(job);
    cancelItFromItsJobPage(job);
    chromium.screenshot(SCREENSHOTS.resolve("dashboard-job.png"));
  }

  private void seeWhyItWaitsOnItsJobPage(long job) throws Exception {
    chromium.driver().findElement(By.cssSelector("#job-row-" + job + " a.job-link")).click();
    until("the job page of job " + job + " showing it queued", d -> "queued".equals(
        d.findElement(By.id("job-title")).getAttribute("data-state")));
    JsonNode pending = live.call("GET", "/v1/jobs/" + job, alpha, null);
    assertThat(fact("Why pending")).isEqualTo(pending.at("/pending/reason").asText() + ": " + pending.at("/pending/message").asText());
    assertThat(fact("Forecast start")).contains("p50 " + shown(pending.get("estimatedStart").asText()));
    chromium.screenshot(SCREENSHOTS.resolve("dashboard-job-pending.png"));
  }

  /** The job page, left open, follows the job to running; then the queue shows its placement and progress. */
  private void seeItStartOnItsJobPageAndInTheQueue(long job) throws Exception {
    until("the job page of job " + job + " showing it running (no reload)", d -> "running".equals(
        d.findElement(By.id("job-title")).getAttribute("data-state")));
    assertThat(fact("Why pending")).isEqualTo("—");
    assertThat(chromium.run("return performance.getEntriesByType('resource').map(e => e.name)"
        + ".filter(n => n.includes('/v1/events?since=') && n.includes('waitSeconds=25')).length + '';"))
        .as("long-polls of the event log the page made").isNotEqualTo("0");
    chromium.driver().findElement(By.linkText("← all jobs")).click();
    WebElement row = until("job " + job + " running with its placement", d -> {
      WebElement r = d.findElement(By.id("job-row-" + job));
      return "running".equals(r.getAttribute("data-state")) && text(r, ".placement").contains("GPUs in domain") ? r : null;
    });
    assertThat(text(row, ".placement")).isEqualTo(placementOf(job));
    assertThat(chromium.unreadable(row.findElement(By.cssSelector(".progress-cell")))).as("progress").isEmpty();
  }

  private void cancelItFromItsJobPage(long job) throws Exception {
    chromium.driver().findElement(By.cssSelector("#job-row-" + job + " a.job-link")).click();
    until("the job page of job " + job + " showing it running", d -> "running".equals(
        d.findElement(By.id("job-title")).getAttribute("data-state")));
    assertThat(timeline()).as("job %d's timeline", job).contains("job.submitted", "run.started")
        .filteredOn("job.state"::equals).hasSizeGreaterThanOrEqualTo(3);
    chromium.driver().findElement(By.id("job-cancel")).click();
    until("the job page of job " + job + " showing it cancelled", d -> "cancelled".equals(
        d.findElement(By.id("job-title")).getAttribute("data-state")));
    until("the timeline to end with the cancel", d -> d.findElement(By.cssSelector("#job-timeline li:last-child"))
        .getText().contains("→ cancelled"));
    assertThat(live.call("GET", "/v1/jobs/" + job, alpha, null).get("state").asText()).isEqualTo("cancelled");
    assertThat(chromium.driver().findElement(By.id("job-cancel")).isDisplayed()).as("cancel of a cancelled job").isFalse();
    assertThat(chromium.unreadable(chromium.driver().findElement(By.id("job-title")))).isEmpty();
  }

  @Test
  void anotherTenantSeesNoneOfTheFirstTenantsJobsNotEvenOnTheWanLinkTheyCross() throws Exception {
    long gang = submit(alpha, 40, true);
    long alphaLocal = submit(alpha, 16, false);
    long betaRunning = submit(beta, 8, false);
    awaitRunning(alpha, List.of(gang, alphaLocal));
    awaitRunning(beta, List.of(betaRunning));
    long alphaWaiting = submit(alpha, 16, false);
    long betaWaiting = submit(beta, 16, false);
    Set<String> alphas = Set.of(Long.toString(gang), Long.toString(alphaLocal), Long.toString(alphaWaiting));

    logIn(operator, "operator");
    until("the operator to see alpha's gang " + gang + " on the east-west link", d -> d.findElements(
        By.cssSelector("#wan .wan-jobs a[href='#job/" + gang + "']")).size() == 1);
    until("the operator to see every active job", d -> shownJobs(d).containsAll(alphas));
    logOut();

    logIn(beta, "tenant beta");
    until("beta's own jobs in its queue", d -> shownJobs(d).equals(Set.of(Long.toString(betaRunning),
        Long.toString(betaWaiting))));
    until("beta's contract and money rows", d -> rowsOf(d, "#contracts").equals(List.of("beta"))
        && rowsOf(d, "#money").equals(List.of("beta")));
    WebDriver page = chromium.driver();
    assertThat(page.findElements(By.cssSelector("#contracts tbody tr[data-tenant=beta] td")).stream().map(WebElement::getText))
        .as("beta's contract: tenant, limit, reserved, held, borrowed, lent").containsExactly("beta", "64", "0", "8", "8", "—");
    assertThat(page.findElement(By.cssSelector("#wan .wan-jobs")).getText()).as("the WAN link's jobs for beta").isEqualTo("—");
    assertThat(page.findElements(By.cssSelector("a[href^='#job/']")).stream().map(a -> a.getAttribute("href")
        .replaceAll(".*#job/", "")).collect(Collectors.toSet())).as("every job linked on beta's page").doesNotContainAnyElementsOf(alphas);
    assertThat(page.findElements(By.cssSelector("[data-tenant]")).stream().map(e -> e.getAttribute("data-tenant")))
        .as("tenants named on beta's page").containsOnly("beta");
    chromium.screenshot(SCREENSHOTS.resolve("dashboard-other-tenant.png"));

    page.navigate().to(url() + "#job/" + gang);
    until("beta's page to refuse alpha's job " + gang, d -> d.findElement(By.id("error")).isDisplayed()
        && d.findElement(By.id("error")).getText().contains("no job " + gang));
    assertThat(page.findElement(By.id("job-facts")).getText()).doesNotContain("alpha");
    logOut(); // no more refreshes of that job page
    assertThat(chromium.consoleErrors()).as("the browser's errors: 404s of alpha's job only").isNotEmpty()
        .allSatisfy(e -> assertThat(e).contains("/v1/jobs/" + gang + " ", "404"));
  }

  @Test
  void aWrongTokenIsRefusedWithTheApisReasonAndShowsNothing() {
    openLoggedOut();
    type("token", "not-a-token");
    chromium.driver().findElement(By.id("login-button")).click();
    until("the page to refuse the token", d -> d.findElement(By.id("error")).getText()
        .equals("login: the token is unknown, expired or revoked"));
    assertThat(chromium.driver().findElement(By.id("app")).isDisplayed()).as("the panels").isFalse();
    assertThat(chromium.run("return sessionStorage.length + '';")).as("tokens kept").isEqualTo("0");
    assertThat(chromium.consoleErrors()).singleElement().asString().contains("/v1/me", "401");
  }

  @Test
  void anOperatorDrainsADomainFromTheHeatMapSeesItGoDownAndRestoresIt() throws Exception {
    logIn(operator, "operator");
    // the page redraws its cells on every refresh: each read finds the cell afresh, a stale one is read again
    String title = until("domain 7's cell, free", d -> {
      WebElement c = d.findElement(By.id("domain-7"));
      return "free".equals(c.getAttribute("data-state")) ? c.getAttribute("title") : null;
    });
    assertThat(chromium.driver().findElements(By.cssSelector("#heatmap .cell"))).as("one cell per domain").hasSize(8);
    assertThat(title).isEqualTo("domain 7 (west-b-1, h100): 8 GPUs, 8 free, 0 busy, 0 down");
    until("a click on domain 7's cell", d -> {
      d.findElement(By.id("domain-7")).click();
      return true;
    });
    until("the domain actions for domain 7", d -> d.findElement(By.id("domain-actions")).isDisplayed()
        && d.findElement(By.id("domain-selected")).getText().startsWith("domain 7 "));
    chromium.driver().findElement(By.cssSelector("#domain-actions [data-action=drain]")).click();
    List<String> drained = until("domain 7's cell drained", d -> {
      WebElement c = d.findElement(By.id("domain-7"));
      return "drained".equals(c.getAttribute("data-state"))
          ? List.of(c.getCssValue("background-color"), c.getAttribute("title"), chromium.unreadable(c)) : null;
    });
    assertThat(drained.get(0)).isEqualTo("rgba(93, 102, 112, 1)");
    assertThat(drained.get(1)).contains("8 down", "drained");
    JsonNode domain = live.call("GET", "/v1/fleet", operator, null).at("/sites/1/blocks/0/domains/3");
    assertThat(domain.get("domain").asInt()).isEqualTo(7);
    assertThat(domain.get("drained").asBoolean()).isTrue();
    assertThat(drained.get(2)).as("domain 7's cell").isEmpty();
    chromium.screenshot(SCREENSHOTS.resolve("dashboard-operator-drained.png"));

    chromium.driver().findElement(By.cssSelector("#domain-actions [data-action=restore]")).click();
    until("domain 7's cell free again", d -> "free".equals(d.findElement(By.id("domain-7")).getAttribute("data-state")));
    assertThat(live.call("GET", "/v1/fleet", operator, null).at("/sites/1/blocks/0/domains/3/drained").asBoolean()).isFalse();
  }

  private URI url() {
    return URI.create(server.url() + "/");
  }

  /** Opens the page afresh (no token kept), logs in with {@code token} and waits until it says who that is. */
  private void logIn(String token, String who) {
    openLoggedOut();
    until("the login form", d -> d.findElement(By.id("token")).isDisplayed());
    type("token", token);
    chromium.driver().findElement(By.id("login-button")).click();
    until("the page to say it is logged in as " + who, d -> d.findElement(By.id("who")).getText().equals(who));
  }

  /** Opens the page with no token kept (a page logged in already would log in again on load). */
  private void openLoggedOut() {
    if (chromium.driver().getCurrentUrl().startsWith(server.url())) {
      chromium.run("sessionStorage.clear(); return '';");
    }
    chromium.open(url());
  }

  private void logOut() {
    chromium.driver().findElement(By.id("logout")).click();
    until("the login form again", d -> d.findElement(By.id("token")).isDisplayed());
  }

  private void type(String id, String text) {
    WebElement input = chromium.driver().findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  /** Waits (explicitly, up to {@link #WAIT}) until {@code condition} gives a non-null, non-false value; fails naming {@code what}. */
  private <T> T until(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(chromium.driver(), WAIT).withMessage(() -> "waiting for " + what + "; the page: " + pageState())
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
  }

  /** Where the page is, for a failed wait's message: its address, load state, error line and first text. */
  private String pageState() {
    try {
      return chromium.run("const e = document.getElementById('error'); return location.href + ' (' + document.readyState"
          + " + '), error: ' + (e && !e.hidden ? e.textContent : 'none') + ', text: '"
          + " + (document.body ? document.body.innerText.slice(0, 300).replace(/\\s+/g, ' ') : '')");
    } catch (RuntimeException e) {
      return "unknown (" + e.getMessage().lines().findFirst().orElse("") + ")";
    }
  }

  /** Fills the submit form and submits; returns the id the page says it got. */
  private long submitThroughThePage(String name, int gpus, long seconds) {
    type("submit-name", name);
    type("submit-gpus", Integer.toString(gpus));
    type("submit-duration", Long.toString(seconds));
    chromium.driver().findElement(By.id("submit-button")).click();
    return Long.parseLong(until("the page to say which job it submitted",
        d -> d.findElement(By.id("submit-result")).getAttribute("data-job")));
  }

  /**
   * Waits for the job's row in the queue with the kernel's reason and a forecast start (forecasts are
   * made every 10 s), then checks them against the API's view, and that each is readable.
   */
  private void seeItWaitInTheQueueWithItsReasonAndForecast(long job) throws Exception {
    WebElement row = until("job " + job + " in alpha's queue with a reason and a forecast start", d -> {
      WebElement r = d.findElement(By.id("job-row-" + job));
      return "queued".equals(r.getAttribute("data-state")) && !text(r, ".reason").equals("—")
          && !text(r, ".forecast").equals("—") ? r : null;
    });
    JsonNode api = live.call("GET", "/v1/jobs/" + job, alpha, null);
    assertThat(api.get("pending")).as("the API's pending view of job %d", job).isNotNull();
    assertThat(text(row, ".reason")).isEqualTo(api.at("/pending/reason").asText());
    assertThat(row.findElement(By.cssSelector(".reason")).getAttribute("title")).isEqualTo(api.at("/pending/message").asText());
    assertThat(text(row, ".position")).isEqualTo("1 of 1");
    // the blockers are declared to run a day, but the forecast draws failures too: its p50 may come sooner
    assertThat(text(row, ".forecast")).matches("in \\d+(\\.\\d)? (s|min|h|d)");
    assertThat(row.findElement(By.cssSelector(".forecast")).getAttribute("title"))
        .startsWith("p50 " + shown(api.get("estimatedStart").asText())).contains(", p90 " + shown(api.at("/forecast/p90").asText()));
    assertThat(row.findElement(By.cssSelector("a.job-link")).getText()).contains("#" + job, "dash-train");
    for (String cell : List.of(".reason", ".position", ".forecast", "a.job-link")) {
      assertThat(chromium.unreadable(row.findElement(By.cssSelector(cell)))).as("alpha's pending row's %s", cell).isEmpty();
    }
    assertThat(chromium.unreadable(chromium.driver().findElement(By.id("who")))).as("who is logged in").isEmpty();
  }

  /** An instant as the page prints it: "2026-12-01 05:00:00Z". */
  private static String shown(String instant) {
    return java.time.Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace('T', ' ');
  }

  /** The value the job page shows for {@code name}. */
  private String fact(String name) {
    return chromium.driver().findElement(By.cssSelector("#job-facts dd[data-fact='" + name + "']")).getText();
  }

  private static String text(WebElement row, String cell) {
    return row.findElement(By.cssSelector(cell)).getText();
  }

  /** The ids of the job rows in the queues panel. */
  private static Set<String> shownJobs(WebDriver d) {
    return d.findElements(By.cssSelector("#queues .job-row")).stream().map(r -> r.getAttribute("data-job"))
        .collect(Collectors.toSet());
  }

  private static List<String> rowsOf(WebDriver d, String table) {
    return d.findElements(By.cssSelector(table + " tbody tr[data-tenant]")).stream().map(r -> r.getAttribute("data-tenant")).toList();
  }

  private List<String> timeline() {
    return chromium.driver().findElements(By.cssSelector("#job-timeline li")).stream().map(li -> li.getAttribute("data-type")).toList();
  }

  /** The placement of the job's newest run as the page should print it, from the API. */
  private String placementOf(long job) throws Exception {
    List<String> shards = new ArrayList<>();
    for (JsonNode s : live.call("GET", "/v1/jobs/" + job, operator, null).get("run").get("shards")) {
      List<String> domains = new ArrayList<>();
      s.get("placement").get("domains").forEach(d -> domains.add(d.get(0).asText()));
      shards.add(s.get("site").asText() + ": " + s.get("placement").get("gpus").asInt() + " GPUs in domain"
          + (domains.size() > 1 ? "s " : " ") + String.join(", ", domains));
    }
    return String.join("; ", shards);
  }

  private long submit(String token, int gpus, boolean spanSites) throws Exception {
    return live.call("POST", "/v1/jobs", token, "{\"gpus\":" + gpus + ",\"scaleUpGroup\":8,\"spanSites\":" + spanSites
        + ",\"durationSeconds\":" + LONG_SECONDS + "}").get("id").asLong();
  }

  private void awaitRunning(String token, List<Long> jobs) {
    LiveHarness.await("jobs " + jobs + " running", WAIT, 20, () -> jobs.stream().allMatch(job -> {
      try {
        return live.call("GET", "/v1/jobs/" + job, token, null).get("state").asText().equals("running");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }));
  }

  private static Scenario scenario() {
    return TwoSmallSites.scenario("dashboard", "{name: alpha, gpuLimit: 64}", "{name: beta, gpuLimit: 64}");
  }
}
