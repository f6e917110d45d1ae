package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A site agent's node reports ({@code PUT /v1/agents/{site}/nodes}, issue 12 item 1): a node its
 * cluster has out takes its GPUs out of service (the job on them restarts elsewhere), the same
 * report again changes nothing, a report without it brings it back, and the set survives a
 * restart (rebuilt from the event log). Bad reports are 400 naming the field and change nothing.
 * Fleet: {@link LiveTestBase} (sites east and west, 4 domains of 8 GPUs each: domains 0–3 east, 4–7 west).
 */
class LiveNodeHealthTest extends LiveTestBase {

    private JsonNode domain(int domain) {
        return StreamSupport.stream(call("GET", "/v1/fleet", operator, null, 200).findValues("domains").spliterator(), false)
                .flatMap(ds -> StreamSupport.stream(ds.spliterator(), false))
                .filter(d -> d.get("domain").asInt() == domain).findFirst().orElseThrow();
    }

    private int domainOf(long job) throws Exception {
        return plane.scheduler().query(k -> k.allocation(job).domain(0)).get();
    }

    private static String siteOf(int domain) {
        return domain < 4 ? "east" : "west";
    }

    private JsonNode report(String token, String site, String out, int status) {
        return call("PUT", "/v1/agents/" + site + "/nodes", token, "{\"out\":[" + out + "]}", status);
    }

    private static String node(String name, int domain, int offset, int gpus) {
        return "{\"node\":\"" + name + "\",\"domain\":" + domain + ",\"offset\":" + offset + ",\"gpus\":" + gpus
                + ",\"reason\":\"drained: bad HBM\"}";
    }

    @Test
    void aNodeOutStopsItsJobWhichRestartsElsewhereAndComesBackWhenNoLongerReported() throws Exception {
        start(1, true);
        long job = submit(alpha, 8, 86_400);
        awaitState(alpha, job, "running");
        int x = domainOf(job);
        String site = siteOf(x);
        String agent = new TokenStore(database.dataSource(), Clock.systemUTC())
                .create(Principal.agent(site), Duration.ofHours(1), "t").secret();
        String out = node(site + "-n1", x, 0, 4) + "," + node(site + "-n2", x, 4, 4);

        JsonNode changed = report(agent, site, out, 200);
        assertThat(changed.get("down").asInt()).isEqualTo(2);
        assertThat(changed.get("up").asInt()).isZero();
        await(alpha, job, j -> j.get("state").asText().equals("running") && domainOfQuietly(job) != x);
        assertThat(domain(x).get("down").asInt()).isEqualTo(8);
        assertThat(domain(x).get("free").asInt()).isZero();

        JsonNode again = report(agent, site, out, 200);
        assertThat(again.get("down").asInt()).as("the same set again: nothing new").isZero();
        assertThat(again.get("up").asInt()).isZero();

        JsonNode half = report(agent, site, node(site + "-n2", x, 4, 4), 200);
        assertThat(half.get("up").asInt()).isEqualTo(1);
        assertThat(domain(x).get("down").asInt()).isEqualTo(4);
        assertThat(report(agent, site, "", 200).get("up").asInt()).isEqualTo(1);
        assertThat(domain(x).get("down").asInt()).isZero();

        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'node.down' AND tenant IS NULL"
                + " AND payload->>'node' = '" + site + "-n1' AND payload->>'reason' = 'drained: bad HBM'"
                + " AND (payload->>'domain')::int = " + x + " AND (payload->>'gpus')::int = 4")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'node.up'")).isEqualTo(2);
    }

    private int domainOfQuietly(long job) {
        try {
            return domainOf(job);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBadReportIs400NamingTheFieldAndChangesNothing() {
        start(1, false);
        report(operator, "east", node("a", 4, 0, 8), 400); // domain 4 is in west
        JsonNode wrongSite = report(operator, "east", node("a", 4, 0, 8), 400);
        assertThat(wrongSite.toString()).contains("out[0].domain").contains("west");
        assertThat(report(operator, "east", node("a", 0, 0, 8) + "," + node("b", 0, 6, 2), 400).toString())
                .contains("out[1].offset");
        assertThat(report(operator, "east", node("a", 0, 6, 4), 400).toString()).contains("out[0].gpus");
        assertThat(report(operator, "east", node("a", 0, 0, 4) + "," + node("a", 1, 0, 4), 400).toString())
                .contains("out[1].node");
        assertThat(report(operator, "east", "{\"node\":\"a\",\"domain\":0,\"offset\":0,\"gpus\":4,\"color\":1}", 400)
                .toString()).contains("out[0].color");
        assertThat(report(operator, "east", "{\"node\":\"a\",\"domain\":0,\"gpus\":4}", 400).toString())
                .contains("out[0].offset");
        report(operator, "north", "", 404);
        report(alpha, "east", "", 403);
        assertThat(call("GET", "/v1/fleet", operator, null, 200).get("down").asInt()).isZero();
        assertThat(count("SELECT count(*) FROM event_log WHERE type LIKE 'node.%'")).isZero();
    }

    @Test
    void nodesOutSurviveARestartAndAReportAfterItBringsThemBack() throws Exception {
        start(1, false);
        report(operator, "west", node("west-n3", 6, 0, 8), 200);
        String before = plane.scheduler().query(KernelSnapshot::of).get();
        plane.close();
        plane = null;
        start(1, false);
        assertThat(plane.scheduler().query(KernelSnapshot::of).get()).isEqualTo(before);
        assertThat(domain(6).get("down").asInt()).isEqualTo(8);
        JsonNode same = report(operator, "west", node("west-n3", 6, 0, 8), 200);
        assertThat(same.get("down").asInt()).as("known out from the log").isZero();
        assertThat(report(operator, "west", "", 200).get("up").asInt()).isEqualTo(1);
        assertThat(domain(6).get("down").asInt()).isZero();
        assertThat(count("SELECT count(*) FROM event_log WHERE type = 'node.up' AND payload->>'node' = 'west-n3'"))
                .isEqualTo(1);
    }
}
