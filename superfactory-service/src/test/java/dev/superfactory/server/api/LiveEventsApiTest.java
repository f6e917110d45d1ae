package dev.superfactory.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import dev.superfactory.server.store.EventListener;
import dev.superfactory.server.store.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Live events over a real server and PostgreSQL: long-poll ({@code waitSeconds}) woken by
 * LISTEN/NOTIFY, server-sent events resumed from {@code Last-Event-ID}, tenant isolation of both,
 * and an event listener that survives the loss of its connection.
 */
class LiveEventsApiTest extends ApiTestBase {

    @Test
    void aLongPollReturnsAtOnceWhenAnEventIsThere() {
        long since = newestSeq();
        post("/v1/jobs", tokenA, spec(8, 8, "now"));
        long start = System.nanoTime();
        Reply reply = get("/v1/events?since=" + since + "&waitSeconds=30", tokenA);
        assertThat(elapsedMillis(start)).isLessThan(2_000);
        assertThat(types(reply)).containsExactly("job.submitted");
    }

    @Test
    void aLongPollWaitsForAnEventAppendedOnAnotherConnectionAndReturnsIt() throws Exception {
        long since = newestSeq();
        long start = System.nanoTime();
        CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(
                () -> get("/v1/events?since=" + since + "&waitSeconds=20", tokenA));
        Thread.sleep(700);
        assertThat(waiting).isNotDone();
        long job = new JobStore(database.dataSource()).submit("tenant-a", "later", "{}").job().id();
        Reply reply = waiting.get(10, TimeUnit.SECONDS);
        assertThat(elapsedMillis(start)).isLessThan(10_000);
        assertThat(types(reply)).containsExactly("job.submitted");
        assertThat(reply.json().get("items").get(0).get("job").asLong()).isEqualTo(job);
        assertThat(reply.json().get("next").asLong()).isEqualTo(since + 1);
    }

    @Test
    void aTenantNeverSeesAnotherTenantsEventsAndGetsAnEmptyPageAtTheTimeout() throws Exception {
        long since = newestSeq();
        long start = System.nanoTime();
        CompletableFuture<Reply> waitingB = CompletableFuture.supplyAsync(
                () -> get("/v1/events?since=" + since + "&waitSeconds=2", tokenB));
        CompletableFuture<Reply> waitingOperator = CompletableFuture.supplyAsync(
                () -> get("/v1/events?since=" + since + "&waitSeconds=20", operatorToken));
        Thread.sleep(300);
        post("/v1/jobs", tokenA, spec(8, 8, "a-only"));
        Reply operator = waitingOperator.get(10, TimeUnit.SECONDS);
        assertThat(types(operator)).containsExactly("job.submitted");
        Reply b = waitingB.get(10, TimeUnit.SECONDS);
        assertThat(elapsedMillis(start)).isGreaterThanOrEqualTo(2_000);
        assertThat(b.json().get("items")).isEmpty();
        assertThat(b.json().get("next").asLong()).isEqualTo(since);
    }

    @Test
    void waitSecondsOutsideZeroToSixtyIs400NamingIt() {
        Reply reply = get("/v1/events?waitSeconds=61", tokenA);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).isEqualTo("waitSeconds");
    }

    @Test
    void aStreamResumedFromLastEventIdDeliversExactlyTheLaterEventsOfItsTenant() throws Exception {
        List<Long> seqs = new ArrayList<>();
        for (String id : List.of("s1", "s2", "s3")) {
            post("/v1/jobs", tokenA, spec(8, 8, id));
            seqs.add(newestSeq());
            post("/v1/jobs", tokenB, spec(8, 8, id)); // interleaved: must never reach tenant-a's stream
        }
        try (SseStream stream = SseStream.open(server.port(), tokenA, "?since=0",
                Map.of("Last-Event-ID", Long.toString(seqs.get(0))))) {
            assertThat(stream.next().id()).isEqualTo(seqs.get(1));
            assertThat(stream.next().id()).isEqualTo(seqs.get(2));
            post("/v1/jobs", tokenB, spec(8, 8, "b-live"));
            post("/v1/jobs", tokenA, spec(8, 8, "a-live"));
            SseStream.Message live = stream.next();
            assertThat(live.id()).isEqualTo(newestSeq());
            assertThat(JSON.readTree(live.data()).get("tenant").asText()).isEqualTo("tenant-a");
            assertThat(live.event()).isEqualTo("message");
        }
    }

    @Test
    void theListenerReconnectsAfterItsBackendIsTerminatedAndStillWakesAWaiter() throws Exception {
        long oldPid = listenerPid(Duration.ofSeconds(5));
        assertThat(count("SELECT count(*) FROM (SELECT pg_terminate_backend(" + oldPid + ")) t")).isEqualTo(1);
        long newPid = awaitListenerOtherThan(oldPid, Duration.ofSeconds(10));
        assertThat(newPid).isNotEqualTo(oldPid);

        long since = newestSeq();
        CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(
                () -> get("/v1/events?since=" + since + "&waitSeconds=20", tokenA));
        Thread.sleep(500);
        long start = System.nanoTime();
        new JobStore(database.dataSource()).submit("tenant-a", "after-drop", "{}");
        Reply reply = waiting.get(15, TimeUnit.SECONDS);
        assertThat(elapsedMillis(start)).isLessThan(5_000);
        assertThat(types(reply)).containsExactly("job.submitted");
    }

    private static long listenerPid(Duration timeout) throws InterruptedException {
        return awaitListenerOtherThan(-1, timeout);
    }

    private static long awaitListenerOtherThan(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String sql = "SELECT coalesce(max(pid), -1) FROM pg_stat_activity WHERE application_name = '"
                + EventListener.APPLICATION_NAME + "' AND pid <> " + pid
                + " AND query LIKE 'LISTEN%'";
        long found = count(sql);
        while (found < 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            found = count(sql);
        }
        assertThat(found).as("a listening backend other than %d", pid).isPositive();
        return found;
    }

    private static long newestSeq() {
        return count("SELECT coalesce(max(seq), 0) FROM event_log");
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static List<String> types(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        reply.json().get("items").forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    /** A text/event-stream response read line by line on its own thread; messages queue up. */
    static final class SseStream implements AutoCloseable {
        record Message(long id, String event, String data) {
        }

        private final Stream<String> lines;
        private final String contentType;
        private final StringBuffer received = new StringBuffer();
        private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

        private SseStream(Stream<String> lines, String contentType) {
            this.lines = lines;
            this.contentType = contentType;
            Thread reader = new Thread(this::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static SseStream open(int port, String token, String query, Map<String, String> headers) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events/stream" + query))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
            headers.forEach(request::header);
            HttpResponse<Stream<String>> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(contentType).startsWith("text/event-stream");
            return new SseStream(response.body(), contentType);
        }

        /** The next message within 10 s. */
        Message next() throws InterruptedException {
            Message message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("an event within 10 s").isNotNull();
            return message;
        }

        private void read() {
            long id = -1;
            String event = null;
            StringBuilder data = new StringBuilder();
            try {
                for (String line : (Iterable<String>) lines::iterator) {
                    received.append(line).append('\n');
                    if (line.isEmpty() && id >= 0) {
                        messages.add(new Message(id, event, data.toString()));
                        id = -1;
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith("id: ")) {
                        id = Long.parseLong(line.substring(4));
                    } else if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
            } catch (UncheckedIOException e) {
                // the stream was closed by close()
            }
        }

        /** Closes the connection, then checks the response (status, type, what was received) against openapi.json. */
        @Override
        public void close() {
            lines.close();
            assertThat(validator.validateResponse("/v1/events/stream", Request.Method.GET,
                    SimpleResponse.Builder.status(200).withContentType(contentType).withBody(received.toString()).build())
                    .getMessages()).isEmpty();
        }
    }
}
