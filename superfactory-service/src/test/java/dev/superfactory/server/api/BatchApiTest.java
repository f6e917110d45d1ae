package dev.superfactory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.server.store.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /v1/jobs/batch}: all jobs in one transaction, each idempotent on its clientId, 201 if
 * any was created; a bad job, a conflict or a wrong role writes nothing. Every response is checked
 * against openapi.json by {@link ApiTestBase}.
 */
class BatchApiTest extends ApiTestBase {

    private static final String BATCH = "/v1/jobs/batch";

    @Test
    void aBatchCreatesEveryJobInRequestOrderAndTheSchedulerHearsOfEachInThatOrder() {
        long events = eventRows();
        Reply reply = post(BATCH, tokenA, batch(spec(144, 72, "b-0"), spec(8, 8, null), spec(72, 72, "b-2")));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        JsonNode items = reply.json().get("items");
        assertThat(field(items, "clientId").get(0)).isEqualTo("b-0");
        assertThat(field(items, "clientId").get(1)).startsWith("auto-");
        assertThat(field(items, "clientId").get(2)).isEqualTo("b-2");
        assertThat(items).allSatisfy(item -> assertThat(item.get("created").asBoolean()).isTrue());
        assertThat(items.get(0).get("job").get("spec").get("gpus").asInt()).isEqualTo(144);
        assertThat(SCHEDULED.stream().map(Job::id).toList()).containsExactlyElementsOf(ids(items));
        assertThat(List.of(jobRows(), eventRows())).containsExactly(3L, events + 3);
    }

    @Test
    void aRetriedBatchIs200WithTheSameJobsAndWritesNothing() {
        String body = batch(spec(8, 8, "r-0"), spec(16, 8, "r-1"));
        Reply first = post(BATCH, tokenA, body);
        long events = eventRows();
        Reply retry = post(BATCH, tokenA, body);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(ids(retry.json().get("items"))).isEqualTo(ids(first.json().get("items")));
        assertThat(retry.json().get("items")).allSatisfy(item -> assertThat(item.get("created").asBoolean()).isFalse());
        assertThat(List.of(jobRows(), eventRows())).containsExactly(2L, events);
        assertThat(SCHEDULED).hasSize(2);
        // still submitted (this server runs no scheduler): handed over again, not as new submissions
        assertThat(RETRIED.stream().map(Job::clientId).toList()).containsExactly("r-0", "r-1");
    }

    @Test
    void aBatchWithOneNewJobIs201AndOnlyTheNewJobIsScheduled() {
        long old = post("/v1/jobs", tokenA, spec(8, 8, "old")).json().get("id").asLong();
        Reply reply = post(BATCH, tokenA, batch(spec(8, 8, "old"), spec(8, 8, "new")));
        assertThat(reply.status()).isEqualTo(201);
        JsonNode items = reply.json().get("items");
        assertThat(List.of(items.get(0).get("created").asBoolean(), items.get(1).get("created").asBoolean()))
                .containsExactly(false, true);
        assertThat(items.get(0).get("job").get("id").asLong()).isEqualTo(old);
        assertThat(SCHEDULED.stream().map(Job::clientId).toList()).containsExactly("old", "new");
    }

    @Test
    void aClientIdReusedWithAnotherSpecIs409ForTheWholeBatchAndWritesNothing() {
        post("/v1/jobs", tokenA, spec(8, 8, "taken"));
        long events = eventRows();
        Reply reply = post(BATCH, tokenA, batch(spec(8, 8, "fresh"), spec(16, 8, "taken")));
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("detail").asText()).contains("clientId taken");
        assertThat(List.of(jobRows(), eventRows())).containsExactly(1L, events);
        assertThat(SCHEDULED).hasSize(1);
    }

    static Stream<Arguments> badBatches() {
        String good = spec(8, 8, null);
        return Stream.of(
                Arguments.of("an array body", "[" + good + "]", 400, null),
                Arguments.of("duplicate key", "{\"jobs\":[" + good + "],\"jobs\":[]}", 400, null),
                Arguments.of("no jobs field", "{}", 400, "jobs"),
                Arguments.of("jobs an object", "{\"jobs\":" + good + "}", 400, "jobs"),
                Arguments.of("no jobs", batch(), 400, "jobs"),
                Arguments.of("1,001 jobs", batch(IntStream.range(0, 1001).mapToObj(i -> good).toArray(String[]::new)), 400, "jobs"),
                Arguments.of("unknown field", "{\"jobs\":[" + good + "],\"tenant\":\"tenant-b\"}", 400, "tenant"),
                Arguments.of("job 3 gpus a string", batch(good, good, good,
                        "{\"gpus\":\"8\",\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1}"), 400, "jobs[3].gpus"),
                Arguments.of("job 1 not an object", batch(good, "7"), 400, "jobs[1]"),
                Arguments.of("job 2 unknown field", batch(good, good,
                        "{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1,\"tenant\":\"x\"}"), 400, "jobs[2].tenant"),
                Arguments.of("job 1 not a multiple", batch(good, spec(100, 72, null)), 400, "jobs[1].gpus"),
                Arguments.of("job 0 without run time", batch("{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false}"), 400,
                        "jobs[0].durationSeconds"),
                Arguments.of("a clientId twice", batch(spec(8, 8, "d"), spec(8, 8, "e"), spec(8, 8, "d")), 400, "jobs[2].clientId"),
                Arguments.of("2 MB body", batch(IntStream.range(0, 20_000).mapToObj(i -> spec(8, 8, "c" + i))
                        .toArray(String[]::new)), 413, null));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("badBatches")
    void aBadBatchGetsItsProblemNamingTheJobAndWritesNothing(String name, String body, int status, String field) {
        post("/v1/jobs", tokenA, spec(8, 8, "before"));
        long jobs = jobRows();
        long events = eventRows();
        Reply reply = post(BATCH, tokenA, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.json().get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(reply.json().get("field").asText()).isEqualTo(field);
            if (field.startsWith("jobs[")) {
                assertThat(reply.json().get("detail").asText()).startsWith(field.substring(0, field.indexOf(']') + 1) + ": ");
            }
        } else {
            assertThat(reply.json().has("field")).isFalse();
        }
        assertThat(List.of(jobRows(), eventRows())).containsExactly(jobs, events);
        assertThat(SCHEDULED).hasSize(1);
    }

    @Test
    void anOperatorSubmitsNoBatchAndAKeyHeaderIsRefused() {
        Reply operator = post(BATCH, operatorToken, batch(spec(8, 8, "op")));
        assertThat(operator.status()).isEqualTo(403);
        Reply keyed = send("POST", BATCH, tokenA, batch(spec(8, 8, "k")), Map.of("Idempotency-Key", "k"));
        assertThat(keyed.status()).isEqualTo(400);
        assertThat(keyed.json().get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(List.of(jobRows(), (long) SCHEDULED.size())).containsExactly(0L, 0L);
    }

    @Test
    void anotherTenantsClientIdsAreItsOwnJobs() {
        Reply a = post(BATCH, tokenA, batch(spec(8, 8, "shared")));
        Reply b = post(BATCH, tokenB, batch(spec(8, 8, "shared")));
        assertThat(List.of(a.status(), b.status())).containsExactly(201, 201);
        assertThat(ids(b.json().get("items"))).doesNotContainAnyElementsOf(ids(a.json().get("items")));
        assertThat(b.json().get("items").get(0).get("job").get("tenant").asText()).isEqualTo("tenant-b");
    }

    private static String batch(String... jobs) {
        return Stream.of(jobs).collect(Collectors.joining(",", "{\"jobs\":[", "]}"));
    }

    private static List<Long> ids(JsonNode items) {
        List<Long> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("job").get("id").asLong()));
        return ids;
    }

    private static List<String> field(JsonNode items, String name) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.get("job").get(name).asText()));
        return values;
    }
}
