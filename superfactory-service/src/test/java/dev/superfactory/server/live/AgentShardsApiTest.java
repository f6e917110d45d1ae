package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5: {@code GET /v1/agents/{site}/shards}, what a site agent reconciles with. No
 * simulated agents run: the test is the agent, over HTTP, and every response is checked against
 * openapi.json ({@link LiveTestBase#call}).
 */
class AgentShardsApiTest extends LiveTestBase {

    @Test
    void onlyThatSitesAgentOrAnOperatorMayReadItsShards() {
        start(1.0, false);
        TokenStore tokens = new TokenStore(database.dataSource(), Clock.systemUTC());
        String east = tokens.create(Principal.agent("east"), Duration.ofHours(1), "t").secret();
        String west = tokens.create(Principal.agent("west"), Duration.ofHours(1), "t").secret();
        call("GET", "/v1/agents/east/shards", east, null, 200);
        call("GET", "/v1/agents/east/shards", operator, null, 200);
        assertThat(call("GET", "/v1/agents/east/shards", west, null, 403).get("detail").asText())
                .isEqualTo("agent of site west may not act for site east");
        assertThat(call("GET", "/v1/agents/east/shards", alpha, null, 403).get("detail").asText())
                .isEqualTo("site east: the agent protocol needs that site's agent token or an operator token");
        call("GET", "/v1/agents/mars/shards", operator, null, 404);
    }

    @Test
    void aPlacementSaysExactlyWhichGpusOfEachDomainAndTheJobShowsItsNewestRun() throws Exception {
        start(1.0, false);
        long[] jobs = new long[2];
        for (int i = 0; i < 2; i++) {
            jobs[i] = call("POST", "/v1/jobs", alpha, "{\"gpus\":4,\"scaleUpGroup\":4,\"spanSites\":false,\"durationSeconds\":3600}", 201)
                    .get("id").asLong();
            awaitState(alpha, jobs[i], "admitted");
        }
        JsonNode first = job(alpha, jobs[0]).get("run");
        JsonNode second = job(alpha, jobs[1]).get("run");
        assertThat(first.get("attempt").asInt()).isEqualTo(1);
        assertThat(first.get("state").asText()).isEqualTo("starting");
        assertThat(first.has("ended")).isFalse();
        JsonNode a = first.get("shards").get(0).get("placement").get("domains").get(0);
        JsonNode b = second.get("shards").get(0).get("placement").get("domains").get(0);
        // best fit: the second 4-GPU job takes the other half of the first one's 8-GPU domain
        assertThat(second.get("shards").get(0).get("site").asText()).isEqualTo(first.get("shards").get(0).get("site").asText());
        assertThat(a.toString()).isEqualTo("[" + a.get(0).asInt() + ",4,[[0,4]]]");
        assertThat(b.toString()).isEqualTo("[" + a.get(0).asInt() + ",4,[[4,4]]]");
        String site = first.get("shards").get(0).get("site").asText();
        JsonNode listed = call("GET", "/v1/agents/" + site + "/shards", operator, null, 200).get("items");
        assertThat(listed.findValues("placement")).containsExactlyInAnyOrder(first.get("shards").get(0).get("placement"),
                second.get("shards").get(0).get("placement"));
        assertThat(call("GET", "/v1/jobs/" + jobs[0], beta, null, 404).has("run")).isFalse();

        report(site, first.get("id").asLong(), 1, "running");
        awaitState(alpha, jobs[0], "running");
        assertThat(job(alpha, jobs[0]).get("run").get("state").asText()).as("the run follows its job").isEqualTo("running");
        assertThat(job(alpha, jobs[0]).get("run").get("shards").get(0).get("state").asText()).isEqualTo("running");
        call("POST", "/v1/jobs/" + jobs[0] + "/cancel", alpha, null, 200);
        report(site, first.get("id").asLong(), 2, "stopped");
        JsonNode cancelled = awaitState(alpha, jobs[0], "cancelled").get("run");
        assertThat(cancelled.get("state").asText()).isEqualTo("cancelled");
        assertThat(cancelled.has("ended")).isTrue();
    }

    @Test
    void aStartedShardIsListedWithItsJobTenantPlacementAndLastSeqThenStoppingAfterACancel() throws Exception {
        start(1.0, false);
        long job = submit(alpha, 8, 3600);
        awaitState(alpha, job, "admitted");
        long run = count("SELECT max(id) FROM runs WHERE job = " + job);
        String site = text("SELECT site FROM shards WHERE run = " + run);
        String other = site.equals("east") ? "west" : "east";
        JsonNode listed = call("GET", "/v1/agents/" + site + "/shards", operator, null, 200);
        JsonNode commands = call("GET", "/v1/agents/" + site + "/commands", operator, null, 200);
        assertThat(listed.get("newestCommand").asLong()).isEqualTo(commands.get("next").asLong()).isPositive();
        assertThat(listed.get("term").asLong()).isEqualTo(commands.get("term").asLong());
        assertThat(listed.get("items")).hasSize(1);
        assertThat(listed.get("domains").toString()).as("the site's capacity").isEqualTo(site.equals("east") ? "[[0,4,8]]" : "[[4,4,8]]");
        assertThat(listed.get("linkedSites").toString()).isEqualTo("[\"" + other + "\"]");
        JsonNode shard = listed.get("items").get(0);
        assertThat(List.of(shard.get("run").asLong(), shard.get("job").asLong(), (long) shard.get("seq").asInt()))
                .containsExactly(run, job, 0L);
        assertThat(shard.get("tenant").asText()).isEqualTo("alpha");
        assertThat(shard.get("state").asText()).isEqualTo("assigned");
        assertThat(shard.get("placement").get("gpus").asInt()).isEqualTo(8);
        assertThat(shard.get("placement").get("domains").get(0).get(1).asInt()).isEqualTo(8);
        assertThat(call("GET", "/v1/agents/" + other + "/shards", operator, null, 200).get("items")).isEmpty();

        report(site, run, 1, "running");
        awaitState(alpha, job, "running");
        shard = call("GET", "/v1/agents/" + site + "/shards", operator, null, 200).get("items").get(0);
        assertThat(shard.get("state").asText() + " " + shard.get("seq").asInt()).isEqualTo("running 1");

        call("POST", "/v1/jobs/" + job + "/cancel", alpha, null, 200);
        barrier();
        JsonNode stopping = call("GET", "/v1/agents/" + site + "/shards", operator, null, 200);
        assertThat(stopping.get("items").get(0).get("state").asText()).isEqualTo("stopping");
        assertThat(stopping.get("newestCommand").asLong()).as("the stop command").isGreaterThan(listed.get("newestCommand").asLong());
        report(site, run, 2, "stopped");
        assertThat(call("GET", "/v1/agents/" + site + "/shards", operator, null, 200).get("items")).isEmpty();
    }

    @Test
    void aPreparedGangIsListedOnBothSitesAssignedThenReady() throws Exception {
        start(1.0, false);
        long job = call("POST", "/v1/jobs", alpha, "{\"gpus\":40,\"scaleUpGroup\":8,\"spanSites\":true,"
                + "\"durationSeconds\":86400}", 201).get("id").asLong();
        awaitState(alpha, job, "admitted");
        long run = count("SELECT id FROM runs WHERE job = " + job);
        int gpus = 0;
        for (String site : List.of("east", "west")) {
            JsonNode shard = call("GET", "/v1/agents/" + site + "/shards", operator, null, 200).get("items").get(0);
            assertThat(shard.get("state").asText()).isEqualTo("assigned");
            gpus += shard.get("placement").get("gpus").asInt();
        }
        assertThat(gpus).isEqualTo(40);
        JsonNode prepare = call("GET", "/v1/agents/east/commands", operator, null, 200).get("items").get(0).get("payload");
        assertThat(prepare.get("siteGpus").get("east").asInt() + prepare.get("siteGpus").get("west").asInt()).isEqualTo(40);
        report("east", run, 1, "ready");
        assertThat(call("GET", "/v1/agents/east/shards", operator, null, 200).get("items").get(0).get("state").asText())
                .isEqualTo("ready");
        assertThat(call("GET", "/v1/agents/west/shards", operator, null, 200).get("items").get(0).get("state").asText())
                .isEqualTo("assigned");
        assertThat(call("GET", "/v1/agents/east/shards", operator, null, 200).get("items").get(0).get("go").asBoolean()).isFalse();
        report("west", run, 1, "ready");
        JsonNode east = call("GET", "/v1/agents/east/shards", operator, null, 200).get("items").get(0);
        assertThat(east.get("state").asText() + " go=" + east.get("go").asBoolean()).isEqualTo("ready go=true");
    }

    /** Reports over HTTP, then waits until the scheduler has applied it. */
    private void report(String site, long run, int seq, String state) throws Exception {
        call("POST", "/v1/agents/" + site + "/reports", operator,
                "{\"reports\":[{\"run\":" + run + ",\"seq\":" + seq + ",\"state\":\"" + state + "\"}]}", 200);
        barrier();
    }

    private void barrier() throws Exception {
        plane.scheduler().query(kernel -> null).get(10, TimeUnit.SECONDS);
    }
}
