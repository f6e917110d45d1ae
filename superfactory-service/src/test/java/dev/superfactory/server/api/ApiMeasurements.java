package dev.superfactory.server.api;

import dev.superfactory.server.store.Database;
import dev.superfactory.server.store.DatabaseLocation;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.server.store.TokenStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * Not a test: prints the submit latency quoted in the README, p50/p99/max of N sequential
 * {@code POST /v1/jobs} over loopback (one client connection, default durability: one commit and
 * WAL flush per submit), after 200 warm-up submits. Run like StoreMeasurements:
 * <pre>
 * java -cp "$(cat cp.txt):target/classes:target/test-classes" dev.superfactory.server.api.ApiMeasurements 2000
 * </pre>
 */
final class ApiMeasurements {

    private ApiMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        int submits = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        try (Database database = Database.open(new DatabaseLocation.Embedded(Files.createTempDirectory("sf-api")));
             ApiServer server = ApiServer.start(database.dataSource(), Clock.systemUTC(), 0)) {
            new TenantStore(database.dataSource()).create("bench", "Bench");
            String token = new TokenStore(database.dataSource(), Clock.systemUTC())
                    .create(Principal.tenant("bench"), Duration.ofHours(1), "bench").secret();
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/jobs");
            time(client, uri, token, 200, "warm");
            long[] nanos = time(client, uri, token, submits, "run");
            Arrays.sort(nanos);
            System.out.printf("%d sequential submits: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", submits,
                    millis(nanos, 0.50), millis(nanos, 0.99), nanos[nanos.length - 1] / 1e6);
        }
    }

    private static long[] time(HttpClient client, URI uri, String token, int n, String run) throws Exception {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"gpus\":72,\"scaleUpGroup\":72,\"spanSites\":false,"
                            + "\"durationSeconds\":3600,\"clientId\":\"" + run + "-" + i + "\"}")).build();
            long t0 = System.nanoTime();
            int status = client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
            nanos[i] = System.nanoTime() - t0;
            if (status != 201) {
                throw new IllegalStateException("submit " + i + " answered " + status);
            }
        }
        return nanos;
    }

    private static double millis(long[] sorted, double quantile) {
        return sorted[(int) Math.ceil(quantile * sorted.length) - 1] / 1e6;
    }
}
