package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.sched.KernelDigest;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.server.ControlPlane;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/whatif} and {@code POST /v1/jobs?dryRun=true} on the two small sites (32 GPUs each,
 * domains of 8), with no agents: placed jobs hold their GPUs until their declared ends. Alpha runs
 * {@code a} (32 GPUs on one site, an hour) and {@code b} (16 on the other, half an hour) and queues
 * {@code c} (16 GPUs), which waits for b: alpha is at its 48-GPU limit.
 */
class WhatIfApiTest extends LiveTestBase {

    private long a;
    private long b;
    private long c;
    private long aEnds;
    private long bEnds;

    @BeforeEach
    void alphaRunsTwoJobsAndQueuesOne() throws Exception {
        start(new ControlPlane.Settings(0, 1, false, Duration.ofMillis(2), Duration.ofMillis(10), Duration.ofHours(1))
                .withForecasts(new LiveForecasts.Settings(Duration.ofSeconds(1), 8, Duration.ofDays(7), 2, 1, 0)));
        a = submit(alpha, 32, 3600);
        await(alpha, a, j -> j.get("state").asText().equals("admitted"));
        b = submit(alpha, 16, 1800);
        await(alpha, b, j -> j.get("state").asText().equals("admitted"));
        c = submit(alpha, 16, 600);
        await(alpha, c, j -> j.get("state").asText().equals("queued"));
        aEnds = plane.scheduler().query(k -> k.expectedEnd(a)).get(10, TimeUnit.SECONDS);
        bEnds = plane.scheduler().query(k -> k.expectedEnd(b)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSiteDownRequeuesTheJobOnItAndDelaysTheQueuedJobBehindItByExactlyTheDifferenceOfTheEnds() throws Exception {
        String site = siteOf(b);
        KernelDigest before = plane.scheduler().query(Scheduler::digest).get(10, TimeUnit.SECONDS);

        JsonNode r = call("POST", "/v1/whatif", operator, "{\"downSites\":[\"" + site + "\"]}", 200);

        assertThat(r.get("changedJobs").asInt()).isEqualTo(2);
        JsonNode requeued = r.get("jobs").get(0);
        assertThat(requeued.get("id").asLong()).as("the requeued job first").isEqualTo(b);
        assertThat(requeued.get("requeued").asBoolean()).isTrue();
        assertThat(requeued.get("before").isNull()).isTrue();
        assertThat(Instant.parse(requeued.get("after").get("exact").asText())).as("b waits for a's GPUs")
                .isEqualTo(Instant.ofEpochSecond(aEnds));
        JsonNode delayed = r.get("jobs").get(1);
        assertThat(delayed.get("id").asLong()).isEqualTo(c);
        assertThat(Instant.parse(delayed.get("before").get("exact").asText())).isEqualTo(Instant.ofEpochSecond(bEnds));
        assertThat(Instant.parse(delayed.get("after").get("exact").asText())).isEqualTo(Instant.ofEpochSecond(aEnds));
        assertThat(delayed.get("exactDelaySeconds").asLong()).isEqualTo(aEnds - bEnds);
        JsonNode alphaDelta = r.get("tenants").get(0);
        assertThat(alphaDelta.get("tenant").asText()).isEqualTo("alpha");
        assertThat(alphaDelta.get("queued").asInt()).isEqualTo(1);
        assertThat(alphaDelta.get("requeued").asInt()).isEqualTo(1);
        assertThat(alphaDelta.get("later").asInt() + alphaDelta.get("earlier").asInt() + alphaDelta.get("same").asInt())
                .isEqualTo(1);

        KernelDigest after = plane.scheduler().query(Scheduler::digest).get(10, TimeUnit.SECONDS);
        assertThat(after.firstDifference(before)).as("the what-if left the live kernel as it was").isNull();
        assertThat(job(alpha, b).get("state").asText()).isEqualTo("admitted");
    }

    @Test
    void aDryRunSubmitForecastsTheJobAndStoresNothing() throws Exception {
        long jobsBefore = call("GET", "/v1/jobs", beta, null, 200).get("items").size();

        JsonNode dry = call("POST", "/v1/jobs?dryRun=true", beta,
                "{\"gpus\":16,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":600}", 200);

        assertThat(dry.get("dryRun").asBoolean()).isTrue();
        assertThat(Instant.parse(dry.get("forecast").get("exact").asText()))
                .as("16 GPUs are free on b's site and beta holds none: it would start at once")
                .isEqualTo(Instant.parse(dry.get("asOf").asText()));
        assertThat(dry.get("estimatedStart").asText()).isEqualTo(dry.get("forecast").get("p50").asText());
        assertThat(dry.get("tenants").findValuesAsText("tenant")).as("beta sees nothing of alpha").doesNotContain("alpha");
        assertThat(dry.get("changedJobs").asInt()).isZero();
        assertThat(call("GET", "/v1/jobs", beta, null, 200).get("items").size()).isEqualTo(jobsBefore);
    }

    @Test
    void aHypotheticalJobDelaysNoQueuedJobInThisQueue() {
        JsonNode r = call("POST", "/v1/whatif", operator,
                "{\"jobs\":[{\"tenant\":\"beta\",\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":900,"
                        + "\"count\":2}]}", 200);
        assertThat(r.get("hypothetical")).hasSize(2);
        for (JsonNode h : r.get("hypothetical")) {
            assertThat(h.get("tenant").asText()).isEqualTo("beta");
            assertThat(h.get("start").get("exact").isTextual()).as("%s starts within the week", h).isTrue();
        }
        for (JsonNode moved : r.get("jobs")) {
            assertThat(moved.get("exactDelaySeconds").asLong()).as("%s", moved).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void aContractTooSmallForAQueuedJobShowsItRejectedAndADryRunTooLargeForItsTenantIsRejected() {
        JsonNode terms = null;
        for (JsonNode t : call("GET", "/v1/tenants", operator, null, 200).get("items")) {
            if (t.get("tenant").asText().equals("alpha")) {
                terms = t.get("terms").deepCopy();
            }
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) terms).put("gpuLimit", 8);

        JsonNode r = call("POST", "/v1/whatif", operator,
                "{\"contracts\":[{\"tenant\":\"alpha\",\"terms\":" + terms + "}]}", 200);

        JsonNode rejected = r.get("jobs").get(0);
        assertThat(rejected.get("id").asLong()).isEqualTo(c);
        assertThat(rejected.get("rejected").asText()).isEqualTo("TOO_LARGE");
        assertThat(rejected.get("after").isNull()).isTrue();
        JsonNode alphaDelta = r.get("tenants").get(0);
        assertThat(alphaDelta.get("rejected").asInt()).isEqualTo(1);
        assertThat(alphaDelta.get("queued").asInt()).isEqualTo(1);
        assertThat(alphaDelta.get("later").asInt()).isEqualTo(1);

        JsonNode dry = call("POST", "/v1/jobs?dryRun=true", beta,
                "{\"gpus\":32,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":600}", 200);
        assertThat(dry.get("rejected").asText()).as("beta may hold 24 GPUs").isEqualTo("TOO_LARGE");
        assertThat(dry.get("forecast").isNull()).isTrue();
    }

    @Test
    void tenantsMayAddOnlyTheirOwnJobsAndChangeNothingElse() {
        JsonNode forbidden = call("POST", "/v1/whatif", beta,
                "{\"jobs\":[{\"tenant\":\"alpha\",\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":60}]}", 403);
        assertThat(forbidden.get("detail").asText()).contains("its own only");
        call("POST", "/v1/whatif", beta, "{\"drainDomains\":[0]}", 403);
        call("POST", "/v1/whatif", beta, "{\"downSites\":[\"east\"]}", 403);
        JsonNode own = call("POST", "/v1/whatif", beta,
                "{\"jobs\":[{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":60}]}", 200);
        assertThat(own.get("jobs").findValuesAsText("tenant")).as("beta sees none of alpha's jobs").doesNotContain("alpha");
        assertThat(own.get("tenants").findValuesAsText("tenant")).doesNotContain("alpha");
    }

    @Test
    void badWhatIfsAreProblemsNamingTheField() {
        assertThat(call("POST", "/v1/whatif", operator, "{}", 400).get("detail").asText()).contains("changes nothing");
        assertThat(call("POST", "/v1/whatif", operator, "{\"drainDomains\":[99]}", 400).get("field").asText())
                .isEqualTo("drainDomains[0]");
        assertThat(call("POST", "/v1/whatif", operator, "{\"downSites\":[\"mars\"]}", 400).get("field").asText())
                .isEqualTo("downSites[0]");
        assertThat(call("POST", "/v1/whatif", operator, "{\"drainDomains\":[1, 2, 1]}", 400).get("field").asText())
                .isEqualTo("drainDomains[2]");
        assertThat(call("POST", "/v1/whatif", operator, "{\"downSites\":[\"east\", \"east\"]}", 400).get("field")
                .asText()).isEqualTo("downSites[1]");
        assertThat(call("POST", "/v1/jobs/batch?dryRun=true", alpha, "{\"jobs\":[]}", 400).get("field").asText())
                .isEqualTo("dryRun");
        JsonNode terms = call("GET", "/v1/tenants", operator, null, 200).get("items").get(0).get("terms");
        String tenant = call("GET", "/v1/tenants", operator, null, 200).get("items").get(0).get("tenant").asText();
        String change = "{\"tenant\":\"" + tenant + "\",\"terms\":" + terms + "}";
        assertThat(call("POST", "/v1/whatif", operator, "{\"contracts\":[" + change + "," + change + "]}", 400)
                .get("field").asText()).isEqualTo("contracts[1].tenant");
        assertThat(call("POST", "/v1/whatif", operator,
                "{\"jobs\":[{\"tenant\":\"alpha\",\"gpus\":12,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":60}]}",
                400).get("field").asText()).isEqualTo("jobs[0].gpus");
        assertThat(call("POST", "/v1/whatif", operator,
                "{\"jobs\":[{\"tenant\":\"nobody\",\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":60}]}",
                400).get("field").asText()).isEqualTo("jobs[0].tenant");
        assertThat(call("POST", "/v1/whatif", operator, "{\"contracts\":[{\"tenant\":\"alpha\",\"terms\":{\"gpuLimit\":-1}}]}",
                400).get("field").asText()).startsWith("contracts[0]");
        assertThat(call("POST", "/v1/whatif", operator, "{\"flights\":[]}", 400).get("field").asText()).isEqualTo("flights");
        assertThat(call("POST", "/v1/jobs?dryRun=maybe", alpha,
                "{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":60}", 400).get("field").asText())
                .isEqualTo("dryRun");
    }

    /** The site of the job's newest run (its one shard's). */
    private String siteOf(long job) {
        return job(alpha, job).get("run").get("shards").get(0).get("site").asText();
    }
}
