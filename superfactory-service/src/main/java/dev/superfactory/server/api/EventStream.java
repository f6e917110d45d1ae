package dev.superfactory.server.api;

import dev.superfactory.server.store.Event;
import dev.superfactory.server.store.EventLog;
import dev.superfactory.server.store.Principal;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /v1/events/stream}: the caller's events as server-sent events (text/event-stream),
 * each {@code id: <seq>}, {@code event: message}, {@code data: <Event JSON>}; from {@code ?since=}
 * or, when a client reconnects, its {@code Last-Event-ID} header (which wins), so a resumed stream
 * delivers exactly the events after the last one received. Idle streams get a comment every 15 s
 * (the heartbeat keeps proxies from closing the connection and finds clients that left).
 *
 * <p>Cost: one thread of Javalin's async pool per open stream (at most {@value #MAX_STREAMS}); one
 * index range scan per batch of up to {@value #BATCH} events and per wake-up.
 */
final class EventStream {

    /** ASSUMPTION: streams are for dashboards and tools, 100 at once is plenty; clients should long-poll otherwise. */
    static final int MAX_STREAMS = 100;
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final int BATCH = 100;

    private final EventLog events;
    private final EventWaiters waiters;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);

    EventStream(EventLog events, EventWaiters waiters) {
        this.events = events;
        this.waiters = waiters;
    }

    void open(Context ctx) throws IOException {
        long since = Fields.queryInteger("since", ctx.queryParam("since"), 0, Long.MAX_VALUE, 0);
        long resumeAfter = Fields.queryInteger("Last-Event-ID", ctx.header("Last-Event-ID"), 0, Long.MAX_VALUE, since);
        Principal who = Auth.principal(ctx);
        if (!streams.tryAcquire()) {
            throw ApiException.unavailable(MAX_STREAMS + " event streams are open already; retry later or long-poll"
                    + " GET /v1/events?waitSeconds=", EventWaiters.RETRY_AFTER_SECONDS);
        }
        boolean started = false;
        try {
            ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache")
                    .header("X-Accel-Buffering", "no");
            ctx.res().setCharacterEncoding("UTF-8");
            ctx.res().flushBuffer();
            ctx.async(() -> {
                try {
                    run(new SseClient(ctx), who, resumeAfter);
                } finally {
                    streams.release();
                }
            });
            started = true;
        } finally {
            if (!started) {
                streams.release();
            }
        }
    }

    private void run(SseClient client, Principal who, long resumeAfter) throws InterruptedException {
        long last = resumeAfter;
        while (!client.terminated() && !waiters.closed()) {
            EventWaiters.Waiter waiter = waiters.register(who);
            List<Event> found;
            try {
                found = events.since(last, who, BATCH);
            } catch (RuntimeException e) {
                waiter.cancel();
                throw e;
            }
            if (!found.isEmpty()) {
                waiter.cancel();
                last = send(client, found);
            } else if (!woken(waiter)) {
                client.sendComment("heartbeat");
            }
        }
        client.close();
    }

    private static long send(SseClient client, List<Event> found) {
        for (Event event : found) {
            client.sendEvent("message", Wire.EventView.of(event), Long.toString(event.seq()));
        }
        return found.get(found.size() - 1).seq();
    }

    /** Waits up to one heartbeat for a wake-up; false if none came. */
    private static boolean woken(EventWaiters.Waiter waiter) throws InterruptedException {
        try {
            return waiter.signal().get(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a waiter's signal never fails", e);
        } finally {
            waiter.cancel();
        }
    }
}
