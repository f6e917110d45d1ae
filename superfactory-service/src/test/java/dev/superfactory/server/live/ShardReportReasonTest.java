package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 12: an agent's shard report may say why ({@code reason}, at most 200 characters), in its
 * cluster's words; a run a report ends carries it in its {@code run.ended} event, and the job's
 * {@code lost} transition in its message. No simulated agents: the test is the agent, over HTTP.
 */
class ShardReportReasonTest extends LiveTestBase {

    private String post(String site, String reportJson, int status) {
        return call("POST", "/v1/agents/" + site + "/reports", operator, "{\"reports\":[" + reportJson + "]}", status)
                .toString();
    }

    /** An 8-GPU job admitted on one site (no agents): its run and site. */
    private record Admitted(long job, long run, String site) {
    }

    private Admitted admitted() {
        start(1, false);
        long job = submit(alpha, 8, 3600);
        awaitState(alpha, job, "admitted");
        long run = count("SELECT max(id) FROM runs WHERE job = " + job);
        return new Admitted(job, run, text("SELECT site FROM shards WHERE run = " + run));
    }

    @Test
    void aFailedShardsReasonReachesTheRunEndedEventAndTheJobsLostTransition() {
        Admitted a = admitted();
        long job = a.job();
        long run = a.run();
        String site = a.site();
        post(site, "{\"run\":" + run + ",\"seq\":1,\"state\":\"running\"}", 200); // an old client: no reason
        awaitState(alpha, job, "running");
        post(site, "{\"run\":" + run + ",\"seq\":2,\"state\":\"failed\",\"reason\":\"NODE_FAIL: NodeDown\"}", 200);
        awaitState(alpha, job, "admitted"); // restarted on a new run
        assertThat(text("SELECT payload::text FROM event_log WHERE type = 'run.ended' AND run = " + run))
                .isEqualTo("{\"shard\": {\"site\": \"" + site + "\", \"state\": \"failed\", \"reason\": \"NODE_FAIL: NodeDown\"}, "
                        + "\"state\": \"failed\", \"reason\": \"failure\"}");
        assertThat(text("SELECT payload->>'message' FROM event_log WHERE type = 'job.state' AND job = " + job
                + " AND payload->>'to' = 'lost'")).isEqualTo("its shard on " + site + " failed: NODE_FAIL: NodeDown");
        assertThat(text("SELECT string_agg(reason, '|' ORDER BY seq) FROM shard_reports WHERE run = " + run))
                .isEqualTo("|NODE_FAIL: NodeDown");
    }

    @Test
    void aReasonLongerThan200CharactersOrNotAStringIs400NamingTheField() {
        Admitted a = admitted();
        long run = a.run();
        String site = a.site();
        String ok = "{\"run\":" + run + ",\"seq\":1,\"state\":\"running\"}";
        assertThat(post(site, ok + ",{\"run\":" + run + ",\"seq\":2,\"state\":\"failed\",\"reason\":\"" + "x".repeat(201)
                + "\"}", 400)).contains("reports[1].reason").contains("201 characters");
        assertThat(post(site, "{\"run\":" + run + ",\"seq\":2,\"state\":\"failed\",\"reason\":7}", 400))
                .contains("reports[0].reason");
        // PostgreSQL cannot store U+0000: refused as bad input, not a 500 the agent would retry forever
        assertThat(post(site, "{\"run\":" + run + ",\"seq\":2,\"state\":\"failed\",\"reason\":\"a\\u0000b\"}", 400))
                .contains("reports[0].reason").contains("NUL");
        assertThat(count("SELECT count(*) FROM shard_reports")).as("a refused batch stores nothing").isZero();
        post(site, "{\"run\":" + run + ",\"seq\":1,\"state\":\"running\",\"reason\":\"" + "y".repeat(200) + "\"}", 200);
        assertThat(count("SELECT length(reason) FROM shard_reports WHERE run = " + run)).isEqualTo(200);
    }
}
