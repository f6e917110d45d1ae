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

    @Test
    void aShardAShrinkStoppedStaysOutOfTheRunAcrossARestart() throws Exception {
        ControlPlane.Settings noAgents = new ControlPlane.Settings(0, 1, false, Duration.ofMillis(2), Duration.ofMillis(10),
                Duration.ofSeconds(30));
        Scenario shrink = TwoSites.scenarioWith("two-small-sites-shrink", 4, "reliability:\n  enabled: false\n"
                + "  wanCut: shrink\n", "{name: alpha, gpuLimit: 48}", "{name: beta, gpuLimit: 24}");
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
