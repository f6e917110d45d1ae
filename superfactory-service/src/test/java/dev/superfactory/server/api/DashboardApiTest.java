package dev.superfactory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 4, the server's side of the dashboard: {@code /} and its two files are served
 * without a token, typed, under a self-only Content-Security-Policy, and name no other origin;
 * every API path the page's script calls needs a token; and the JSON it needs that the API did not
 * have before: {@code /v1/me} and a job's own events ({@code /v1/events?job=}). The browser test
 * (superfactory-cli's DashboardBrowserTest) drives the page itself.
 */
class DashboardApiTest extends ApiTestBase {

    private static final Pattern API_PATH = Pattern.compile("'(/v1/[^'?]*)");
    /** What the script appends to a path prefix it builds on: an id, a domain and action, a tenant. */
    private static final Map<String, String> CONCRETE = Map.of("/v1/jobs/", "1", "/v1/fleet/domains/", "1/drain",
            "/v1/tenants/", "tenant-a/usage");

    @Test
    void thePageAndItsFilesNeedNoTokenAndAreTyped() {
        Reply page = get("/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<script src=\"/dashboard/app.js\">", "href=\"/dashboard/app.css\"");
        Map<String, String> types = Map.of("app.js", "text/javascript", "app.css", "text/css");
        types.forEach((file, type) -> {
            Reply reply = get("/dashboard/" + file, null);
            assertThat(reply.status()).as(file).isEqualTo(200);
            assertThat(reply.contentType()).as(file).startsWith(type);
            assertThat(reply.body()).as(file).isNotBlank();
        });
        assertThat(get("/dashboard/secrets.txt", null).status()).isEqualTo(404);
    }

    @Test
    void noServedFileNamesAnotherOriginAndThePolicyForbidsLoadingFromOne() throws Exception {
        for (String path : List.of("/", "/dashboard/app.js", "/dashboard/app.css")) {
            Reply reply = get(path, null);
            assertThat(reply.body().toLowerCase(java.util.Locale.ROOT)).as(path).doesNotContain("http", "//cdn", "@import");
            var response = CLIENT.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            String policy = response.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(policy).as(path).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'");
        }
    }

    @Test
    void everyApiPathThePageCallsNeedsAToken() throws Exception {
        List<String> paths = pagePaths();
        assertThat(paths).as("the API paths in app.js").hasSizeGreaterThanOrEqualTo(6)
                .contains("/v1/me", "/v1/fleet", "/v1/jobs", "/v1/tenants", "/v1/events");
        for (String path : paths) {
            String concrete = path + CONCRETE.getOrDefault(path, "");
            for (String method : List.of("GET", "POST")) {
                assertThat(status(method, concrete)).as("%s %s without a token", method, concrete).isEqualTo(401);
            }
        }
    }

    /** The status of {@code method path} without a token (raw: some method-path pairs are in no route, yet 401 first). */
    private static int status(String method, String path) throws Exception {
        return CLIENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void meSaysWhoTheTokenIsAndWhereItsEventsEnd() {
        JsonNode operator = get("/v1/me", operatorToken).json();
        assertThat(operator.get("role").asText()).isEqualTo("operator");
        assertThat(operator.has("tenant")).isFalse();
        long id = post("/v1/jobs", tokenA, spec(8, 8, "mine")).json().get("id").asLong();
        JsonNode a = get("/v1/me", tokenA).json();
        assertThat(a.get("role").asText()).isEqualTo("tenant");
        assertThat(a.get("tenant").asText()).isEqualTo("tenant-a");
        assertThat(a.get("newestSeq").asLong()).isEqualTo(count("SELECT max(seq) FROM event_log WHERE job = " + id));
        assertThat(get("/v1/me", tokenB).json().get("newestSeq").asLong())
                .isEqualTo(count("SELECT coalesce(max(seq), 0) FROM event_log WHERE tenant = 'tenant-b'"))
                .isLessThan(a.get("newestSeq").asLong());
    }

    @Test
    void aJobsEventsAreItsOwnAndAnotherTenantGetsNone() {
        long first = post("/v1/jobs", tokenA, spec(8, 8, "first")).json().get("id").asLong();
        long second = post("/v1/jobs", tokenA, spec(8, 8, "second")).json().get("id").asLong();
        post("/v1/jobs/" + first + "/cancel", tokenA, null);
        JsonNode events = get("/v1/events?job=" + first, tokenA).json().get("items");
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("job.submitted", "job.state");
        assertThat(events).allSatisfy(e -> assertThat(e.get("job").asLong()).isEqualTo(first));
        assertThat(get("/v1/events?job=" + second, operatorToken).json().get("items")).hasSize(1);
        assertThat(get("/v1/events?job=" + first, tokenB).json().get("items")).isEmpty();
        Reply both = get("/v1/events?job=" + first + "&waitSeconds=5", tokenA);
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("detail").asText()).contains("job=" + first, "waitSeconds=5");
    }

    /** The {@code /v1/...} string literals of app.js: the paths (or their prefixes) it calls. */
    private static List<String> pagePaths() {
        Matcher m = API_PATH.matcher(get("/dashboard/app.js", null).body());
        List<String> paths = new ArrayList<>();
        while (m.find()) {
            if (!paths.contains(m.group(1))) {
                paths.add(m.group(1));
            }
        }
        return paths;
    }
}
