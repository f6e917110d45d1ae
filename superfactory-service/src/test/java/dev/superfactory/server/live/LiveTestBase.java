package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.server.ControlPlane;
import dev.superfactory.server.store.EmbeddedDatabaseTestBase;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.server.store.TokenStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;

/**
 * A control plane over a real embedded PostgreSQL with a two-site fleet small enough to reason
 * about: each site one block of 4 domains of 8 GPUs (32 GPUs a site, 64 in all). Tenant
 * {@code alpha} may hold 48 GPUs, {@code beta} 24. Jobs go through the real REST API.
 */
abstract class LiveTestBase extends EmbeddedDatabaseTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Scenario TWO_SITES = TwoSites.scenario("two-small-sites", 4,
            "{name: alpha, gpuLimit: 48}", "{name: beta, gpuLimit: 24}");

    ControlPlane plane;
    String alpha;
    String beta;
    String operator;

    /** Seeds the tenants (first time) and starts a control plane; simulated agents run at {@code timeScale}. */
    ControlPlane start(double timeScale, boolean agents) {
        return start(timeScale, agents, Duration.ofSeconds(30));
    }

    /** As {@link #start(double, boolean)}, with a site agent's lease of {@code leaseTtl}. */
    ControlPlane start(double timeScale, boolean agents, Duration leaseTtl) {
        return start(new ControlPlane.Settings(0, timeScale, agents, Duration.ofMillis(2), Duration.ofMillis(10), leaseTtl));
    }

    /** Seeds the tenants (first time), makes tokens and starts a control plane with {@code settings}. */
    ControlPlane start(ControlPlane.Settings settings) {
        return start(TWO_SITES, settings);
    }

    /** As {@link #start(ControlPlane.Settings)} on {@code scenario} (the two small sites with other settings). */
    ControlPlane start(Scenario scenario, ControlPlane.Settings settings) {
        ControlPlane.seedTenants(new TenantStore(database.dataSource()), TWO_SITES, Clock.systemUTC());
        TokenStore tokens = new TokenStore(database.dataSource(), Clock.systemUTC());
        alpha = tokens.create(Principal.tenant("alpha"), Duration.ofHours(1), "test").secret();
        beta = tokens.create(Principal.tenant("beta"), Duration.ofHours(1), "test").secret();
        operator = tokens.create(Principal.operator(), Duration.ofHours(1), "test").secret();
        plane = ControlPlane.start(database, scenario, Clock.systemUTC(), settings, null);
        return plane;
    }

    @AfterEach
    void stopPlane() {
        if (plane != null) {
            plane.close();
            plane = null;
        }
    }

    /** Submits a job; returns its id. */
    long submit(String token, int gpus, long durationSeconds) {
        JsonNode job = call("POST", "/v1/jobs", token, "{\"gpus\":" + gpus + ",\"scaleUpGroup\":8,\"spanSites\":false,"
                + "\"durationSeconds\":" + durationSeconds + "}", 201);
        return job.get("id").asLong();
    }

    /** The job's states in order, from its {@code job.state} events. */
    java.util.List<String> states(long id) {
        java.util.List<String> states = new java.util.ArrayList<>();
        for (JsonNode e : call("GET", "/v1/events?since=0&limit=1000", operator, null, 200).get("items")) {
            if (e.path("job").asLong() == id && e.get("type").asText().equals("job.state")) {
                states.add(e.get("payload").get("to").asText());
            }
        }
        return states;
    }

    JsonNode job(String token, long id) {
        return call("GET", "/v1/jobs/" + id, token, null, 200);
    }

    /** Polls the job until {@code until} holds (10 s at most). */
    JsonNode await(String token, long id, Predicate<JsonNode> until) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode job = job(token, id);
        while (!until.test(job)) {
            assertThat(System.nanoTime()).as("job %d never reached the expected state; last seen %s", id, job)
                    .isLessThan(deadline);
            sleep(20);
            job = job(token, id);
        }
        return job;
    }

    JsonNode awaitState(String token, long id, String state) {
        return await(token, id, j -> j.get("state").asText().equals(state));
    }

    JsonNode call(String method, String path, String token, String body, int expectedStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.api().port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s %s → %s", method, path, response.body()).isEqualTo(expectedStatus);
            dev.superfactory.server.api.OpenApiCheck.assertConforms(method, path, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
