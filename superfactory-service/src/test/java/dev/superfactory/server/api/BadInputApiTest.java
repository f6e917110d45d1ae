package dev.superfactory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 11, "Bad input": each malformed request gets its 4xx problem detail and writes nothing. */
class BadInputApiTest extends ApiTestBase {

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("not JSON", "gpus=8", 400, null),
                Arguments.of("truncated JSON", "{\"gpus\": 8,", 400, null),
                Arguments.of("empty body", "", 400, null),
                Arguments.of("an array", "[1,2]", 400, null),
                Arguments.of("two values", spec(8, 8, null) + " {}", 400, null),
                Arguments.of("duplicate key", "{\"gpus\":8,\"gpus\":16,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1}", 400, null),
                Arguments.of("gpus as a string", "{\"gpus\":\"8\",\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1}", 400, "gpus"),
                Arguments.of("gpus as a float", "{\"gpus\":8.0,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1}", 400, "gpus"),
                Arguments.of("huge gpus", "{\"gpus\":99999999999999999999999,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1}", 400, "gpus"),
                Arguments.of("huge float", "{\"gpus\":1e300,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1}", 400, "gpus"),
                Arguments.of("zero gpus", "{\"gpus\":0,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1}", 400, "gpus"),
                Arguments.of("negative seconds", "{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":-1}", 400, "durationSeconds"),
                Arguments.of("seconds past 10 years", "{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"expectedSeconds\":315360001}", 400, "expectedSeconds"),
                Arguments.of("spanSites as 1", "{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":1,\"durationSeconds\":1}", 400, "spanSites"),
                Arguments.of("gpus null", "{\"gpus\":null,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1}", 400, "gpus"),
                Arguments.of("missing gpus", "{\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1}", 400, "gpus"),
                Arguments.of("no run time", "{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false}", 400, "durationSeconds"),
                Arguments.of("not a multiple", "{\"gpus\":100,\"scaleUpGroup\":72,\"spanSites\":false,\"durationSeconds\":1}", 400, "gpus"),
                Arguments.of("unknown field", "{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1,\"tenant\":\"tenant-b\"}", 400, "tenant"),
                Arguments.of("clientId a number", "{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1,\"clientId\":5}", 400, "clientId"),
                Arguments.of("clientId too long", spec(8, 8, "c".repeat(201)), 400, "clientId"),
                Arguments.of("2 MB body", "{\"gpus\":8,\"scaleUpGroup\":8,\"spanSites\":false,\"durationSeconds\":1,\"clientId\":\""
                        + "x".repeat(2 << 20) + "\"}", 413, null),
                Arguments.of("10 MB body (issue 11's fuzz size)", "[" + "1,".repeat(5 << 20) + "1]", 413, null));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("malformedBodies")
    void aMalformedSubmitGetsItsProblemAndWritesNothing(String name, String body, int status, String field) {
        long jobs = jobRows();
        long events = eventRows();
        Reply reply = post("/v1/jobs", tokenA, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.json().get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(reply.json().get("field").asText()).isEqualTo(field);
        }
        assertThat(List.of(jobRows(), eventRows())).containsExactly(jobs, events);
    }

    static Stream<Arguments> malformedQueries() {
        return Stream.of(
                Arguments.of("GET", "/v1/jobs?limit=0", "limit"),
                Arguments.of("GET", "/v1/jobs?limit=1001", "limit"),
                Arguments.of("GET", "/v1/jobs?limit=ten", "limit"),
                Arguments.of("GET", "/v1/jobs?after=-1", "after"),
                Arguments.of("GET", "/v1/jobs?state=sleeping", "state"),
                Arguments.of("GET", "/v1/jobs/abc", "id"),
                Arguments.of("GET", "/v1/jobs/99999999999999999999", "id"),
                Arguments.of("POST", "/v1/jobs/1/cancel?version=x", "version"),
                Arguments.of("GET", "/v1/events?since=-5", "since"),
                Arguments.of("GET", "/v1/events?limit=100000", "limit"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("malformedQueries")
    void aMalformedParameterIs400NamingIt(String method, String pathAndQuery, String field) {
        post("/v1/jobs", tokenA, spec(8, 8, "one"));
        long events = eventRows();
        Reply reply = send(method, pathAndQuery, tokenA, null, Map.of());
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).isEqualTo(field);
        assertThat(eventRows()).isEqualTo(events);
    }

    @ParameterizedTest(name = "header {0} with body clientId {1}")
    @MethodSource("badKeys")
    void aBadIdempotencyKeyIs400(String header, String bodyClientId) {
        Reply reply = send("POST", "/v1/jobs", tokenA, spec(8, 8, bodyClientId), Map.of("Idempotency-Key", header));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(jobRows()).isZero();
    }

    static Stream<Arguments> badKeys() {
        return Stream.of(Arguments.of("k1", "k2"), Arguments.of("k".repeat(201), null));
    }
}
