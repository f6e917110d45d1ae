package dev.superfactory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 11, "Isolation": for every route, tenant B cannot read or change tenant A's job; bad tokens are refused. */
class IsolationApiTest extends ApiTestBase {

    @Test
    void tenantBCannotReadOrCancelTenantAsJobOnAnyRoute() {
        long id = post("/v1/jobs", tokenA, spec(8, 8, "secret")).json().get("id").asLong();
        long events = eventRows();

        assertThat(get("/v1/jobs/" + id, tokenB).status()).isEqualTo(404);
        Reply cancel = post("/v1/jobs/" + id + "/cancel", tokenB, null);
        assertThat(cancel.status()).isEqualTo(404);
        assertThat(cancel.json().get("detail").asText()).doesNotContain("tenant-a");
        assertThat(get("/v1/jobs", tokenB).json().get("items").size()).isZero();
        assertThat(get("/v1/events?limit=1000", tokenB).json().get("items"))
                .noneSatisfy(e -> assertThat(e.get("tenant").asText()).isEqualTo("tenant-a"));
        Reply resubmit = post("/v1/jobs", tokenB, spec(8, 8, "secret"));
        assertThat(resubmit.status()).isEqualTo(201);
        assertThat(resubmit.json().get("id").asLong()).isNotEqualTo(id);

        assertThat(get("/v1/jobs/" + id, tokenA).json().get("state").asText()).isEqualTo("submitted");
        assertThat(eventRows()).isEqualTo(events + 1);
    }

    @Test
    void anUnknownJobAndAnotherTenantsJobGetTheSameAnswer() {
        long id = post("/v1/jobs", tokenA, spec(8, 8, "x")).json().get("id").asLong();
        Reply theirs = get("/v1/jobs/" + id, tokenB);
        Reply missing = get("/v1/jobs/" + (id + 1000), tokenB);
        assertThat(theirs.status()).isEqualTo(missing.status()).isEqualTo(404);
        assertThat(theirs.json().get("title")).isEqualTo(missing.json().get("title"));
    }

    @Test
    void anOperatorReadsEveryTenantsJobsAndEventsButSubmitsNone() {
        long a = post("/v1/jobs", tokenA, spec(8, 8, "a")).json().get("id").asLong();
        long b = post("/v1/jobs", tokenB, spec(8, 8, "b")).json().get("id").asLong();
        assertThat(get("/v1/jobs/" + a, operatorToken).status()).isEqualTo(200);
        assertThat(get("/v1/jobs", operatorToken).json().get("items").size()).isEqualTo(2);
        Reply submit = post("/v1/jobs", operatorToken, spec(8, 8, "op"));
        assertThat(submit.status()).isEqualTo(403);
        assertThat(post("/v1/jobs/" + b + "/cancel", operatorToken, null).json().get("state").asText())
                .isEqualTo("cancelled");
        assertThat(jobRows()).isEqualTo(2);
    }

    @Test
    void missingRandomMalformedExpiredAndRevokedTokensAreRefusedOnEveryProtectedRoute() {
        long id = post("/v1/jobs", tokenA, spec(8, 8, "guarded")).json().get("id").asLong();
        TokenStore tokens = new TokenStore(database.dataSource(), Clock.systemUTC());
        var revoked = tokens.create(Principal.tenant("tenant-a"), Duration.ofHours(1), "revoked");
        tokens.revoke(revoked.id());
        String expired = new TokenStore(database.dataSource(),
                Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC))
                .create(Principal.tenant("tenant-a"), Duration.ofDays(1), "expired").secret();
        long jobs = jobRows();
        long events = eventRows();
        List<String> badTokens = java.util.Arrays.asList(null, "sf_" + "A".repeat(43), "not-a-token", expired,
                revoked.secret(), "");
        for (String token : badTokens) {
            for (String[] route : routes(id)) {
                Reply reply = send(route[0], route[1], token, route[0].equals("POST") ? spec(8, 8, "bad") : null, Map.of());
                assertThat(reply.status()).as("%s %s with token %s", route[0], route[1], token).isEqualTo(401);
                assertThat(reply.json().get("type").asText()).isEqualTo("unauthorized");
            }
        }
        assertThat(List.of(jobRows(), eventRows())).containsExactly(jobs, events);
    }

    private static List<String[]> routes(long id) {
        return List.of(new String[] {"POST", "/v1/jobs"}, new String[] {"POST", "/v1/jobs/batch"}, new String[] {"GET", "/v1/jobs"},
                new String[] {"GET", "/v1/jobs/" + id}, new String[] {"POST", "/v1/jobs/" + id + "/cancel"},
                new String[] {"GET", "/v1/events"});
    }
}
