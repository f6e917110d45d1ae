package dev.superfactory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.server.store.EmbeddedDatabaseTestBase;
import dev.superfactory.server.store.Job;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.server.store.TokenStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real API server on a free port of 127.0.0.1 over a real embedded PostgreSQL (one per test
 * class), a java.net.http client, and every response validated against openapi.json with
 * Atlassian's swagger-request-validator (the document keeps to the JSON-schema subset that 3.0
 * and 3.1 share, which that library checks).
 */
abstract class ApiTestBase extends EmbeddedDatabaseTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static OpenApiInteractionValidator validator;
    static ApiServer server;
    /** The jobs the server handed to its {@link Scheduling} hook, in the order it did. */
    static final List<Job> SCHEDULED = new CopyOnWriteArrayList<>();
    /** Jobs found still submitted by a retried submit, handed to the scheduler again. */
    static final List<Job> RETRIED = new CopyOnWriteArrayList<>();

    String tokenA;
    String tokenB;
    String operatorToken;

    /** A response, its body as text and (when it is JSON) as a tree. */
    record Reply(int status, String contentType, String body, JsonNode json) {
    }

    @BeforeAll
    static void startServer() {
        server = ApiServer.start(database.dataSource(), Clock.systemUTC(), 0, recording());
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(openApiText()).build();
    }

    /** No scheduler, but every job handed to it is recorded in {@link #SCHEDULED}. */
    private static Scheduling recording() {
        return new Scheduling() {
            @Override
            public void submitted(Job job) {
                SCHEDULED.add(job);
            }

            @Override
            public void retried(Job job) {
                RETRIED.add(job);
            }

            @Override
            public java.util.Optional<java.util.concurrent.CompletableFuture<Boolean>> cancel(long job) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<java.util.concurrent.CompletableFuture<java.util.Optional<
                    dev.superfactory.server.live.PendingView>>> pending(long job) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<java.util.concurrent.CompletableFuture<Boolean>> hold(Job job, boolean hold) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<dev.superfactory.server.live.LiveForecasts.Estimate> forecast(long job) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<dev.superfactory.server.live.WhatIf.Result> whatIf(
                    dev.superfactory.server.live.WhatIf.Change change, int limit,
                    java.util.function.Predicate<String> visible) {
                return java.util.Optional.empty();
            }
        };
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @BeforeEach
    void tenantsAndTokens() {
        SCHEDULED.clear();
        RETRIED.clear();
        TenantStore tenants = new TenantStore(database.dataSource());
        tenants.create("tenant-a", "Tenant A");
        tenants.create("tenant-b", "Tenant B");
        TokenStore tokens = new TokenStore(database.dataSource(), Clock.systemUTC());
        tokenA = tokens.create(Principal.tenant("tenant-a"), Duration.ofHours(1), "test").secret();
        tokenB = tokens.create(Principal.tenant("tenant-b"), Duration.ofHours(1), "test").secret();
        operatorToken = tokens.create(Principal.operator(), Duration.ofHours(1), "test").secret();
    }

    static String openApiText() {
        try (InputStream in = ApiServer.class.getResourceAsStream("openapi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Reply get(String pathAndQuery, String token) {
        return send("GET", pathAndQuery, token, null, Map.of());
    }

    static Reply post(String pathAndQuery, String token, String body) {
        return send("POST", pathAndQuery, token, body, Map.of());
    }

    /** Sends one request and checks the response against openapi.json before returning it. */
    static Reply send(String method, String pathAndQuery, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Reply reply = reply(response);
            assertConformsToOpenApi(method, pathAndQuery, reply);
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Reply reply(HttpResponse<String> response) throws IOException {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = contentType.contains("json") ? JSON.readTree(response.body()) : null;
        return new Reply(response.statusCode(), contentType, response.body(), json);
    }

    private static void assertConformsToOpenApi(String method, String pathAndQuery, Reply reply) {
        String path = pathAndQuery.split("\\?", 2)[0];
        SimpleResponse response = SimpleResponse.Builder.status(reply.status())
                .withContentType(reply.contentType()).withBody(reply.body()).build();
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method), response);
        assertThat(report.getMessages()).as("%s %s → %d %s", method, pathAndQuery, reply.status(), reply.body())
                .isEmpty();
    }

    static String spec(int gpus, int group, String clientId) {
        return "{\"gpus\":" + gpus + ",\"scaleUpGroup\":" + group + ",\"spanSites\":false,\"durationSeconds\":3600"
                + (clientId == null ? "" : ",\"clientId\":\"" + clientId + "\"") + "}";
    }

    static long jobRows() {
        return count("SELECT count(*) FROM jobs");
    }

    static long eventRows() {
        return count("SELECT count(*) FROM event_log");
    }
}
