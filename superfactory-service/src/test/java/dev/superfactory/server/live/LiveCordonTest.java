package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.sched.Scheduler;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Cordon end to end over the REST API (Kubernetes' cordon, not its drain): the job on a cordoned
 * domain runs to success, no new job lands there meanwhile, its GPUs stay out after the job ends,
 * and an uncordon lets the next job in; a tenant may not cordon (403), an unknown domain is 404.
 * Fleet: {@link LiveTestBase} (two sites, 4 domains of 8 GPUs each, alpha ≤ 48, beta ≤ 24).
 */
class LiveCordonTest extends LiveTestBase {

    /** Submits {@code gpus} in scale-up groups of {@code group} on one site; returns the job's id. */
    private long submit(String token, int gpus, int group, long durationSeconds) {
        return call("POST", "/v1/jobs", token, "{\"gpus\":" + gpus + ",\"scaleUpGroup\":" + group
                + ",\"spanSites\":false,\"durationSeconds\":" + durationSeconds + "}", 201).get("id").asLong();
    }

    private JsonNode domain(String token, int domain) {
        return StreamSupport.stream(call("GET", "/v1/fleet", token, null, 200).findValues("domains").spliterator(), false)
                .flatMap(ds -> StreamSupport.stream(ds.spliterator(), false))
                .filter(d -> d.get("domain").asInt() == domain).findFirst().orElseThrow();
    }

    /** The scale-up domains the kernel placed a job on. */
    private java.util.List<Integer> domainsOf(long job) throws Exception {
        return plane.scheduler().query(k -> {
            var a = k.allocation(job);
            java.util.List<Integer> out = new java.util.ArrayList<>();
            for (int i = 0; i < a.domainCount(); i++) {
                out.add(a.domain(i));
            }
            return out;
        }).get();
    }

    private boolean cordon(String path, int domain) {
        JsonNode r = call("POST", "/v1/fleet/domains/" + domain + "/" + path, operator, null, 200);
        assertThat(r.get("domain").asInt()).isEqualTo(domain);
        assertThat(r.get("cordoned").asBoolean()).isEqualTo(path.equals("cordon"));
        return r.get("changed").asBoolean();
    }

    @Test
    void aCordonedDomainRunsItsJobToTheEndTakesNoNewOneAndKeepsItsGpusOutUntilUncordoned() throws Exception {
        start(1, true); // real time: the first job runs 8 s
        long first = submit(alpha, 4, 4, 8);
        awaitState(alpha, first, "running");
        int x = domainsOf(first).get(0);
        call("POST", "/v1/fleet/domains/" + x + "/cordon", alpha, null, 403);
        call("POST", "/v1/fleet/domains/8/cordon", operator, null, 404);
        call("POST", "/v1/fleet/domains/8/uncordon", operator, null, 404);
        call("POST", "/v1/fleet/domains/x/cordon", operator, null, 400);
        assertThat(cordon("cordon", x)).isTrue();
        assertThat(cordon("cordon", x)).as("already cordoned").isFalse();
        assertThat(domain(beta, x).get("cordoned").asBoolean()).isTrue();

        long small = submit(beta, 4, 4, 86_400); // the 4 free GPUs of x would be its best fit
        awaitState(beta, small, "running");
        assertThat(domainsOf(small)).doesNotContain(x);
        for (int i = 0; i < 6; i++) { // beta 4 + 16, alpha 4 + 32: every other whole domain taken
            String tenant = i < 2 ? beta : alpha;
            awaitState(tenant, submit(tenant, 8, 8, 86_400), "running");
        }
        long waiting = submit(alpha, 8, 8, 86_400);
        JsonNode pending = await(alpha, waiting, j -> j.has("pending")).get("pending");
        assertThat(pending.get("reason").asText()).isEqualTo("NO_CAPACITY");
        assertThat(pending.get("message").asText()).contains("cordoned (no new jobs): 8 in");

        awaitState(alpha, first, "succeeded");
        assertThat(states(first)).containsExactly("queued", "admitted", "running", "succeeded");
        JsonNode out = domain(beta, x);
        assertThat(out.get("free").asInt()).as("released, still cordoned").isZero();
        assertThat(out.get("down").asInt()).isEqualTo(8);
        assertThat(plane.scheduler().query(k -> k.state(waiting)).get()).isEqualTo(Scheduler.JobState.PENDING);

        assertThat(cordon("uncordon", x)).isTrue();
        assertThat(cordon("uncordon", x)).isFalse();
        awaitState(alpha, waiting, "running");
        assertThat(domainsOf(waiting)).containsExactly(x);
        assertThat(domain(beta, x).get("cordoned").asBoolean()).isFalse();
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'domain.cordoned' AND payload->>'domain' = '" + x
                + "' AND tenant IS NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'domain.uncordoned'")).isEqualTo(1);
    }

    @Test
    void aCordonedDomainsRunningJobIsAllocatedNotDownADrainStillStopsItAndBothSurviveARestart() throws Exception {
        start(1, true);
        long job = submit(alpha, 8, 8, 86_400);
        awaitState(alpha, job, "running");
        int x = domainsOf(job).get(0);
        cordon("cordon", x);
        JsonNode d = domain(alpha, x);
        assertThat(d.get("free").asInt()).isZero();
        assertThat(d.get("down").asInt()).as("its GPUs are held by a running job, not down").isZero();
        JsonNode fleet = call("GET", "/v1/fleet", alpha, null, 200);
        assertThat(fleet.get("allocated").asInt()).isEqualTo(8);
        assertThat(fleet.get("down").asInt()).isZero();
        call("POST", "/v1/fleet/domains/" + x + "/drain", operator, null, 200);
        awaitState(alpha, job, "running"); // a drain of a cordoned domain stops its job: it restarts elsewhere
        assertThat(domainsOf(job)).doesNotContain(x);
        cordon("uncordon", x);
        assertThat(domain(alpha, x).get("down").asInt()).as("uncordoned, still drained").isEqualTo(8);
        cordon("cordon", x);
        plane.close();
        plane = null;
        start(1, true); // the kernel is rebuilt from the event log: cordon and drain with it
        JsonNode after = domain(alpha, x);
        assertThat(after.get("down").asInt()).isEqualTo(8);
        assertThat(after.get("cordoned").asBoolean()).isTrue();
        assertThat(after.get("drained").asBoolean()).isTrue();
    }

    @Test
    void aRestartRebuildsTheCordonsFromTheEventLog() throws Exception {
        start(1, false); // no agent: nothing changes between the two snapshots
        long held = submit(alpha, 4, 4, 86_400);
        awaitState(alpha, held, "admitted");
        int x = domainsOf(held).get(0);
        cordon("cordon", x);
        cordon("cordon", (x + 1) % 8);
        cordon("uncordon", (x + 1) % 8);
        long other = submit(beta, 4, 4, 86_400); // x's 4 free GPUs would be its best fit
        awaitState(beta, other, "admitted");
        String before = plane.scheduler().query(KernelSnapshot::of).get();
        plane.close();
        plane = null;
        start(1, false);
        assertThat(plane.scheduler().query(KernelSnapshot::of).get()).isEqualTo(before);
        assertThat(before).contains("domain " + x + " cordoned 8").doesNotContain("domain " + (x + 1) % 8 + " cordoned");
        assertThat(domainsOf(other)).doesNotContain(x);
    }
}
