package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.server.ControlPlane;
import dev.superfactory.server.store.Database;
import dev.superfactory.server.store.DatabaseLocation;
import dev.superfactory.server.store.SchedulerStore;
import dev.superfactory.server.store.TenantStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live control plane killed with {@code kill -9} again and again while clients submit and
 * cancel jobs over HTTP (issue 11, "a crash test in CI"). Each incarnation is a child JVM
 * ({@link LiveCrashChild}) on the same data directory; it lives 0.3–2 s (seeded), then dies by
 * SIGKILL with whatever it had in flight, and at a coin toss its PostgreSQL with it (a host that
 * lost power: the next start runs PostgreSQL's crash recovery instead of stopping an orphaned
 * server). The last one runs every job to its end. Then, on the
 * database: every acknowledged job is there once with its id; no job ever had two live runs or two
 * overlapping runs; no GPU was booked twice, neither in the kernel (its invariants after every
 * replayed pass) nor in the runs' placements over time; a succeeded job succeeded once; and the
 * kernel a restart rebuilds from the log equals the kernel that lived.
 */
class LiveCrashTest {

    /** The kill moments, clients and jobs; {@code -Dcrash.seed=n} explores another history. */
    private static final long SEED = Long.getLong("crash.seed", 11);
    private static final int JOBS = 300;
    private static final int CLIENTS = 3;
    private static final int KILLS = 5;
    private static final long DRAIN_SECONDS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final String NOT_TERMINAL = "submitted,queued,admitted,running,preempting,lost";

    @TempDir
    Path directory;

    private CrashChildProcess child;

    @AfterEach
    void leaveNothingRunning() throws Exception {
        if (child != null) {
            child.kill(directory, false);
        }
        CrashChildProcess.stopLeftoverPostmaster(directory);
    }

    @Test
    void killedAgainAndAgainThePlaneLosesNoAcknowledgedJobAndNeverBooksAGpuOrRunsAJobTwice() throws Exception {
        long began = System.nanoTime();
        Random random = new Random(SEED);
        List<CrashChildProcess.Ready> starts = new ArrayList<>();
        child = CrashChildProcess.start(directory);
        starts.add(child.awaitReady());
        CrashClients clients = new CrashClients(LiveCrashChild.tokens(directory), JOBS);
        clients.target.set(base(starts.get(0)));
        clients.start(CLIENTS, random.nextLong());
        int withPostgres = 0;
        for (int kills = 0; kills < KILLS; kills++) {
            Thread.sleep(300 + random.nextInt(1701));
            boolean postgresToo = random.nextBoolean();
            child.kill(directory, postgresToo);
            withPostgres += postgresToo ? 1 : 0;
            child = CrashChildProcess.start(directory);
            starts.add(child.awaitReady());
            clients.target.set(base(starts.get(starts.size() - 1)));
        }
        clients.join();
        long drainMillis = awaitEveryJobTerminal(clients.target.get(), LiveCrashChild.tokens(directory));
        child.kill(directory, true);
        child = null;
        System.out.printf("LiveCrashTest: seed %d, %d kills (%d with PostgreSQL); %d jobs acknowledged, %d cancels acknowledged; "
                        + "restarts (ms: start to READY / JVM / database open / control plane start incl. rebuild): %s; "
                        + "last incarnation ran every job to its end in %d ms%n",
                SEED, KILLS, withPostgres, clients.acknowledged.size(), clients.cancelled.size(), starts.stream()
                        .map(r -> r.readyMillis() + "/" + r.jvmMillis() + "/" + r.openMillis() + "/" + r.planeStartMillis()).toList(), drainMillis);
        try (Database database = Database.open(new DatabaseLocation.Embedded(directory))) {
            check(database, clients);
        }
        System.out.printf("LiveCrashTest: %.1f s in all%n", (System.nanoTime() - began) / 1e9);
    }

    private void check(Database database, CrashClients clients) throws Exception {
        DataSource db = database.dataSource();
        everyAcknowledgedJobIsStoredOnceWithItsId(db, clients.acknowledged);
        everyAcknowledgedCancelEndedTheJob(db, clients.cancelled);
        noJobHasTwoLiveRunsOrOverlappingRuns(db);
        everySucceededJobSucceededOnce(db);
        noDomainEverHadMoreGpusBookedThanItHas(db, LiveCrashChild.SCENARIO.fleet());
        int passes = kernelInvariantsHoldAfterEveryReplayedPass(db);
        System.out.printf("LiveCrashTest: %d passes replayed; %d runs, %d of them failed (lost in a crash); "
                        + "jobs by state %s%n", passes, count(db, "SELECT count(*) FROM runs"),
                count(db, "SELECT count(*) FROM runs WHERE state = 'failed'"), rows(db, "SELECT state, count(*) "
                        + "FROM jobs GROUP BY state ORDER BY state", rs -> rs.getString(1) + "=" + rs.getLong(2)));
        aRestartRebuildsTheKernelThatLived(database);
    }

    // ---- the checks ----

    private static void everyAcknowledgedJobIsStoredOnceWithItsId(DataSource db, Map<String, CrashClients.Acked> acked)
            throws SQLException {
        Map<String, CrashClients.Acked> stored = new HashMap<>();
        for (String[] row : rows(db, "SELECT client_id, tenant, id FROM jobs",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})) {
            CrashClients.Acked before = stored.put(row[0], new CrashClients.Acked(row[1], Long.parseLong(row[2])));
            assertThat(before).as("client id %s is stored twice", row[0]).isNull();
        }
        assertThat(stored).as("the jobs stored, by client id, against those acknowledged").isEqualTo(acked);
    }

    private static void everyAcknowledgedCancelEndedTheJob(DataSource db, Map<Long, String> cancelled) throws SQLException {
        for (long id : cancelled.keySet()) {
            assertThat(text(db, "SELECT state FROM jobs WHERE id = " + id))
                    .as("job %d, whose cancel was acknowledged", id).isEqualTo("cancelled");
        }
    }

    private static void noJobHasTwoLiveRunsOrOverlappingRuns(DataSource db) throws SQLException {
        assertThat(text(db, "SELECT indisunique AND indisvalid FROM pg_index WHERE indexrelid = 'runs_live'::regclass"))
                .as("the unique index runs_live").isEqualTo("t");
        assertThat(rows(db, "SELECT id, job, state FROM runs WHERE ended IS NULL", rs -> rs.getString(1)))
                .as("runs not ended though every job is").isEmpty();
        List<String> overlapping = rows(db, "SELECT a.job, a.id, b.id FROM runs a JOIN runs b ON a.job = b.job "
                + "AND a.id < b.id AND a.created < b.ended AND b.created < a.ended",
                rs -> "job " + rs.getLong(1) + ": runs " + rs.getLong(2) + " and " + rs.getLong(3));
        assertThat(overlapping).as("runs of one job that overlap in time").isEmpty();
    }

    private static void everySucceededJobSucceededOnce(DataSource db) throws SQLException {
        List<String> wrong = rows(db, "SELECT j.id, j.state, count(r.id) FILTER (WHERE r.state = 'succeeded') "
                + "FROM jobs j LEFT JOIN runs r ON r.job = j.id GROUP BY j.id, j.state "
                + "HAVING count(r.id) FILTER (WHERE r.state = 'succeeded') <> CASE WHEN j.state = 'succeeded' THEN 1 ELSE 0 END",
                rs -> "job " + rs.getLong(1) + " (" + rs.getString(2) + ") has " + rs.getLong(3) + " succeeded runs");
        assertThat(wrong).as("jobs whose succeeded runs are not 1 if succeeded, else 0").isEmpty();
        assertThat(count(db, "SELECT count(*) FROM jobs WHERE state = 'succeeded'")).as("jobs that succeeded").isPositive();
    }

    /**
     * A sweep over the runs' shards in time order: a run books each domain of its placement from
     * {@code created} until {@code ended} (half-open: a run ended and one started in the same pass
     * share the instant). O(shards × log shards).
     */
    private static void noDomainEverHadMoreGpusBookedThanItHas(DataSource db, Fleet fleet) throws SQLException {
        record Change(Timestamp at, long run, int domain, int gpus) {
        }
        List<Change> changes = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT r.id, r.created, r.ended, s.site, s.placement::text FROM runs r "
                     + "JOIN shards s ON s.run = r.id")) {
            while (rs.next()) {
                JsonNode placement = readJson(rs.getString(5));
                int site = fleet.siteIndex(rs.getString(4));
                int total = 0;
                for (JsonNode d : placement.get("domains")) {
                    int domain = d.get(0).asInt();
                    assertThat(fleet.domainSite(domain)).as("run %d's shard on %s books domain %d", rs.getLong(1),
                            rs.getString(4), domain).isEqualTo(site);
                    changes.add(new Change(rs.getTimestamp(2), rs.getLong(1), domain, d.get(1).asInt()));
                    changes.add(new Change(rs.getTimestamp(3), rs.getLong(1), domain, -d.get(1).asInt()));
                    total += d.get(1).asInt();
                }
                assertThat(total).as("run %d's placement %s", rs.getLong(1), placement).isEqualTo(placement.get("gpus").asInt());
            }
        }
        changes.sort((a, b) -> a.at().equals(b.at()) ? Integer.compare(a.gpus(), b.gpus()) : a.at().compareTo(b.at()));
        int[] booked = new int[fleet.domainCount()];
        for (Change change : changes) {
            booked[change.domain()] += change.gpus();
            assertThat(booked[change.domain()]).as("GPUs booked on domain %d (of %d) at %s, when run %d %s",
                    change.domain(), fleet.domainSize(change.domain()), change.at(), change.run(),
                    change.gpus() > 0 ? "started" : "ended").isBetween(0, fleet.domainSize(change.domain()));
        }
    }

    /** Replays the event log through a fresh kernel; its own invariants must hold after every pass. */
    private static int kernelInvariantsHoldAfterEveryReplayedPass(DataSource db) {
        int[] passes = {0};
        LiveScheduler.Replay replay = replay(db, (pass, kernel) -> {
            try {
                kernel.checkInvariants();
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("the kernel's invariants fail after pass seq " + pass.seq() + ": "
                        + e.getMessage() + "\n" + pass.inputsJson(), e);
            }
            passes[0]++;
        });
        assertThat(replay.kernel().runningCount() + replay.kernel().pendingCount())
                .as("jobs the replayed kernel holds though every job is finished").isZero();
        assertThat(passes[0]).as("passes replayed").isPositive();
        return passes[0];
    }

    /**
     * Starts the plane once more without agents (nothing changes behind the test's back), gives it
     * jobs to hold, and compares its kernel, rebuilt and then run live, with a fresh replay.
     */
    private void aRestartRebuildsTheKernelThatLived(Database database) throws Exception {
        DataSource db = database.dataSource();
        String lived;
        try (ControlPlane plane = ControlPlane.start(database, LiveCrashChild.SCENARIO, Clock.systemUTC(),
                new ControlPlane.Settings(0, LiveCrashChild.TIME_SCALE, false, Duration.ofMillis(5), Duration.ofMillis(20),
                        Duration.ofSeconds(30)), null)) {
            URI base = URI.create("http://127.0.0.1:" + plane.api().port());
            Properties tokens = LiveCrashChild.tokens(directory);
            for (int i = 0; i < 16; i++) {
                String tenant = LiveCrashChild.TENANTS.get(i % LiveCrashChild.TENANTS.size());
                send(base, "POST", "/v1/jobs", tokens.getProperty(tenant), "{\"gpus\":" + 8 * (1 + i % 4)
                        + ",\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":86400}", 201);
            }
            lived = plane.scheduler().query(KernelSnapshot::of).get(30, TimeUnit.SECONDS);
        }
        String replayed = KernelSnapshot.of(replay(db, (pass, kernel) -> { }).kernel());
        assertThat(lived).as("the kernel that lived, against a fresh replay of the log").isEqualTo(replayed);
        assertThat(lived).contains("running", "pending");
    }

    // ---- helpers ----

    private static LiveScheduler.Replay replay(DataSource db,
                                               java.util.function.BiConsumer<SchedulerStore.PassRecord, Scheduler> afterPass) {
        Scenario scenario = LiveCrashChild.SCENARIO;
        return LiveScheduler.replay(new SchedulerStore(db), new TenantStore(db).firstTerms(), scenario.fleet(),
                scenario.scheduler(), new Scheduler.Options(scenario.reliability().shrinkOnWanCut(),
                        scenario.scheduler().siteChoice()), 0, afterPass);
    }

    /** Polls until no job is unfinished; returns how long that took. */
    private static long awaitEveryJobTerminal(URI base, Properties tokens) throws Exception {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        JsonNode left = send(base, "GET", "/v1/jobs?limit=1000&state=" + NOT_TERMINAL, tokens.getProperty("operator"), null, 200);
        while (!left.get("items").isEmpty()) {
            assertThat(System.nanoTime()).as("%d jobs still unfinished %d s after the last kill, the first: %s",
                    left.get("items").size(), DRAIN_SECONDS, summary(left.get("items"))).isLessThan(deadline);
            Thread.sleep(100);
            left = send(base, "GET", "/v1/jobs?limit=1000&state=" + NOT_TERMINAL, tokens.getProperty("operator"), null, 200);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** The first few jobs as "id tenant state", for a failure message. */
    private static List<String> summary(JsonNode jobs) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < Math.min(5, jobs.size()); i++) {
            JsonNode j = jobs.get(i);
            lines.add(j.get("id").asLong() + " " + j.get("tenant").asText() + " " + j.get("state").asText());
        }
        return lines;
    }

    private static JsonNode send(URI base, String method, String path, String token, String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s → %s", method, path, response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private static URI base(CrashChildProcess.Ready ready) {
        return URI.create("http://127.0.0.1:" + ready.port());
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> rows(DataSource db, String sql, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(row.read(rs));
            }
        }
        return out;
    }

    private static long count(DataSource db, String sql) throws SQLException {
        return rows(db, sql, rs -> rs.getLong(1)).get(0);
    }

    private static String text(DataSource db, String sql) throws SQLException {
        List<String> found = rows(db, sql, rs -> rs.getString(1));
        return found.isEmpty() ? null : found.get(0);
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("placement is not JSON: " + json, e);
        }
    }
}
