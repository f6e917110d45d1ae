package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.reliability.CheckpointMath;
import dev.superfactory.reliability.CheckpointPolicy;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.server.ControlPlane;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Restarts resume from the last checkpoint: the simulated agents fail shards at the rates of the
 * single-site preset's reliability model (Llama 3's H100 rates) and checkpoint at its policy's
 * interval, a failed shard reports the work at its last checkpoint, and the next run is told to
 * resume there.
 */
class CheckpointResumeTest extends LiveTestBase {

    @Test
    void aJobThatFailsResumesFromItsLastCheckpointAndFinishesInLessThanTwiceItsRunTime() {
        Scenario failing = TWO_SITES.withReliability(Presets.load("single-site").reliability());
        double perGpuSecond = FailureRate.perGpuSecond(failing.reliability(), failing.fleet());
        // 8 GPUs for three failure-free lifetimes: from the start each time, it would take (e³ − 1)/3 ≈ 6.4 times its run time
        long seconds = Math.round(3 / (8 * perGpuSecond));
        CheckpointPolicy policy = failing.reliability().checkpoint();
        double interval = CheckpointMath.dalyInterval(policy.writeSeconds(policy.bytesPerGpu() * 8, 8), 1 / (8 * perGpuSecond));
        assertThat(interval).as("Daly's interval for the job").isLessThan(seconds / 10.0);
        double timeScale = seconds / 2.0; // the whole run time in 2 s
        start(failing, new ControlPlane.Settings(0, timeScale, true, Duration.ofMillis(2), Duration.ofMillis(10),
                Duration.ofSeconds(30), true));
        long id = submit(alpha, 8, seconds);
        awaitState(alpha, id, "succeeded");
        assertThat(count("SELECT count(*) FROM runs WHERE job = " + id + " AND state = 'failed'")).isPositive();
        String runsOfJob = "run IN (SELECT id FROM runs WHERE job = " + id + ")";
        assertThat(count("SELECT max((payload->>'resumeSeconds')::bigint) FROM agent_commands WHERE kind = 'start' AND "
                + runsOfJob)).as("a later run resumed from a checkpoint").isPositive();
        assertThat(count("SELECT max(checkpoint_seconds) FROM shard_reports WHERE state = 'failed' AND " + runsOfJob))
                .isPositive();
        assertThat(count("SELECT count(*) FROM shard_reports WHERE state = 'failed' AND reason <> '"
                + SimulatedAgent.INJECTED.replace("'", "''") + "' AND " + runsOfJob)).as("each failure says it was injected")
                .isZero();
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'run.ended' AND payload->'shard'->>'reason' = '"
                + SimulatedAgent.INJECTED.replace("'", "''") + "' AND " + runsOfJob)).isPositive();
        double wallSeconds = count("SELECT round(extract(epoch FROM (max(ended) - min(created))) * 1000) FROM runs WHERE job = "
                + id) / 1000.0;
        assertThat(wallSeconds * timeScale).as("simulated seconds from the first start to the end, of %d", seconds)
                .isLessThan(2.0 * seconds);
    }

    @Test
    void aCheckpointReportedOverHttpIsKeptAcrossARestartAndGivenToEveryLaterRun() throws Exception {
        start(1, false); // the test is the agent, over HTTP
        long id = submit(alpha, 8, 86_400);
        awaitState(alpha, id, "admitted");
        String site = text("SELECT site FROM shards s JOIN runs r ON r.id = s.run WHERE r.job = " + id);
        long first = count("SELECT id FROM runs WHERE job = " + id);
        assertThat(resumeSeconds(first)).isZero();
        report(site, first, 1, "running", 0);
        report(site, first, 2, "failed", 3_600); // an hour of its work is checkpointed
        await(alpha, id, j -> count("SELECT count(*) FROM runs WHERE job = " + id) == 2); // restarted at once
        long second = count("SELECT max(id) FROM runs WHERE job = " + id);
        assertThat(resumeSeconds(second)).isEqualTo(3_600);
        plane.close();
        plane = null;
        start(1, false); // rebuilt: the checkpoint comes from the store
        String now = text("SELECT site FROM shards WHERE run = " + second);
        report(now, second, 1, "failed", 0); // failed before its first checkpoint: the job keeps the one it had
        await(alpha, id, j -> count("SELECT count(*) FROM runs WHERE job = " + id) == 3);
        assertThat(resumeSeconds(count("SELECT max(id) FROM runs WHERE job = " + id))).isEqualTo(3_600);
    }

    @Test
    void aHeldJobKeepsItsCheckpointForItsRunAfterRelease() throws Exception {
        start(1, false); // the test is the agent, over HTTP
        long filler = submit(alpha, 32, 86_400); // a whole site
        long other = submit(beta, 24, 86_400);
        long id = submit(alpha, 8, 86_400); // the fleet (64 GPUs) is now full
        awaitState(alpha, id, "admitted");
        awaitState(alpha, filler, "admitted");
        awaitState(beta, other, "admitted");
        long first = count("SELECT id FROM runs WHERE job = " + id);
        String site = text("SELECT site FROM shards WHERE run = " + first);
        report(site, first, 1, "running", 0);
        report(site, first, 2, "failed", 3_600); // an hour checkpointed; it restarts in place at once
        await(alpha, id, j -> count("SELECT count(*) FROM runs WHERE job = " + id) == 2);
        long domain = count("SELECT (placement->'domains'->0->>0)::bigint FROM shards WHERE run = (SELECT max(id) FROM runs"
                + " WHERE job = " + id + ")");
        call("POST", "/v1/fleet/domains/" + domain + "/drain", operator, null, 200); // no room elsewhere: it queues
        awaitState(alpha, id, "queued");
        call("POST", "/v1/jobs/" + id + "/hold", alpha, null, 200);
        awaitState(alpha, id, "held");
        call("POST", "/v1/fleet/domains/" + domain + "/restore", operator, null, 200);
        call("POST", "/v1/jobs/" + id + "/release", alpha, null, 200);
        awaitState(alpha, id, "admitted");
        assertThat(resumeSeconds(count("SELECT max(id) FROM runs WHERE job = " + id)))
                .as("the run after the hold resumes from the checkpoint").isEqualTo(3_600);
    }

    private static long resumeSeconds(long run) {
        return count("SELECT (payload->>'resumeSeconds')::bigint FROM agent_commands WHERE kind = 'start' AND run = " + run);
    }

    private void report(String site, long run, int seq, String state, long checkpointSeconds) throws Exception {
        call("POST", "/v1/agents/" + site + "/reports", operator, "{\"reports\":[{\"run\":" + run + ",\"seq\":" + seq
                + ",\"state\":\"" + state + "\",\"checkpointSeconds\":" + checkpointSeconds + "}]}", 200);
        plane.scheduler().query(kernel -> null).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
