package dev.superfactory.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clients of {@link LiveCrashTest}: threads that submit jobs over HTTP to whichever
 * incarnation of the control plane is up ({@link #target}), each with a unique client id, retrying
 * a refused or failed request with the same client id (a submit is idempotent on it) until it is
 * acknowledged with 201 or 200, and cancelling some of them, at once or a little later. What was
 * acknowledged is recorded: every client id with its job id, and every cancel answered "cancelled".
 */
final class CrashClients {

    /** A job acknowledged to a client. */
    record Acked(String tenant, long id) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final int[] GPUS = {8, 8, 16, 16, 24, 32, 48, 64}; // 64: more than gamma may hold
    private static final long RETRY_MILLIS = 25;
    private static final long GIVE_UP_MILLIS = 60_000;

    /** The base URI of the incarnation that is up (the last one started). */
    final AtomicReference<URI> target = new AtomicReference<>();
    final Map<String, Acked> acknowledged = new ConcurrentHashMap<>();
    final Map<Long, String> cancelled = new ConcurrentHashMap<>();
    private final Properties tokens;
    private final int jobs;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    CrashClients(Properties tokens, int jobs) {
        this.tokens = tokens;
        this.jobs = jobs;
    }

    /** Starts {@code count} client threads, each with its own random stream split from {@code seed}. */
    void start(int count, long seed) {
        Random seeds = new Random(seed);
        for (int c = 0; c < count; c++) {
            Client client = new Client(c, new Random(seeds.nextLong()));
            Thread thread = new Thread(client::run, "crash-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Waits for the clients to stop; rethrows the first failure of one. */
    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a client failed: " + failure.get().getMessage(), failure.get());
        }
    }

    /** One client: submits until {@link #jobs} jobs are acknowledged among all clients. */
    private final class Client {
        private final int number;
        private final Random random;
        private final List<long[]> dueCancels = new ArrayList<>(); // {job, due nanoTime, tenant index}

        Client(int number, Random random) {
            this.number = number;
            this.random = random;
        }

        void run() {
            try {
                for (int i = 0; acknowledged.size() < jobs && failure.get() == null; i++) {
                    cancelDue();
                    submit("c" + number + "-" + i);
                    Thread.sleep(random.nextInt(10));
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        private void submit(String clientId) throws InterruptedException {
            int tenant = random.nextInt(LiveCrashChild.TENANTS.size());
            String body = "{\"clientId\":\"" + clientId + "\",\"gpus\":" + GPUS[random.nextInt(GPUS.length)]
                    + ",\"scaleUpGroup\":8,\"spanSites\":" + (random.nextInt(4) == 0)
                    + ",\"durationSeconds\":" + (180 + random.nextInt(1621)) + "}";
            JsonNode job = untilAnswered("POST", "/v1/jobs", tenant, body, "submit of " + clientId);
            Acked acked = new Acked(LiveCrashChild.TENANTS.get(tenant), job.get("id").asLong());
            acknowledged.put(clientId, acked);
            if (random.nextInt(7) == 0) {
                long due = System.nanoTime() + random.nextInt(400) * 1_000_000L;
                dueCancels.add(new long[] {acked.id(), due, tenant});
            }
        }

        private void cancelDue() {
            long now = System.nanoTime();
            dueCancels.removeIf(c -> {
                if (c[1] > now) {
                    return false;
                }
                cancel(c[0], (int) c[2]);
                return true;
            });
        }

        /** One attempt: a cancel lost with its incarnation is not retried (the job may run to its end). */
        private void cancel(long id, int tenant) {
            try {
                HttpResponse<String> r = send("POST", "/v1/jobs/" + id + "/cancel", tenant, null);
                if (r.statusCode() == 200 && JSON.readTree(r.body()).get("state").asText().equals("cancelled")) {
                    cancelled.put(id, LiveCrashChild.TENANTS.get(tenant));
                } else if (r.statusCode() != 409 && r.statusCode() != 503) {
                    throw new AssertionError("cancel of job " + id + " → " + r.statusCode() + " " + r.body());
                }
            } catch (IOException e) {
                // the incarnation died under the request
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Sends until a 200 or 201 comes back; a 4xx other than those is a failure of the test. */
        private JsonNode untilAnswered(String method, String path, int tenant, String body, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + GIVE_UP_MILLIS * 1_000_000L;
            String last = "no attempt";
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<String> r = send(method, path, tenant, body);
                    if (r.statusCode() == 200 || r.statusCode() == 201) {
                        return JSON.readTree(r.body());
                    }
                    if (r.statusCode() < 500) {
                        throw new AssertionError(what + " → " + r.statusCode() + " " + r.body());
                    }
                    last = r.statusCode() + " " + r.body();
                } catch (IOException e) {
                    last = e.toString();
                }
                Thread.sleep(RETRY_MILLIS);
            }
            throw new AssertionError(what + " was not acknowledged in " + GIVE_UP_MILLIS + " ms; last answer: " + last);
        }

        private HttpResponse<String> send(String method, String path, int tenant, String body)
                throws IOException, InterruptedException {
            URI base = target.get();
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .header("Authorization", "Bearer " + tokens.getProperty(LiveCrashChild.TENANTS.get(tenant)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
