package dev.superfactory.server.api;

import dev.superfactory.server.store.Event;
import dev.superfactory.server.store.EventLog;
import dev.superfactory.server.store.Page;
import dev.superfactory.server.store.Principal;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@code /v1/events}: the event log after a sequence number, a tenant's own events or, for an
 * operator, all; resumable from {@code next}. With {@code waitSeconds=W} it long-polls: if nothing
 * is there yet the request parks (no Jetty thread is held: Javalin's {@code ctx.future}) until the
 * event listener wakes it or W seconds pass, then answers the new events or an empty page with
 * {@code next = since}. {@code /v1/events/stream} is the same as server-sent events
 * ({@link EventStream}). With {@code job=ID} it answers that job's events only, at once (the
 * dashboard's timeline of a job).
 *
 * <p>Cost: one index range scan of {@code limit} rows per answer, plus one per wake-up of a parked
 * request (on {@code requery}, never on the listener thread).
 */
final class EventRoutes {

    static final int MAX_WAIT_SECONDS = 60;
    private static final int DEFAULT_LIMIT = 100;

    private final EventLog events;
    private final EventWaiters waiters;
    private final Executor requery;
    private final EventStream stream;

    EventRoutes(EventLog events, EventWaiters waiters, Executor requery) {
        this.events = events;
        this.waiters = waiters;
        this.requery = requery;
        this.stream = new EventStream(events, waiters);
    }

    void register(Javalin app) {
        app.get("/v1/events", this::since);
        app.get("/v1/events/stream", stream::open);
    }

    private void since(Context ctx) {
        long since = Fields.queryInteger("since", ctx.queryParam("since"), 0, Long.MAX_VALUE, 0);
        int limit = (int) Fields.queryInteger("limit", ctx.queryParam("limit"), 1, Page.MAX_LIMIT, DEFAULT_LIMIT);
        long waitSeconds = Fields.queryInteger("waitSeconds", ctx.queryParam("waitSeconds"), 0, MAX_WAIT_SECONDS, 0);
        Principal who = Auth.principal(ctx);
        if (ctx.queryParam("job") != null) {
            long job = Fields.queryInteger("job", ctx.queryParam("job"), 1, Long.MAX_VALUE, 0);
            if (waitSeconds > 0) {
                throw ApiException.badRequest("job", "job=" + job + " cannot be combined with waitSeconds=" + waitSeconds
                        + ": a job's events are read at once");
            }
            ctx.json(page(since, events.ofJob(job, since, who, limit)));
            return;
        }
        if (waitSeconds == 0) {
            ctx.json(page(since, events.since(since, who, limit)));
            return;
        }
        long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        CompletableFuture<Wire.EventList> answer = poll(who, since, limit, deadlineNanos);
        ctx.future(() -> answer.thenAccept(ctx::json));
    }

    /** Registers, then queries (so no commit slips between), then parks until woken or the deadline. */
    private CompletableFuture<Wire.EventList> poll(Principal who, long since, int limit, long deadlineNanos) {
        EventWaiters.Waiter waiter = waiters.register(who);
        List<Event> found;
        try {
            found = events.since(since, who, limit);
        } catch (RuntimeException e) {
            waiter.cancel();
            throw e;
        }
        long remainingNanos = deadlineNanos - System.nanoTime();
        if (!found.isEmpty() || remainingNanos <= 0 || waiters.closed()) {
            waiter.cancel();
            return CompletableFuture.completedFuture(page(since, found));
        }
        return waiter.signal().completeOnTimeout(false, remainingNanos, TimeUnit.NANOSECONDS)
                .thenComposeAsync(woken -> {
                    waiter.cancel();
                    return woken ? poll(who, since, limit, deadlineNanos)
                            : CompletableFuture.completedFuture(page(since, List.of()));
                }, requery);
    }

    private static Wire.EventList page(long since, List<Event> found) {
        long next = found.isEmpty() ? since : found.get(found.size() - 1).seq();
        return new Wire.EventList(found.stream().map(Wire.EventView::of).toList(), next);
    }
}
