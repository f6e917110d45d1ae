package dev.superfactory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} scraped after real requests; the text parsed line by line. */
class MetricsApiTest extends ApiTestBase {

    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*\\})? (\\S+)$");

    @Test
    void submitsAreCountedPerTenantAndTimedPerRouteAndStatusExactly() {
        Map<String, Double> before = scrape();
        post("/v1/jobs", tokenA, spec(8, 8, "m1"));
        post("/v1/jobs", tokenA, spec(8, 8, "m2"));
        post("/v1/jobs", tokenA, spec(8, 8, "m1")); // an idempotent retry: 200, not a new job
        post("/v1/jobs", tokenB, spec(8, 8, "m3"));
        post("/v1/jobs", tokenB, spec(7, 8, "bad")); // 400
        get("/v1/jobs/999", tokenA); // 404 on a templated route

        Map<String, Double> after = eventually(Map.of(
                "superfactory_jobs_submitted_total{tenant=\"tenant-a\"}", 2.0,
                "superfactory_jobs_submitted_total{tenant=\"tenant-b\"}", 1.0,
                "http_server_requests_seconds_count{method=\"POST\",route=\"/v1/jobs\",status=\"201\"}", 3.0,
                "http_server_requests_seconds_count{method=\"POST\",route=\"/v1/jobs\",status=\"200\"}", 1.0,
                "http_server_requests_seconds_count{method=\"POST\",route=\"/v1/jobs\",status=\"400\"}", 1.0,
                "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/jobs/{id}\",status=\"404\"}", 1.0,
                "superfactory_submit_seconds_count", 4.0), before);

        String bucket50ms = "http_server_requests_seconds_bucket{method=\"POST\",route=\"/v1/jobs\",status=\"201\",le=\"0.05\"}";
        assertThat(after).containsKey(bucket50ms);
        assertThat(after.get(bucket50ms) - before.getOrDefault(bucket50ms, 0.0)).isBetween(0.0, 3.0);
        assertThat(after).containsKey("superfactory_submit_seconds_bucket{le=\"0.05\"}");
    }

    @Test
    void theJvmProcessAndEventLogSeriesAreThere() {
        long newest = post("/v1/jobs", tokenA, spec(8, 8, "n1")).json().get("id").asLong();
        assertThat(newest).isPositive();
        long seq = count("SELECT max(seq) FROM event_log");
        eventually(Map.of("superfactory_event_log_newest_seq", (double) seq), Map.of());
        assertThat(scrape().keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"))
                .anyMatch(k -> k.startsWith("jvm_threads_live_threads"))
                .anyMatch(k -> k.startsWith("jvm_gc_"))
                .anyMatch(k -> k.startsWith("process_cpu_usage"))
                .anyMatch(k -> k.startsWith("process_uptime_seconds"));
    }

    @Test
    void aTenantTokenIs403AndNoTokenIs401() {
        Reply tenant = get("/metrics", tokenA);
        assertThat(tenant.status()).isEqualTo(403);
        assertThat(tenant.json().get("detail").asText()).contains("operator token");
        Reply none = get("/metrics", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("type").asText()).isEqualTo("unauthorized");
        assertThat(get("/metrics", operatorToken).contentType()).startsWith("text/plain; version=0.0.4");
    }

    @Test
    void anUnknownPathOrARefusedTokenIsLabelledByTheAuthFilterNotByItsRawPath() throws Exception {
        Map<String, Double> before = scrape();
        String unknown = "/v1/no-such-route-42";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + unknown))
                .header("Authorization", "Bearer " + tokenA).build();
        assertThat(CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        assertThat(get("/v1/jobs/1", "sf_not-a-token").status()).isEqualTo(401);
        Map<String, Double> after = eventually(Map.of(
                "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/*\",status=\"404\"}", 1.0,
                "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/*\",status=\"401\"}", 1.0), before);
        assertThat(after.keySet()).noneMatch(k -> k.contains("no-such-route-42") || k.contains("/v1/jobs/1"));
    }

    /** Every sample of one scrape, keyed by name and labels as printed. */
    private Map<String, Double> scrape() {
        Reply reply = get("/metrics", operatorToken);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        reply.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank()).forEach(line -> {
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        });
        return samples;
    }

    /**
     * Scrapes until every expected sample grew by exactly its value since {@code before} (the
     * request log records a request just after its response is sent), at most 5 s; the last scrape.
     */
    private Map<String, Double> eventually(Map<String, Double> growth, Map<String, Double> before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Map<String, Double> now = scrape();
        while (!grewBy(now, before, growth) && System.nanoTime() < deadline) {
            sleep(100);
            now = scrape();
        }
        for (Map.Entry<String, Double> expected : growth.entrySet()) {
            assertThat(now.getOrDefault(expected.getKey(), 0.0) - before.getOrDefault(expected.getKey(), 0.0))
                    .as(expected.getKey()).isEqualTo(expected.getValue());
        }
        return now;
    }

    private static boolean grewBy(Map<String, Double> now, Map<String, Double> before, Map<String, Double> growth) {
        return growth.entrySet().stream().allMatch(e ->
                now.getOrDefault(e.getKey(), 0.0) - before.getOrDefault(e.getKey(), 0.0) == e.getValue());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
