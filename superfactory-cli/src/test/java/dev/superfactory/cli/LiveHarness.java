package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the tests that drive a live server in-process share ({@link SiteAgentTest},
 * {@link SlurmEndToEndTest}): API calls with a token, SQL reads of its store, a job's states from
 * the event log, tokens from {@code token create}, and waiting. The server is looked up on each
 * call, so a test may restart it.
 */
final class LiveHarness {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Supplier<LiveServer> server;

    LiveHarness(Supplier<LiveServer> server) {
        this.server = server;
    }

    /** {@code method path} with {@code token} and a JSON body (null: none); a status of 300 or more fails. */
    JsonNode call(String method, String path, String token, String body) throws Exception {
        return call(method, path, token, body, false);
    }

    /** As above; {@code anyStatus}: any status is returned, not failed. */
    JsonNode call(String method, String path, String token, String body, boolean anyStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.get().url() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (!anyStatus) {
            assertThat(response.statusCode()).as("%s %s → %s", method, path, response.body()).isLessThan(300);
        }
        return JSON.readTree(response.body());
    }

    /** The job's states in order, from its {@code job.state} events (read with an operator's token). */
    List<String> states(long job, String operator) throws Exception {
        List<String> states = new ArrayList<>();
        long since = 0;
        for (JsonNode page = null; page == null || !page.get("items").isEmpty(); since = page.get("next").asLong()) {
            page = call("GET", "/v1/events?since=" + since + "&limit=1000", operator, null);
            for (JsonNode e : page.get("items")) {
                if (e.path("job").asLong() == job && e.get("type").asText().equals("job.state")) {
                    states.add(e.get("payload").get("to").asText());
                }
            }
        }
        return states;
    }

    /** The one number {@code sql} selects. */
    long number(String sql) {
        List<Long> values = numbers(sql);
        assertThat(values).as(sql).hasSize(1);
        return values.get(0);
    }

    List<Long> numbers(String sql) {
        return texts(sql).stream().map(Long::parseLong).toList();
    }

    /** The first value {@code sql} selects, "" if none. */
    String text(String sql) {
        List<String> values = texts(sql);
        return values.isEmpty() ? "" : values.get(0);
    }

    /** The first column of every row {@code sql} selects. */
    List<String> texts(String sql) {
        try (Connection c = server.get().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    void execute(String sql) {
        try (Connection c = server.get().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** A token from {@code superfactory token create WHO --data DATA}. */
    static String token(Path data, String... who) {
        List<String> args = new ArrayList<>(List.of("token", "create"));
        args.addAll(List.of(who));
        args.addAll(List.of("--data", data.toString()));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        return r.out().strip();
    }

    /** Polls {@code done} every {@code pollMillis} until it holds; fails naming {@code what} after {@code wait}. */
    static void await(String what, Duration wait, long pollMillis, BooleanSupplier done) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for: %s", what).isNegative();
            sleep(pollMillis);
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
