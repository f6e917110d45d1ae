package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.server.ControlPlane;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * WAN cuts reported by site agents ({@code PUT /v1/agents/{site}/links}, issue 12 item 4),
 * handled as in the twin: a gang across a cut link stalls (holds its GPUs) until no end reports
 * the link cut, or, with {@code reliability.wanCut: shrink}, goes on at its largest site (the
 * other site's shard is stopped) and regrows across sites once the link is back. Fleet:
 * {@link LiveTestBase} (east and west, 32 GPUs each); a 40-GPU gang must span both.
 */
class LiveWanCutTest extends LiveTestBase {

    private long submitSpanning(int gpus) {
        return call("POST", "/v1/jobs", alpha, "{\"gpus\":" + gpus + ",\"scaleUpGroup\":8,\"spanSites\":true,"
                + "\"durationSeconds\":86400}", 201).get("id").asLong();
    }

    private JsonNode links(String token, String site, String cut, int status) {
        return call("PUT", "/v1/agents/" + site + "/links", token, "{\"cut\":[" + cut + "]}", status);
    }

    private Scheduler.JobState kernelState(long job) throws Exception {
        return plane.scheduler().query(k -> k.state(job)).get();
    }

    private long events(String type, long job) {
        return count("SELECT count(*) FROM event_log WHERE type = '" + type + "' AND job = " + job);
    }

    private static void assertChanges(JsonNode changes, int cut, int restored) {
        assertThat(changes.get("cut").asInt()).as("cut").isEqualTo(cut);
        assertThat(changes.get("restored").asInt()).as("restored").isEqualTo(restored);
    }

    @Test
    void aCutLinkStallsTheGangAcrossItUntilNoEndReportsItCut() throws Exception {
        start(1, true);
        long job = submitSpanning(40);
        awaitState(alpha, job, "running");
        assertChanges(links(operator, "east", "{\"to\":\"west\",\"reason\":\"fiber cut at mile 212\"}", 200), 1, 0);
        assertThat(kernelState(job)).isEqualTo(Scheduler.JobState.STALLED);
        assertThat(events("run.stalled", job)).isEqualTo(1);
        assertChanges(links(operator, "east", "{\"to\":\"west\"}", 200), 0, 0); // the same set again
        assertChanges(links(operator, "west", "{\"to\":\"east\"}", 200), 1, 0); // the other end: a cut of its own
        assertChanges(links(operator, "east", "", 200), 0, 1);
        assertThat(kernelState(job)).as("west still reports the link cut").isEqualTo(Scheduler.JobState.STALLED);
        assertChanges(links(operator, "west", "", 200), 0, 1);
        assertThat(kernelState(job)).isEqualTo(Scheduler.JobState.RUNNING);
        assertThat(events("run.resumed", job)).isEqualTo(1);
        assertThat(job(alpha, job).get("state").asText()).isEqualTo("running");
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'wan.cut' AND tenant IS NULL"
                + " AND payload->>'reportedBy' = 'east' AND payload->>'reason' = 'fiber cut at mile 212'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'wan.restored'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM runs WHERE job = " + job)).as("the stalled gang kept its run").isEqualTo(1);
    }

    @Test
    void withShrinkTheGangGoesOnAtItsLargestSiteAndRegrowsAcrossSitesWhenTheLinkIsBack() throws Exception {
        start(TwoSites.scenarioWith("two-small-sites-shrink", 4, "reliability:\n  enabled: false\n  wanCut: shrink\n",
                        "{name: alpha, gpuLimit: 48}", "{name: beta, gpuLimit: 24}"),
                new ControlPlane.Settings(0, 1, true, Duration.ofMillis(2), Duration.ofMillis(10),
                        Duration.ofSeconds(30)));
        long job = submitSpanning(40);
        awaitState(alpha, job, "running");
        long run = count("SELECT max(id) FROM runs WHERE job = " + job);
        String small = text("SELECT site FROM shards WHERE run = " + run + " ORDER BY (placement->>'gpus')::int LIMIT 1");
        String large = small.equals("east") ? "west" : "east";

        assertChanges(links(operator, large, "{\"to\":\"" + small + "\"}", 200), 1, 0);
        assertThat(kernelState(job)).isEqualTo(Scheduler.JobState.RUNNING);
        assertThat(plane.scheduler().query(k -> k.allocation(job).gpus()).get()).isEqualTo(32);
        assertThat(events("run.shrunk", job)).isEqualTo(1);
        awaitCount("SELECT count(*) FROM shards WHERE run = " + run + " AND site = '" + small + "' AND state = 'stopped'", 1);
        assertThat(text("SELECT state FROM shards WHERE run = " + run + " AND site = '" + large + "'")).isEqualTo("running");
        assertThat(job(alpha, job).get("state").asText()).as("the stopped shard does not fail the job").isEqualTo("running");

        assertChanges(links(operator, large, "", 200), 0, 1); // every link is up: the gang regrows across sites
        awaitCount("SELECT count(*) FROM shards s JOIN runs r ON r.id = s.run WHERE r.job = " + job + " AND r.id > " + run
                + " AND s.state = 'running'", 2);
        awaitState(alpha, job, "running");
        assertThat(plane.scheduler().query(k -> k.allocation(job).gpus()).get()).isEqualTo(40);
    }

    private static final Scenario SHRINK = TwoSites.scenarioWith("two-small-sites-shrink", 4,
            "reliability:\n  enabled: false\n  wanCut: shrink\n", "{name: alpha, gpuLimit: 48}",
            "{name: beta, gpuLimit: 24}");

    /** Shrink mode without agents (the test is both sites' agent), passes at most every {@code passInterval}. */
    private void startShrinkWithoutAgents(Duration passInterval) {
        start(SHRINK, new ControlPlane.Settings(0, 1, false, passInterval, Duration.ofMillis(10), Duration.ofSeconds(30)));
    }

    private void report(String site, long run, int seq, String state) {
        call("POST", "/v1/agents/" + site + "/reports", operator, "{\"reports\":[{\"run\":" + run + ",\"seq\":" + seq
                + ",\"state\":\"" + state + "\"}]}", 200);
    }

    /** A 40-GPU gang admitted on both sites (no agents): its run and its smaller and larger site. */
    private record Gang(long job, long run, String small, String large) {
    }

    private Gang admittedGang() {
        long job = submitSpanning(40);
        awaitState(alpha, job, "admitted");
        long run = count("SELECT max(id) FROM runs WHERE job = " + job);
        String small = text("SELECT site FROM shards WHERE run = " + run + " ORDER BY (placement->>'gpus')::int LIMIT 1");
        return new Gang(job, run, small, small.equals("east") ? "west" : "east");
    }

    /** The gang's shards ready on both sites (its go written), then running on the larger one. */
    private void goAndRunOnTheLargeSite(Gang g) {
        report(g.small(), g.run(), 1, "ready");
        report(g.large(), g.run(), 1, "ready");
        awaitCount("SELECT count(*) FROM agent_commands WHERE kind = 'go' AND run = " + g.run(), 2);
        report(g.large(), g.run(), 2, "running");
        awaitCount("SELECT count(*) FROM shards WHERE run = " + g.run() + " AND state = 'running'", 1);
    }

    private void cutFromTheLargeSite(Gang g) {
        assertChanges(links(operator, g.large(), "{\"to\":\"" + g.small() + "\"}", 200), 1, 0);
    }

    @Test
    void aShrinkThatKeepsOnlyARunningShardMakesTheAdmittedJobRunningAtOnce() throws Exception {
        startShrinkWithoutAgents(Duration.ofMillis(2));
        Gang g = admittedGang();
        goAndRunOnTheLargeSite(g);
        assertThat(job(alpha, g.job()).get("state").asText()).as("the small site is not running yet").isEqualTo("admitted");
        cutFromTheLargeSite(g); // answered after its pass committed
        assertThat(job(alpha, g.job()).get("state").asText()).as("every shard the run keeps is running")
                .isEqualTo("running");
        assertThat(states(g.job())).containsExactly("queued", "admitted", "running");
    }

    @Test
    void aShrinkThatKeepsOnlyAFinishedShardEndsTheRunAndTheJobSucceeds() throws Exception {
        startShrinkWithoutAgents(Duration.ofMillis(2));
        Gang g = admittedGang();
        goAndRunOnTheLargeSite(g);
        report(g.large(), g.run(), 3, "finished");
        awaitCount("SELECT count(*) FROM shards WHERE run = " + g.run() + " AND state = 'finished'", 1);
        cutFromTheLargeSite(g);
        assertThat(job(alpha, g.job()).get("state").asText()).isEqualTo("succeeded");
        assertThat(text("SELECT state FROM runs WHERE id = " + g.run())).isEqualTo("succeeded");
        assertThat(text("SELECT state FROM shards WHERE run = " + g.run() + " AND site = '" + g.small() + "'"))
                .as("the dropped shard is stopped").isEqualTo("stopping");
        assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'stop' AND run = " + g.run())).isEqualTo(1);
        assertThat(plane.scheduler().query(k -> k.state(g.job())).get()).isEqualTo(Scheduler.JobState.GONE);
        String before = plane.scheduler().query(KernelSnapshot::of).get();
        plane.close();
        plane = null;
        startShrinkWithoutAgents(Duration.ofMillis(2));
        assertThat(plane.scheduler().query(KernelSnapshot::of).get()).as("the replay finishes it too").isEqualTo(before);
    }

    @Test
    void aRunRestartedAndShrunkInOnePassStartsOnTheKeptSiteOnly() throws Exception {
        startShrinkWithoutAgents(Duration.ofMillis(2000)); // the failure and the cut below land in one pass
        Gang g = admittedGang();
        goAndRunOnTheLargeSite(g);
        report(g.small(), g.run(), 2, "running");
        awaitState(alpha, g.job(), "running");
        plane.scheduler().query(k -> 0).get(); // a pass ends now: the next two commands wait for the interval together
        report(g.small(), g.run(), 3, "failed"); // the kernel restarts the gang in place, across both sites
        cutFromTheLargeSite(g); // ... and the cut shrinks that new run in the same pass
        long next = count("SELECT max(id) FROM runs WHERE job = " + g.job());
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'kernel.pass' AND payload->'in' @> '[[\"fail\", "
                + g.job() + "], [\"wan_cut\", 0]]'::jsonb")).as("the restart and the shrink were one pass").isEqualTo(1);
        assertThat(text("SELECT string_agg(site || ':' || state, ',') FROM shards WHERE run = " + next))
                .as("no shard of the new run on the site the cut drops").isEqualTo(g.large() + ":assigned");
        assertThat(text("SELECT string_agg(kind, ',') FROM agent_commands WHERE run = " + next)).isEqualTo("start");
        assertThat(text("SELECT payload->>'stopped' || ' ' || (payload->>'kept') FROM event_log WHERE type = 'run.shrunk' "
                + "AND run = " + next)).isEqualTo("[] [\"" + g.large() + "\"]");
        assertThat(plane.scheduler().query(k -> k.allocation(g.job()).gpus()).get()).isEqualTo(32);
        report(g.large(), next, 1, "running"); // a one-site run: no prepare, no go
        awaitState(alpha, g.job(), "running");
        String before = plane.scheduler().query(KernelSnapshot::of).get();
        plane.close();
        plane = null;
        startShrinkWithoutAgents(Duration.ofMillis(2));
        assertThat(plane.scheduler().query(KernelSnapshot::of).get()).as("the replay restarts and shrinks it alike")
                .isEqualTo(before);
    }

    @Test
    void aShrunkRunNotYetGoneGetsItsGoAfterARestart() throws Exception {
        startShrinkWithoutAgents(Duration.ofMillis(2));
        Gang g = admittedGang();
        cutFromTheLargeSite(g); // before either site is ready: the kept shard still waits for its go
        plane.close();
        plane = null;
        startShrinkWithoutAgents(Duration.ofMillis(2)); // rebuilt mid-shrink
        report(g.large(), g.run(), 1, "ready");
        awaitCount("SELECT count(*) FROM agent_commands WHERE kind = 'go' AND run = " + g.run() + " AND site = '"
                + g.large() + "'", 1);
        assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'go' AND run = " + g.run())).isEqualTo(1);
        report(g.large(), g.run(), 2, "running");
        awaitState(alpha, g.job(), "running");
    }

    @Test
    void aDroppedShardThatFailedInsteadOfStoppingStaysOutOfTheRunAcrossARestart() throws Exception {
        startShrinkWithoutAgents(Duration.ofMillis(2));
        Gang g = admittedGang();
        cutFromTheLargeSite(g);
        report(g.small(), g.run(), 1, "failed"); // it failed on its cluster before the agent saw the stop
        awaitCount("SELECT count(*) FROM shards WHERE run = " + g.run() + " AND state = 'failed'", 1);
        assertThat(job(alpha, g.job()).get("state").asText()).as("not the run's shard any more").isEqualTo("admitted");
        plane.close();
        plane = null;
        startShrinkWithoutAgents(Duration.ofMillis(2)); // rebuilt: the failed shard is not part of the run either
        report(g.large(), g.run(), 1, "ready");
        report(g.large(), g.run(), 2, "running");
        awaitState(alpha, g.job(), "running");
        report(g.large(), g.run(), 3, "finished");
        awaitState(alpha, g.job(), "succeeded");
        assertThat(count("SELECT count(*) FROM runs WHERE job = " + g.job())).isEqualTo(1);
    }

    @Test
    void aShardAShrinkStoppedStaysOutOfTheRunAcrossARestart() throws Exception {
        ControlPlane.Settings noAgents = new ControlPlane.Settings(0, 1, false, Duration.ofMillis(2), Duration.ofMillis(10),
                Duration.ofSeconds(30));
        Scenario shrink = SHRINK;
        start(shrink, noAgents);
        long job = submitSpanning(40);
        awaitState(alpha, job, "admitted");
        long run = count("SELECT max(id) FROM runs WHERE job = " + job);
        String small = text("SELECT site FROM shards WHERE run = " + run + " ORDER BY (placement->>'gpus')::int LIMIT 1");
        String large = small.equals("east") ? "west" : "east";
        assertChanges(links(operator, large, "{\"to\":\"" + small + "\"}", 200), 1, 0);
        assertThat(text("SELECT state FROM shards WHERE run = " + run + " AND site = '" + small + "'")).isEqualTo("stopping");
        plane.close();
        plane = null;
        start(shrink, noAgents); // rebuilt: the stopped shard is not part of the run any more
        call("POST", "/v1/agents/" + small + "/reports", operator, "{\"reports\":[{\"run\":" + run
                + ",\"seq\":1,\"state\":\"stopped\"}]}", 200);
        call("POST", "/v1/agents/" + large + "/reports", operator, "{\"reports\":[{\"run\":" + run
                + ",\"seq\":1,\"state\":\"running\"}]}", 200);
        awaitState(alpha, job, "running");
        assertThat(count("SELECT count(*) FROM runs WHERE job = " + job)).as("the stopped shard did not fail the run")
                .isEqualTo(1);
        assertThat(kernelState(job)).isEqualTo(Scheduler.JobState.RUNNING);
    }

    @Test
    void reportedCutsSurviveARestartAndABadReportIs400NamingTheField() throws Exception {
        start(1, false); // no agents: the gang stays admitted, which the kernel holds as running
        long job = submitSpanning(40);
        awaitState(alpha, job, "admitted");
        assertThat(links(operator, "east", "{\"to\":\"north\"}", 400).toString()).contains("cut[0].to");
        assertThat(links(operator, "east", "{\"to\":\"west\"},{\"to\":\"west\"}", 400).toString()).contains("cut[1].to");
        assertThat(links(operator, "east", "{\"to\":\"west\",\"why\":1}", 400).toString()).contains("cut[0].why");
        links(alpha, "east", "", 403);
        links(operator, "north", "", 404);
        assertThat(count("SELECT count(*) FROM event_log WHERE type LIKE 'wan.%'")).isZero();

        assertChanges(links(operator, "east", "{\"to\":\"west\"}", 200), 1, 0);
        assertThat(kernelState(job)).isEqualTo(Scheduler.JobState.STALLED);
        String before = plane.scheduler().query(KernelSnapshot::of).get();
        plane.close();
        plane = null;
        start(1, false);
        assertThat(plane.scheduler().query(KernelSnapshot::of).get()).isEqualTo(before);
        assertChanges(links(operator, "east", "{\"to\":\"west\"}", 200), 0, 0); // known cut from the log
        assertChanges(links(operator, "east", "", 200), 0, 1);
        assertThat(kernelState(job)).isEqualTo(Scheduler.JobState.RUNNING);
    }

    private void awaitCount(String sql, long expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (count(sql) != expected) {
            assertThat(System.nanoTime()).as("never %d: %s", expected, sql).isLessThan(deadline);
            sleep(20);
        }
    }
}
