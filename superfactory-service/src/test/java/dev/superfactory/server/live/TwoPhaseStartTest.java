package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.server.ControlPlane;
import dev.superfactory.server.store.SchedulerStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 5: a gang across sites starts in two phases. Each test submits a 40-GPU job that
 * must span both sites (a site has 32 GPUs): the pass that admits it writes {@code prepare} to
 * each site, and {@code go} only once both shards are ready; a site not ready within the prepare
 * timeout stops both shards and the job is handled as after a failure; a restart between ready
 * and go resumes the start without a second go.
 */
class TwoPhaseStartTest extends LiveTestBase {

    @Test
    void aGangAcrossTwoSitesIsPreparedOnBothAndGoesOnlyWhenBothAreReadyOverHttp() throws Exception {
        start(1, false); // the test is both sites' agent, over the HTTP protocol (validated against openapi.json)
        long id = submitGang();
        awaitState(alpha, id, "admitted");
        long run = count("SELECT id FROM runs WHERE job = " + id);
        JsonNode east = commands("east", 0);
        JsonNode west = commands("west", 0);
        assertThat(kinds(east)).containsExactly("prepare");
        assertThat(kinds(west)).containsExactly("prepare");
        assertThat(east.get("items").get(0).get("payload").get("placement").get("gpus").asInt()
                + west.get("items").get(0).get("payload").get("placement").get("gpus").asInt()).isEqualTo(40);

        report("east", run, 1, "ready");
        assertThat(kinds(commands("east", east.get("next").asLong()))).as("one site ready: no go yet").isEmpty();
        assertThat(job(alpha, id).get("state").asText()).isEqualTo("admitted");
        report("west", run, 1, "ready");
        JsonNode eastGo = commands("east", east.get("next").asLong());
        assertThat(kinds(eastGo)).containsExactly("go");
        assertThat(kinds(commands("west", west.get("next").asLong()))).containsExactly("go");
        assertThat(eastGo.get("items").get(0).get("payload").get("job").asLong()).isEqualTo(id);
        assertThat(job(alpha, id).get("state").asText()).as("ready and go change no job state").isEqualTo("admitted");

        report("east", run, 2, "running");
        report("west", run, 2, "running");
        awaitState(alpha, id, "running");
        assertThat(states(id)).containsExactly("queued", "admitted", "running");
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'run.go' AND run = " + run)).isEqualTo(1);
    }

    @Test
    void aSiteSlowToBeReadyPastTheTimeoutStopsBothShardsAndTheJobRestartsAndRuns() throws Exception {
        start(new ControlPlane.Settings(0, 1, false, Duration.ofMillis(2), Duration.ofMillis(10), Duration.ofSeconds(30))
                .withPrepareTimeout(Duration.ofSeconds(1)));
        try (SimulatedAgent east = SimulatedAgent.start("east", plane.gateway(), 1, Duration.ofMillis(10));
             SimulatedAgent west = SimulatedAgent.start("west", plane.gateway(), 1, Duration.ofMillis(10))) {
            west.delayReady(Duration.ofSeconds(30), 1); // the first prepare on west: ready far too late
            long id = submitGang();
            awaitState(alpha, id, "running");
            assertThat(states(id)).containsExactly("queued", "admitted", "lost", "queued", "admitted", "running");
            long first = count("SELECT min(id) FROM runs WHERE job = " + id);
            assertThat(text("SELECT state FROM runs WHERE id = " + first)).isEqualTo("failed");
            assertThat(text("SELECT payload::text FROM event_log WHERE type = 'run.prepare_timeout' AND run = " + first))
                    .isEqualTo("{\"sites\": [\"west\"], \"timeoutSeconds\": 1}");
            assertThat(text("SELECT payload->>'reason' FROM event_log WHERE type = 'run.ended' AND run = " + first))
                    .isEqualTo("prepare_timeout");
            awaitCount("SELECT count(*) FROM shards WHERE state = 'stopped' AND run = " + first, 2);
            assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'stop' AND run = " + first)).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'go' AND run = " + first)).isZero();
            assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'go' AND run > " + first)).isEqualTo(2);
            assertThat(east.runningCount() + west.runningCount()).isEqualTo(2);
        }
    }

    @Test
    void aSiteThatIsNeverReadyFailsTheJobAfterThreeRunsInARowAndFreesEveryGpu() throws Exception {
        start(new ControlPlane.Settings(0, 1, false, Duration.ofMillis(2), Duration.ofMillis(10), Duration.ofSeconds(30))
                .withPrepareTimeout(Duration.ofMillis(300)));
        try (SimulatedAgent east = SimulatedAgent.start("east", plane.gateway(), 1, Duration.ofMillis(10));
             SimulatedAgent west = SimulatedAgent.start("west", plane.gateway(), 1, Duration.ofMillis(10))) {
            west.delayReady(Duration.ofHours(1), 1_000); // west never gets ready
            long id = submitGang();
            awaitState(alpha, id, "failed");
            assertThat(states(id)).containsExactly("queued", "admitted", "lost", "queued", "admitted", "lost", "queued",
                    "admitted", "failed");
            assertThat(count("SELECT count(*) FROM runs WHERE job = " + id)).isEqualTo(LiveScheduler.PREPARE_ATTEMPTS);
            assertThat(count("SELECT count(*) FROM event_log WHERE type = 'run.prepare_timeout' AND job = " + id))
                    .isEqualTo(LiveScheduler.PREPARE_ATTEMPTS);
            assertThat(text("SELECT payload->>'reason' FROM event_log WHERE type = 'job.state' AND job = " + id
                    + " AND payload->>'to' = 'failed'")).isEqualTo("NOT_PREPARED");
            assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'stop' AND run IN (SELECT id FROM runs"
                    + " WHERE job = " + id + ")")).isEqualTo(2L * LiveScheduler.PREPARE_ATTEMPTS);
            assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'go'")).isZero();
            JsonNode fleet = call("GET", "/v1/fleet", operator, null, 200);
            assertThat(fleet.get("allocated").asInt()).as("no GPU stays booked for the failed job").isZero();
            awaitCount("SELECT count(*) FROM shards WHERE state IN ('assigned', 'ready', 'running', 'stopping')", 0);
        }
    }

    @Test
    void aRestartBetweenReadyAndGoResumesTheStartWithoutASecondGoOrATimeout() throws Exception {
        ControlPlane.Settings settings = new ControlPlane.Settings(0, 1, false, Duration.ofMillis(2), Duration.ofMillis(10),
                Duration.ofSeconds(30)).withPrepareTimeout(Duration.ofHours(1));
        start(settings); // the test is both sites' agent
        long id = submitGang();
        awaitState(alpha, id, "admitted");
        long run = count("SELECT id FROM runs WHERE job = " + id);
        plane.gateway().report(new SchedulerStore.Report(run, "east", 1, "ready"));
        barrier();
        plane.close(); // the plane dies; west's ready report was stored, not yet applied
        plane = null;
        new SchedulerStore(database.dataSource()).report(new SchedulerStore.Report(run, "west", 1, "ready"));

        start(settings); // rebuilt: east ready from the store, west's report applied now: go to both
        awaitCount("SELECT count(*) FROM agent_commands WHERE kind = 'go' AND run = " + run, 2);
        plane.close();
        plane = null;
        start(settings.withPrepareTimeout(Duration.ofSeconds(1))); // rebuilt again: the go is written already
        plane.gateway().report(new SchedulerStore.Report(run, "east", 2, "ready")); // a repeated ready brings no second go
        sleep(2_000); // past the prepare timeout: a run that had its go is not stopped
        barrier();
        plane.gateway().report(new SchedulerStore.Report(run, "east", 3, "running"));
        plane.gateway().report(new SchedulerStore.Report(run, "west", 2, "running"));
        awaitState(alpha, id, "running");
        assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'go' AND run = " + run)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'stop'")).isZero();
        assertThat(states(id)).containsExactly("queued", "admitted", "running");
    }

    @Test
    void aRestartWhileASiteIsNotReadyReArmsTheTimeout() throws Exception {
        ControlPlane.Settings settings = new ControlPlane.Settings(0, 1, false, Duration.ofMillis(2), Duration.ofMillis(10),
                Duration.ofSeconds(30)).withPrepareTimeout(Duration.ofSeconds(1));
        start(settings.withPrepareTimeout(Duration.ofHours(1)));
        long id = submitGang();
        awaitState(alpha, id, "admitted");
        long run = count("SELECT id FROM runs WHERE job = " + id);
        plane.gateway().report(new SchedulerStore.Report(run, "east", 1, "ready"));
        barrier();
        plane.close();
        plane = null;
        start(settings); // west never reports ready: the rebuilt scheduler times the run out
        awaitCount("SELECT count(*) FROM event_log WHERE type = 'run.prepare_timeout' AND run = " + run, 1);
        assertThat(text("SELECT state FROM runs WHERE id = " + run)).isEqualTo("failed");
        assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'stop' AND run = " + run)).isEqualTo(2);
    }

    @Test
    void simulatedAgentsRestartedWithAPreparedShardReportItFailedAndTheJobRestartsAndRuns() throws Exception {
        ControlPlane.Settings settings = new ControlPlane.Settings(0, 1, false, Duration.ofMillis(2), Duration.ofMillis(10),
                Duration.ofSeconds(30)).withPrepareTimeout(Duration.ofHours(1));
        start(settings);
        long id;
        try (SimulatedAgent east = SimulatedAgent.start("east", plane.gateway(), 1, Duration.ofMillis(10));
             SimulatedAgent west = SimulatedAgent.start("west", plane.gateway(), 1, Duration.ofMillis(10))) {
            west.delayReady(Duration.ofHours(1), 1);
            id = submitGang();
            awaitCount("SELECT count(*) FROM shards WHERE state = 'ready'", 1); // east ready, west preparing
        }
        plane.close(); // the plane and its agents die between ready and go
        plane = null;
        start(settings);
        try (SimulatedAgent east = SimulatedAgent.start("east", plane.gateway(), 1, Duration.ofMillis(10));
             SimulatedAgent west = SimulatedAgent.start("west", plane.gateway(), 1, Duration.ofMillis(10))) {
            awaitState(alpha, id, "running");
            long first = count("SELECT min(id) FROM runs WHERE job = " + id);
            assertThat(text("SELECT string_agg(state, ',' ORDER BY seq) FROM shard_reports WHERE site = 'east' AND run = "
                    + first)).as("the prepared shard, reconciled (then maybe told to stop)").startsWith("ready,failed");
            assertThat(states(id)).containsExactly("queued", "admitted", "lost", "queued", "admitted", "running");
            assertThat(east.runningCount() + west.runningCount()).isEqualTo(2);
        }
    }

    /** A 40-GPU job of alpha that must span both sites (32 GPUs each); its id. */
    private long submitGang() {
        return call("POST", "/v1/jobs", alpha, "{\"gpus\":40,\"scaleUpGroup\":8,\"spanSites\":true,"
                + "\"durationSeconds\":86400}", 201).get("id").asLong();
    }

    private JsonNode commands(String site, long after) {
        return call("GET", "/v1/agents/" + site + "/commands?after=" + after, operator, null, 200);
    }

    private static List<String> kinds(JsonNode commands) {
        return commands.get("items").findValuesAsText("kind");
    }

    /** Reports over HTTP, then waits until the scheduler has applied it. */
    private void report(String site, long run, int seq, String state) throws Exception {
        JsonNode ack = call("POST", "/v1/agents/" + site + "/reports", operator,
                "{\"reports\":[{\"run\":" + run + ",\"seq\":" + seq + ",\"state\":\"" + state + "\"}]}", 200);
        assertThat(ack.get("stored").asInt()).isEqualTo(1);
        barrier();
    }

    /** Returns once every command queued before has been applied and committed. */
    private void barrier() throws Exception {
        plane.scheduler().query(kernel -> null).get(10, TimeUnit.SECONDS);
    }

    private static void awaitCount(String sql, long expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        LongSupplier now = () -> count(sql);
        while (now.getAsLong() != expected) {
            assertThat(System.nanoTime()).as("%s never reached %d (now %d)", sql, expected, now.getAsLong())
                    .isLessThan(deadline);
            sleep(20);
        }
    }
}
