package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.server.api.OpenApiCheck;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TokenStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Site-scoped agent tokens (issue 11 items 4, 5) over a real control plane: every agent route ×
 * every kind of caller gets its exact status, and an agent token is refused (403) on every other
 * route of openapi.json; each response is checked against the document.
 */
class AgentTokenApiTest extends LiveTestBase {

    /** Statuses of one agent route for: agent of this site, of the other site, tenant, operator, random, expired, none. */
    private static final List<Integer> EXPECTED = List.of(200, 403, 403, 200, 401, 401, 401);

    @Test
    void everyAgentRouteAnswersEachKindOfCallerExactly() {
        start(1.0, false);
        long job = submit(alpha, 8, 3600);
        awaitState(alpha, job, "admitted");
        String site = text("SELECT site FROM shards WHERE run = (SELECT max(id) FROM runs WHERE job = " + job + ")");
        long run = count("SELECT max(id) FROM runs WHERE job = " + job);
        String other = site.equals("east") ? "west" : "east";
        TokenStore tokens = new TokenStore(database.dataSource(), Clock.systemUTC());
        String expired = new TokenStore(database.dataSource(), Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC))
                .create(Principal.agent(site), Duration.ofDays(1), "expired").secret();
        List<String> callers = java.util.Arrays.asList(tokens.create(Principal.agent(site), Duration.ofHours(1), "t").secret(),
                tokens.create(Principal.agent(other), Duration.ofHours(1), "t").secret(), alpha, operator,
                "sf_" + "A".repeat(43), expired, null);
        String report = "{\"reports\":[{\"run\":" + run + ",\"seq\":1,\"state\":\"running\"}]}";
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertStatuses(site, callers, report);
        } finally {
            System.setErr(stderr);
        }
        for (String token : callers.subList(0, callers.size() - 1)) {
            assertThat(logged.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(token.substring(3));
        }
    }

    private void assertStatuses(String site, List<String> callers, String report) {
        for (String[] route : List.of(new String[] {"GET", "/v1/agents/" + site + "/commands", null},
                new String[] {"POST", "/v1/agents/" + site + "/reports", report},
                new String[] {"PUT", "/v1/agents/" + site + "/nodes", "{\"out\":[]}"},
                new String[] {"PUT", "/v1/agents/" + site + "/links", "{\"cut\":[]}"},
                new String[] {"POST", "/v1/agents/" + site + "/orphans", "{\"shard\":\"sf-9-" + site + "\",\"clusterId\":\"9\"}"})) {
            List<Integer> statuses = new ArrayList<>();
            for (String token : callers) {
                statuses.add(send(route[0], route[1], token, route[2]).status());
            }
            assertThat(statuses).as("%s %s", route[0], route[1]).isEqualTo(EXPECTED);
        }
    }

    @Test
    void anAgentTokenOfAnotherSiteIsToldWhichSiteItMayNotActFor() {
        start(1.0, false);
        String east = new TokenStore(database.dataSource(), Clock.systemUTC())
                .create(Principal.agent("east"), Duration.ofHours(1), "t").secret();
        Reply reply = send("GET", "/v1/agents/west/commands", east, null);
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().get("detail").asText()).isEqualTo("agent of site east may not act for site west");
        Reply tenant = send("GET", "/v1/agents/west/commands", alpha, null);
        assertThat(tenant.json().get("detail").asText())
                .isEqualTo("site west: the agent protocol needs that site's agent token or an operator token");
    }

    @Test
    void anAgentTokenIsRefusedOnEveryOtherRouteOfTheDocument() throws IOException {
        start(1.0, false);
        long job = submit(alpha, 8, 3600);
        awaitState(alpha, job, "admitted");
        String east = new TokenStore(database.dataSource(), Clock.systemUTC())
                .create(Principal.agent("east"), Duration.ofHours(1), "t").secret();
        String written = "SELECT (SELECT count(*) FROM jobs) * 1000 + (SELECT count(*) FROM contracts)";
        long before = count(written);
        Map<String, String> routes = otherRoutes(job);
        assertThat(routes).hasSizeGreaterThanOrEqualTo(15);
        routes.forEach((route, path) -> {
            String method = route.split(" ")[0];
            Reply reply = send(method, path, east, method.equals("GET") ? null : "{}");
            assertThat(reply.status()).as(route).isEqualTo(403);
            assertThat(reply.json().get("detail").asText()).as(route)
                    .isEqualTo("agent of site east may call only the agent routes under /v1/agents/east/");
        });
        assertThat(count(written)).isEqualTo(before);
        assertThat(job(alpha, job).get("state").asText()).isEqualTo("admitted");
    }

    /** "METHOD template" → a concrete path, for every authenticated route of openapi.json but the agent routes. */
    private static Map<String, String> otherRoutes(long job) throws IOException {
        Map<String, String> routes = new LinkedHashMap<>();
        JsonNode paths = JSON.readTree(OpenApiCheck.text()).get("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String template = it.next();
            if (template.startsWith("/v1/agents/") || template.equals("/v1/health") || template.equals("/v1/openapi.json")
                    || isPublic(paths.get(template))) {
                continue;
            }
            String path = template.replace("{id}", Long.toString(job)).replace("{tenant}", "alpha")
                    .replace("{domain}", "east-b-0").replace("{site}", "east");
            assertThat(path).as("a path parameter this test does not fill in").doesNotContain("{");
            paths.get(template).fieldNames().forEachRemaining(method -> {
                if (List.of("get", "post", "put", "delete", "patch").contains(method)) {
                    routes.put(method.toUpperCase(java.util.Locale.ROOT) + " " + template, path);
                }
            });
        }
        return routes;
    }

    /** Whether every operation of a path needs no token ({@code "security": []}: the dashboard's page and files). */
    private static boolean isPublic(JsonNode path) {
        boolean[] open = {true};
        path.fields().forEachRemaining(op -> open[0] &= op.getValue().has("security") && op.getValue().get("security").isEmpty());
        return open[0];
    }

    private record Reply(int status, JsonNode json) {
    }

    private Reply send(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.api().port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            OpenApiCheck.assertConforms(method, path, response.statusCode(), type, response.body());
            return new Reply(response.statusCode(), type.contains("json") ? JSON.readTree(response.body()) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
