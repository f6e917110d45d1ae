package dev.superfactory.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's HTTP client and its failure handling against a scripted control plane (the JDK's
 * HttpServer on 127.0.0.1 answering what each test says: a stand-in, because the point is the
 * answers a real one gives only when broken). The real control plane is in SiteAgentTest.
 */
class ControlPlaneClientTest {

    private static final String TOKEN = "sf_SECRETsecretSECRETsecretSECRETsecret12345";

    private HttpServer server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** The request bodies of POST reports, in order. */
    private final List<String> reportBodies = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Serves {@code answer(path) → [status, body]} and counts requests per path (without the query). */
    private URI serve(Function<String, Object[]> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", (HttpExchange x) -> {
            String path = x.getRequestURI().getPath();
            calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String request = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.endsWith("/reports")) {
                reportBodies.add(request);
            }
            Object[] reply = answer.apply(path.endsWith("/reports") ? path + "?" + request : path);
            byte[] body = ((String) reply[1]).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders((Integer) reply[0], body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private int count(String path) {
        return calls.getOrDefault(path, new AtomicInteger()).get();
    }

    @Test
    void a4xxIsRefusedWithItsDetailA5xxOrADeadPortIsUnreachableAndTheTokenIsInNoMessage() throws Exception {
        URI base = serve(path -> path.endsWith("/commands")
                ? new Object[] {403, "{\"detail\":\"agent of site west may not act for site east\"}"}
                : new Object[] {503, "{\"detail\":\"the database is down\"}"});
        ControlPlaneClient client = new ControlPlaneClient(base, "east", TOKEN, Duration.ofSeconds(2));
        assertThatThrownBy(() -> client.commands(0, 10)).isInstanceOf(ControlPlaneClient.Refused.class)
                .hasMessage("GET " + base + "/v1/agents/east/commands?after=0&limit=10: HTTP 403 agent of site west may not "
                        + "act for site east")
                .satisfies(e -> assertThat(((ControlPlaneClient.Refused) e).status()).isEqualTo(403));
        assertThatThrownBy(client::shards).isInstanceOf(ControlPlaneClient.Unreachable.class)
                .hasMessageContaining("HTTP 503 the database is down").hasMessageNotContaining("SECRET");
        server.stop(0);
        assertThatThrownBy(() -> client.report(List.of(new ControlPlaneClient.Report(1, 1, "running", 0))))
                .isInstanceOf(ControlPlaneClient.Unreachable.class).hasMessageContaining("ConnectException")
                .hasMessageNotContaining("SECRET");
        assertThat(client.toString()).doesNotContain("SECRET");
        server = null;
    }

    @Test
    void whileTheControlPlaneFailsTheAgentBacksOffToItsCapAndARefusedReportIsDroppedNotResentForever() throws Exception {
        // the control plane believes run 7 live; the cluster has nothing: the agent reports it failed, and is refused
        AtomicInteger failing = new AtomicInteger(1);
        URI base = serve(path -> {
            if (failing.get() == 1) {
                return new Object[] {503, "{\"detail\":\"restarting\"}"};
            }
            return switch (path.substring(path.lastIndexOf('/') + 1)) {
                case "shards" -> new Object[] {200, "{\"term\":1,\"newestCommand\":3,\"items\":[{\"run\":7,\"job\":1,"
                        + "\"tenant\":\"a\",\"state\":\"running\",\"seq\":1,\"placement\":{},\"go\":false}]}"};
                case "commands" -> new Object[] {200, "{\"term\":1,\"items\":[],\"next\":3}"};
                default -> new Object[] {400, "{\"detail\":\"reports[0].state: refused by the test\"}"};
            };
        });
        ControlPlaneClient client = new ControlPlaneClient(base, "east", TOKEN, Duration.ofSeconds(2));
        NodeMap map = NodeMap.parse("site: east\nnodes:\n  - {node: n1, domain: 0, gpus: 8}\n", "map.yaml");
        try (AgentRunner agent = AgentRunner.start(client, FixedCluster.empty(), map,
                new AgentRunner.Settings(1, Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMillis(320), "/tmp", "USR1"))) {
            Thread.sleep(1200);
            // waits of 10, 20, 40, 80, 160, then 320 ms: 8 attempts in 1.2 s (without backoff: 17 here, 120 at best)
            assertThat(count("/v1/agents/east/shards")).isBetween(5, 10);
            failing.set(0);
            // back within one capped wait, then polling every 10 ms: wait for that (a loaded machine is slow)
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(agent.connected() && count("/v1/agents/east/commands") > 5) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(agent.connected()).isTrue();
            assertThat(count("/v1/agents/east/commands")).isGreaterThan(5);
            // the batch, then the report alone: both refused, so it is dropped, not sent again on later polls
            int polled = count("/v1/agents/east/commands");
            while (count("/v1/agents/east/commands") < polled + 10 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(count("/v1/agents/east/commands")).isGreaterThanOrEqualTo(polled + 10);
            assertThat(count("/v1/agents/east/reports")).isEqualTo(2);
        }
    }

    /** The control plane believes run 7 running on east; reports get {@code reports(body)}. */
    private URI believesRun7Running(Function<String, Object[]> reports) throws IOException {
        return serve(path -> switch (path.substring(path.lastIndexOf('/') + 1).replaceAll("\\?.*", "")) {
            case "shards" -> new Object[] {200, "{\"term\":1,\"newestCommand\":0,\"items\":[{\"run\":7,\"job\":1,"
                    + "\"tenant\":\"a\",\"state\":\"running\",\"seq\":1,\"placement\":{},\"go\":false}]}"};
            case "commands" -> new Object[] {200, "{\"term\":1,\"items\":[],\"next\":0}"};
            case "reports" -> reports.apply(path.substring(path.indexOf('?') + 1));
            default -> new Object[] {200, "{\"down\":0,\"up\":0}"};
        });
    }

    private static AgentRunner.Settings fastPolls() {
        return new AgentRunner.Settings(1, Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMillis(320), "/tmp", "USR1");
    }

    private void awaitReports(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (reportBodies.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100); // and no more
    }

    @Test
    void aShardThatFailedOnTheClusterIsReportedFailedWithTheClustersReason() throws Exception {
        URI base = believesRun7Running(body -> new Object[] {200, "{\"stored\":1,\"duplicates\":0}"});
        ControlPlaneClient client = new ControlPlaneClient(base, "east", TOKEN, Duration.ofSeconds(2));
        NodeMap map = NodeMap.parse("site: east\nnodes:\n  - {node: n1, domain: 0, gpus: 8}\n", "map.yaml");
        try (AgentRunner agent = AgentRunner.start(client, failedShardCluster(), map, fastPolls())) {
            awaitReports(1);
        }
        assertThat(reportBodies).containsExactly(
                "{\"reports\":[{\"run\":7,\"seq\":2,\"state\":\"failed\",\"reason\":\"NODE_FAIL: NodeDown\"}]}");
    }

    @Test
    void aReportRefusedForItsReasonByAnOlderControlPlaneIsSentAgainWithoutIt() throws Exception {
        URI base = believesRun7Running(body -> body.contains("\"reason\"")
                ? new Object[] {400, "{\"detail\":\"unknown field 'reason'; the fields are [run, seq, state, "
                        + "checkpointSeconds]\",\"field\":\"reports[0].reason\"}"}
                : new Object[] {200, "{\"stored\":1,\"duplicates\":0}"});
        ControlPlaneClient client = new ControlPlaneClient(base, "east", TOKEN, Duration.ofSeconds(2));
        NodeMap map = NodeMap.parse("site: east\nnodes:\n  - {node: n1, domain: 0, gpus: 8}\n", "map.yaml");
        try (AgentRunner agent = AgentRunner.start(client, failedShardCluster(), map, fastPolls())) {
            awaitReports(3);
        }
        // the batch, the report alone (both refused for the reason), then the report without it
        assertThat(reportBodies).hasSize(3);
        assertThat(reportBodies.get(2)).isEqualTo("{\"reports\":[{\"run\":7,\"seq\":2,\"state\":\"failed\"}]}");
    }

    @Test
    void aReasonIsCutToTheLengthTheControlPlaneTakes() {
        ControlPlaneClient.Report r = new ControlPlaneClient.Report(1, 1, "failed", 0, "x".repeat(300));
        assertThat(r.reason()).hasSize(200).endsWith("x…");
        assertThat(new ControlPlaneClient.Report(1, 1, "failed", 0, null).reason()).isEmpty();
    }

    /** A cluster whose one shard, run 7's on east, has failed: Slurm's NODE_FAIL. */
    private static SiteBackend failedShardCluster() {
        return new FixedCluster(List.of(new NodeStatus("n1", 8, true, "")),
                List.of(new ShardStatus("42", "sf-7-east", ShardStatus.State.FAILED, List.of("n1"), "NODE_FAIL: NodeDown")));
    }

    /** A cluster with these nodes and shards, always; it starts nothing (a cluster with none: {@code empty}). */
    private record FixedCluster(List<NodeStatus> nodes, List<ShardStatus> shards) implements SiteBackend {
        static FixedCluster empty() {
            return new FixedCluster(List.of(), List.of());
        }

        @Override
        public String kind() {
            return "fixed";
        }

        @Override
        public String start(ShardLaunch launch) throws BackendException {
            throw new BackendException("a fixed cluster starts nothing");
        }

        @Override
        public void go(String id) {
        }

        @Override
        public void stop(String id, Duration grace) {
        }

        @Override
        public void close() {
        }
    }
}
