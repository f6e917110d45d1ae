package dev.superfactory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JobsApiTest extends ApiTestBase {

    @Test
    void aSubmittedJobIsCreatedOnceAndReadBack() {
        Reply created = post("/v1/jobs", tokenA, spec(144, 72, "train-1"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("state").asText()).isEqualTo("submitted");
        assertThat(created.json().get("spec").get("expectedSeconds").asLong()).isEqualTo(3600);
        long id = created.json().get("id").asLong();

        Reply read = get("/v1/jobs/" + id, tokenA);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created.json());
        assertThat(jobRows()).isEqualTo(1);
    }

    @Test
    void aRetryWithTheSameClientIdReturnsTheSameJobAnd200() {
        Reply first = post("/v1/jobs", tokenA, spec(8, 8, "same"));
        Reply retry = post("/v1/jobs", tokenA, spec(8, 8, "same"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(jobRows()).isEqualTo(1);
    }

    @Test
    void theIdempotencyKeyHeaderWorksLikeClientId() {
        Map<String, String> key = Map.of("Idempotency-Key", "key-7");
        Reply first = send("POST", "/v1/jobs", tokenA, spec(8, 8, null), key);
        Reply retry = send("POST", "/v1/jobs", tokenA, spec(8, 8, null), key);
        assertThat(List.of(first.status(), retry.status())).containsExactly(201, 200);
        assertThat(retry.json().get("clientId").asText()).isEqualTo("key-7");
        assertThat(jobRows()).isEqualTo(1);
    }

    @Test
    void withoutAKeyEverySubmitCreatesAJob() {
        assertThat(post("/v1/jobs", tokenA, spec(8, 8, null)).status()).isEqualTo(201);
        assertThat(post("/v1/jobs", tokenA, spec(8, 8, null)).status()).isEqualTo(201);
        assertThat(jobRows()).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherSpecIs409AndWritesNothing() {
        post("/v1/jobs", tokenA, spec(8, 8, "k"));
        long events = eventRows();
        Reply conflict = post("/v1/jobs", tokenA, spec(16, 8, "k"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(conflict.json().get("type").asText()).isEqualTo("conflict");
        assertThat(List.of(jobRows(), eventRows())).containsExactly(1L, events);
    }

    @Test
    void concurrentRetriesOfOneKeyCreateOneJob() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                replies.add(pool.submit(() -> post("/v1/jobs", tokenA, spec(72, 72, "racing"))));
            }
            Set<Long> ids = new HashSet<>();
            int created = 0;
            for (Future<Reply> reply : replies) {
                created += reply.get().status() == 201 ? 1 : 0;
                ids.add(reply.get().json().get("id").asLong());
            }
            assertThat(created).isEqualTo(1);
            assertThat(ids).hasSize(1);
            assertThat(jobRows()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listPagesByKeysetAndFiltersByState() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(post("/v1/jobs", tokenA, spec(8, 8, "j" + i)).json().get("id").asLong());
        }
        Reply first = get("/v1/jobs?limit=2", tokenA);
        assertThat(idsOf(first.json())).containsExactly(ids.get(0), ids.get(1));
        Reply second = get("/v1/jobs?limit=2&after=" + first.json().get("next").asLong(), tokenA);
        assertThat(idsOf(second.json())).containsExactly(ids.get(2), ids.get(3));
        Reply last = get("/v1/jobs?limit=2&after=" + second.json().get("next").asLong(), tokenA);
        assertThat(idsOf(last.json())).containsExactly(ids.get(4));
        assertThat(last.json().has("next")).isFalse();

        post("/v1/jobs/" + ids.get(1) + "/cancel", tokenA, null);
        assertThat(idsOf(get("/v1/jobs?state=cancelled", tokenA).json())).containsExactly(ids.get(1));
        assertThat(idsOf(get("/v1/jobs?state=submitted,cancelled", tokenA).json())).hasSize(5);
    }

    @Test
    void cancelMovesTheJobOnceAndThenConflicts() {
        long id = post("/v1/jobs", tokenA, spec(8, 8, "c")).json().get("id").asLong();
        Reply stale = post("/v1/jobs/" + id + "/cancel?version=7", tokenA, null);
        assertThat(stale.status()).isEqualTo(409);
        Reply cancelled = post("/v1/jobs/" + id + "/cancel?version=1", tokenA, null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().get("version").asInt()).isEqualTo(2);
        long events = eventRows();
        Reply again = post("/v1/jobs/" + id + "/cancel", tokenA, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("cancelled");
        assertThat(eventRows()).isEqualTo(events);
    }

    @Test
    void eventsAreTheCallersOwnAndResumeFromNext() {
        post("/v1/jobs", tokenA, spec(8, 8, "a1"));
        post("/v1/jobs", tokenB, spec(8, 8, "b1"));
        post("/v1/jobs", tokenA, spec(8, 8, "a2"));
        Reply first = get("/v1/events?limit=2", tokenA);
        assertThat(first.json().get("items")).allSatisfy(e -> assertThat(e.get("tenant").asText()).isEqualTo("tenant-a"));
        Reply rest = get("/v1/events?since=" + first.json().get("next").asLong(), tokenA);
        List<String> types = new ArrayList<>();
        first.json().get("items").forEach(e -> types.add(e.get("type").asText()));
        rest.json().get("items").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).filteredOn("job.submitted"::equals).hasSize(2);
        assertThat(get("/v1/events?limit=1000", operatorToken).json().get("items").size())
                .isGreaterThan(types.size());
    }

    @Test
    void healthAndTheDocumentNeedNoToken() {
        assertThat(get("/v1/health", null).json().get("status").asText()).isEqualTo("ok");
        Reply doc = get("/v1/openapi.json", null);
        assertThat(doc.json().get("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void everyRegisteredRouteIsInTheDocumentAndEveryDocumentedOneIsRegistered() throws Exception {
        JsonNode paths = JSON.readTree(openApiText()).get("paths");
        Set<String> documented = new HashSet<>();
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));
        assertThat(server.routes()).hasSize(8);
        assertThat(new HashSet<>(server.routes())).isEqualTo(documented);
    }

    @Test
    void everyProblemTypeTheServerCanSendIsDocumented() throws Exception {
        Set<String> documented = new HashSet<>();
        JSON.readTree(openApiText()).at("/components/schemas/Problem/properties/type/enum")
                .forEach(t -> documented.add(t.asText()));
        Matcher types = Pattern.compile("new (?:ApiException|Problem)\\((?:\\d+, )?\"([a-z-]+)\"")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of(
                        "src/main/java/dev/superfactory/server/api/ApiException.java"))
                        + java.nio.file.Files.readString(java.nio.file.Path.of(
                        "src/main/java/dev/superfactory/server/api/ApiServer.java")));
        Set<String> sent = new HashSet<>();
        while (types.find()) {
            sent.add(types.group(1));
        }
        assertThat(sent).isNotEmpty();
        assertThat(documented).containsAll(sent);
    }

    private static List<Long> idsOf(JsonNode list) {
        List<Long> ids = new ArrayList<>();
        list.get("items").forEach(job -> ids.add(job.get("id").asLong()));
        return ids;
    }
}
