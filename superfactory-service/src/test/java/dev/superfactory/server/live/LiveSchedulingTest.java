package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.server.ControlPlane;
import dev.superfactory.server.store.SchedulerStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live path end to end: REST submit → scheduler thread → store → simulated agent → reports → kernel. */
class LiveSchedulingTest extends LiveTestBase {

    @Test
    void aJobIsQueuedAdmittedRunAndSucceedsWithEveryStepInTheLog() {
        start(3600, true); // an hour of run time takes a second
        long id = submit(alpha, 16, 360);
        awaitState(alpha, id, "succeeded");
        assertThat(states(id)).containsExactly("queued", "admitted", "running", "succeeded");
        assertThat(count("SELECT count(*) FROM runs WHERE job = " + id + " AND state = 'succeeded' AND ended IS NOT NULL"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM shards s JOIN runs r ON r.id = s.run WHERE r.job = " + id
                + " AND s.state = 'finished'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'start'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM shard_reports WHERE NOT applied")).isZero();
        assertThat(count("SELECT run FROM event_log WHERE job = " + id + " AND payload->>'to' = 'admitted'"))
                .as("the admitted event names its run").isEqualTo(count("SELECT id FROM runs WHERE job = " + id));
    }

    @Test
    void aJobLargerThanItsTenantMayHoldFailsWithTheReason() {
        start(3600, true);
        long id = submit(beta, 32, 60); // beta's limit is 24
        JsonNode job = awaitState(beta, id, "failed");
        assertThat(job.get("state").asText()).isEqualTo("failed");
        assertThat(states(id)).containsExactly("failed");
        assertThat(text("SELECT payload->>'reason' FROM event_log WHERE job = " + id + " AND type = 'job.state'"))
                .isEqualTo("TOO_LARGE");
    }

    @Test
    void aPendingJobSaysWhyWithNumbersAndWhereItIsInTheQueue() {
        start(1, true); // real time: the long jobs below hold their GPUs for the whole test
        long first = submit(alpha, 32, 86_400);
        long second = submit(alpha, 16, 86_400);
        awaitState(alpha, first, "running");
        awaitState(alpha, second, "running");
        long blocked = submit(alpha, 8, 60); // alpha holds 48 of 48
        long other = submit(beta, 24, 60);   // 16 GPUs are free, in two whole domains of west or east
        JsonNode pending = await(alpha, blocked, j -> j.has("pending")).get("pending");
        assertThat(pending.get("reason").asText()).isEqualTo("TENANT_LIMIT");
        assertThat(pending.get("tenantGpus").asInt()).isEqualTo(48);
        assertThat(pending.get("tenantLimit").asInt()).isEqualTo(48);
        assertThat(pending.get("message").asText()).contains("needs 8 GPUs", "tenant alpha holds 48 of its 48-GPU limit");
        JsonNode waiting = await(beta, other, j -> j.has("pending")).get("pending");
        assertThat(waiting.get("reason").asText()).isEqualTo("NO_CAPACITY");
        assertThat(waiting.get("freeGpus").get("east").asInt() + waiting.get("freeGpus").get("west").asInt()).isEqualTo(16);
        assertThat(waiting.get("position").asInt()).isEqualTo(2);
        assertThat(waiting.get("pending").asInt()).isEqualTo(2);
        assertThat(waiting.get("tenantPosition").asInt()).isEqualTo(1);
        assertThat(pending.get("position").asInt()).isEqualTo(1);
        // another tenant's job is not found, so its reason is not shown either
        call("GET", "/v1/jobs/" + blocked, beta, null, 404);
    }

    @Test
    void cancellingARunningJobStopsItsShardsAndFreesItsGpusForTheNextJob() {
        start(1, true);
        long big = submit(alpha, 32, 86_400);
        awaitState(alpha, big, "running");
        long second = submit(alpha, 16, 86_400);
        awaitState(alpha, second, "running"); // one site full, 16 free on the other
        long waiting = submit(beta, 24, 86_400);
        assertThat(await(beta, waiting, j -> j.has("pending")).get("pending").get("reason").asText()).isEqualTo("NO_CAPACITY");
        JsonNode cancelled = call("POST", "/v1/jobs/" + big + "/cancel", alpha, null, 200);
        assertThat(cancelled.get("state").asText()).isEqualTo("cancelled");
        awaitState(beta, waiting, "running");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count("SELECT count(*) FROM shards s JOIN runs r ON r.id = s.run WHERE r.job = " + big
                + " AND s.state = 'stopped'") == 0) {
            assertThat(System.nanoTime()).as("the agent never confirmed the stop").isLessThan(deadline);
            sleep(20);
        }
        assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'stop'")).isEqualTo(1);
        call("POST", "/v1/jobs/" + big + "/cancel", alpha, null, 409);
    }

    @Test
    void aRestartRebuildsTheSameKernelFromTheEventLog() throws Exception {
        start(1, false); // no agent: nothing changes between the two snapshots
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(submit(i % 3 == 0 ? beta : alpha, 8 * (1 + i % 4), 86_400));
        }
        call("POST", "/v1/jobs/" + ids.get(5) + "/cancel", alpha, null, 200);
        awaitState(alpha, ids.get(11), "queued");
        String before = plane.scheduler().query(KernelSnapshot::of).get();
        plane.close();
        plane = null;
        start(1, false);
        String after = plane.scheduler().query(KernelSnapshot::of).get();
        assertThat(after).isEqualTo(before);
        assertThat(before).contains("running", "pending");
    }

    @Test
    void drainingADomainRestartsItsJobElsewhereAndTakesItsGpusOutUntilRestored() {
        start(1, true);
        long id = submit(alpha, 8, 86_400);
        awaitState(alpha, id, "running");
        int domain = call("GET", "/v1/fleet", alpha, null, 200).get("sites").findValues("domains").stream()
                .flatMap(ds -> java.util.stream.StreamSupport.stream(ds.spliterator(), false))
                .filter(d -> d.get("free").asInt() == 0).findFirst().orElseThrow().get("domain").asInt();
        call("POST", "/v1/fleet/domains/" + domain + "/drain", alpha, null, 403);
        JsonNode drained = call("POST", "/v1/fleet/domains/" + domain + "/drain", operator, null, 200);
        assertThat(drained.get("changed").asBoolean()).isTrue();
        assertThat(call("POST", "/v1/fleet/domains/" + domain + "/drain", operator, null, 200).get("changed").asBoolean())
                .isFalse();
        awaitState(alpha, id, "running");
        assertThat(states(id)).containsExactly("queued", "admitted", "running", "lost", "queued", "admitted", "running");
        assertThat(count("SELECT count(*) FROM runs WHERE job = " + id)).isEqualTo(2);
        JsonNode fleet = call("GET", "/v1/fleet", beta, null, 200);
        assertThat(fleet.get("down").asInt()).isEqualTo(8);
        assertThat(fleet.get("allocated").asInt()).isEqualTo(8);
        assertThat(fleet.findValues("domains").stream().flatMap(ds -> java.util.stream.StreamSupport.stream(ds.spliterator(), false))
                .filter(d -> d.get("drained").asBoolean()).map(d -> d.get("domain").asInt()).toList()).containsExactly(domain);
        call("POST", "/v1/fleet/domains/" + domain + "/restore", operator, null, 200);
        assertThat(call("GET", "/v1/fleet", beta, null, 200).get("down").asInt()).isZero();
        call("POST", "/v1/fleet/domains/99/drain", operator, null, 404);
    }

    @Test
    void aHeldJobLeavesTheQueueAndAReleasedOneQueuesAgainAtTheBack() {
        start(1, true);
        long big = submit(alpha, 32, 86_400);
        awaitState(alpha, big, "running");
        awaitState(alpha, submit(alpha, 16, 86_400), "running"); // alpha at its limit of 48: its next jobs wait
        long first = submit(alpha, 8, 60);
        long second = submit(alpha, 8, 60);
        assertThat(await(alpha, second, j -> j.has("pending")).get("pending").get("tenantPosition").asInt()).isEqualTo(2);
        call("POST", "/v1/jobs/" + first + "/hold", beta, null, 404);
        call("POST", "/v1/jobs/" + big + "/hold", alpha, null, 409);
        assertThat(call("POST", "/v1/jobs/" + first + "/hold", alpha, null, 200).get("state").asText()).isEqualTo("held");
        assertThat(job(alpha, second).get("pending").get("tenantPosition").asInt()).isEqualTo(1);
        call("POST", "/v1/jobs/" + first + "/hold", alpha, null, 409);
        assertThat(call("POST", "/v1/jobs/" + first + "/release", alpha, null, 200).get("state").asText()).isEqualTo("queued");
        JsonNode released = job(alpha, first).get("pending");
        assertThat(released.get("tenantPosition").asInt()).isEqualTo(2);
        call("POST", "/v1/jobs/" + first + "/hold", alpha, null, 200);
        assertThat(call("POST", "/v1/jobs/" + first + "/cancel", alpha, null, 200).get("state").asText()).isEqualTo("cancelled");
        assertThat(states(first)).containsExactly("queued", "held", "queued", "held", "cancelled");
    }

    @Test
    void aSiteWhoseAgentFallsSilentPastItsLeaseLosesItsRunsAndTheirJobsRestartOnTheOtherSite() {
        start(1, false, java.time.Duration.ofSeconds(2)); // the test is the agent of both sites
        AgentGateway gateway = plane.gateway();
        long id = submit(alpha, 32, 86_400); // a whole site
        await(alpha, id, j -> j.get("state").asText().equals("admitted"));
        String site = text("SELECT site FROM shards s JOIN runs r ON r.id = s.run WHERE r.job = " + id);
        String other = site.equals("east") ? "west" : "east";
        long run = count("SELECT id FROM runs WHERE job = " + id);
        gateway.commands(site, 0, 100);
        gateway.report(new SchedulerStore.Report(run, site, 1, "running"));
        awaitState(alpha, id, "running");
        long[] cursor = {0};
        // only the other site's agent keeps polling: the job's site falls silent
        JsonNode restarted = await(alpha, id, j -> {
            cursor[0] = poll(gateway, other, cursor[0]);
            return j.get("state").asText().equals("admitted");
        });
        assertThat(restarted.get("state").asText()).isEqualTo("admitted");
        assertThat(states(id)).containsExactly("queued", "admitted", "running", "lost", "queued", "admitted");
        assertThat(text("SELECT state FROM runs WHERE id = " + run)).isEqualTo("lost");
        assertThat(text("SELECT s.site FROM shards s JOIN runs r ON r.id = s.run WHERE r.job = " + id + " AND r.ended IS NULL"))
                .isEqualTo(other);
        assertThat(call("GET", "/v1/fleet", alpha, null, 200).get("down").asInt()).isEqualTo(32);
        // the silent agent comes back: its site is in service again, and it is told to stop the lost run
        long deadline = System.nanoTime() + 10_000_000_000L;
        java.util.List<SchedulerStore.AgentCommand> back = gateway.commands(site, 0, 100);
        while (call("GET", "/v1/fleet", alpha, null, 200).get("down").asInt() != 0) {
            assertThat(System.nanoTime()).as("the site never came back").isLessThan(deadline);
            cursor[0] = poll(gateway, other, cursor[0]);
            gateway.commands(site, 0, 100);
            sleep(50);
        }
        assertThat(back).extracting(SchedulerStore.AgentCommand::kind).containsExactly("start", "stop");
    }

    @Test
    void tenantsSeeTheirContractAndUseAndTheirUsageAddsUpByTheContractsPrices() {
        start(3600, true);
        long id = submit(alpha, 16, 21_600); // six hours at 3600×: six seconds
        awaitState(alpha, id, "running");
        JsonNode mine = call("GET", "/v1/tenants", alpha, null, 200).get("items");
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("tenant").asText()).isEqualTo("alpha");
        assertThat(mine.get(0).get("gpusHeld").asInt()).isEqualTo(16);
        assertThat(mine.get(0).get("gpuLimit").asInt()).isEqualTo(48);
        assertThat(call("GET", "/v1/tenants", operator, null, 200).get("items")).hasSize(2);
        awaitState(alpha, id, "succeeded");
        String window = "?since=2020-01-01T00:00:00Z&until=2100-01-01T00:00:00Z";
        JsonNode usage = call("GET", "/v1/tenants/alpha/usage" + window, alpha, null, 200);
        double hours = count("SELECT round(extract(epoch FROM (ended - created)) * 1000000) FROM runs WHERE job = " + id)
                / 3_600_000_000.0 * 16;
        assertThat(usage.get("gpuHours").asDouble()).isCloseTo(hours, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(usage.get("borrowedGpuHours").asDouble()).isEqualTo(usage.get("gpuHours").asDouble()); // no reservation
        assertThat(usage.get("onDemandUsd").asDouble()).isCloseTo(hours * 3.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(usage.get("gpuHoursBySite").size()).isEqualTo(1);
        call("GET", "/v1/tenants/alpha/usage", beta, null, 404);
        call("GET", "/v1/tenants/alpha/usage?since=yesterday", alpha, null, 400);
        assertThat(call("GET", "/v1/tenants/beta/usage", operator, null, 200).get("gpuHours").asDouble()).isZero();
    }

    @Test
    void anOperatorRaisesATenantsLimitAndItsWaitingJobStartsAndARestartKeepsTheNewContract() throws Exception {
        start(1, true);
        long big = submit(beta, 24, 86_400);
        awaitState(beta, big, "running");
        long waiting = submit(beta, 8, 86_400); // beta holds 24 of 24
        assertThat(await(beta, waiting, j -> j.has("pending")).get("pending").get("reason").asText()).isEqualTo("TENANT_LIMIT");
        JsonNode terms = call("GET", "/v1/tenants", beta, null, 200).get("items").get(0).get("terms");
        ((com.fasterxml.jackson.databind.node.ObjectNode) terms).put("gpuLimit", 32);
        ((com.fasterxml.jackson.databind.node.ObjectNode) terms.get("contract")).put("borrowLimitGpus", 32);
        call("PUT", "/v1/tenants/beta/contract", beta, terms.toString(), 403);
        call("PUT", "/v1/tenants/beta/contract", operator, "{\"gpuLimit\": 32}", 400);
        call("PUT", "/v1/tenants/nobody/contract", operator, terms.toString(), 404);
        JsonNode beta2 = call("PUT", "/v1/tenants/beta/contract", operator, terms.toString(), 200);
        assertThat(beta2.get("contractVersion").asInt()).isEqualTo(2);
        assertThat(beta2.get("gpuLimit").asInt()).isEqualTo(32);
        awaitState(beta, waiting, "running");
        String before = plane.scheduler().query(KernelSnapshot::of).get();
        plane.close();
        plane = null;
        start(1, false);
        assertThat(plane.scheduler().query(KernelSnapshot::of).get()).isEqualTo(before);
        assertThat(call("GET", "/v1/tenants", beta, null, 200).get("items").get(0).get("contractVersion").asInt()).isEqualTo(2);
        // lowered under a queued job: the job can never run now, and fails; the scheduler goes on
        long queued = submit(beta, 16, 60);
        assertThat(await(beta, queued, j -> j.has("pending")).get("pending").get("reason").asText()).isEqualTo("TENANT_LIMIT");
        ((com.fasterxml.jackson.databind.node.ObjectNode) terms).put("gpuLimit", 8);
        ((com.fasterxml.jackson.databind.node.ObjectNode) terms.get("contract")).put("borrowLimitGpus", 8);
        assertThat(call("PUT", "/v1/tenants/beta/contract", operator, terms.toString(), 200).get("contractVersion").asInt())
                .isEqualTo(3);
        awaitState(beta, queued, "failed");
        awaitState(alpha, submit(alpha, 8, 60), "admitted"); // the scheduler goes on (no agent runs it here)
    }

    @Test
    void aSecondControlPlaneOnTheSameDatabaseFencesTheFirst() throws Exception {
        start(1, false);
        ControlPlane first = plane;
        try (ControlPlane second = ControlPlane.start(database, TWO_SITES, java.time.Clock.systemUTC(),
                new ControlPlane.Settings(0, 1, false, java.time.Duration.ofMillis(2), java.time.Duration.ofMillis(10),
                        java.time.Duration.ofSeconds(30)), null)) {
            assertThat(second.scheduler().term()).isEqualTo(first.scheduler().term() + 1);
            long id = submit(alpha, 8, 60); // through the first plane's API: its scheduler may no longer commit
            sleep(500);
            assertThat(job(alpha, id).get("state").asText()).isEqualTo("submitted");
            assertThat(first.scheduler().passes()).isZero();
            plane = second; // the test's calls go to the second plane now
            long other = submit(alpha, 8, 60);
            awaitState(alpha, other, "admitted"); // placed by the second plane's scheduler (no agents)
            plane = first;
        }
    }

    @Test
    void injectedFailuresEndRunsAsFailedAndTheSchedulerRestartsTheJob() {
        // the two small sites with the single-site preset's failure model (Llama 3's H100 rates)
        var failing = TWO_SITES.withReliability(dev.superfactory.scenario.Presets.load("single-site").reliability());
        double perGpuSecond = FailureRate.perGpuSecond(failing.reliability(), failing.fleet());
        assertThat(perGpuSecond).as("the scenario's reliability model").isPositive();
        assertThat(FailureRate.perGpuSecond(TWO_SITES.reliability(), TWO_SITES.fleet())).isZero(); // off there
        // 8 GPUs for 10 failure-free lifetimes: almost surely fails (and restarts) several times in a few seconds
        long seconds = Math.round(10 / (8 * perGpuSecond));
        start(failing, new ControlPlane.Settings(0, seconds / 5.0, true, java.time.Duration.ofMillis(2),
                java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(30), true));
        long id = submit(alpha, 8, seconds);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count("SELECT count(*) FROM runs WHERE job = " + id + " AND state = 'failed'") < 2) {
            assertThat(System.nanoTime()).as("no run of job %d failed twice", id).isLessThan(deadline);
            sleep(20);
        }
        assertThat(states(id)).startsWith("queued", "admitted", "running", "lost");
        call("POST", "/v1/jobs/" + id + "/cancel", alpha, null, 200);
    }

    private static long poll(AgentGateway gateway, String site, long after) {
        java.util.List<SchedulerStore.AgentCommand> commands = gateway.commands(site, after, 100);
        return commands.isEmpty() ? after : commands.get(commands.size() - 1).id();
    }
}
