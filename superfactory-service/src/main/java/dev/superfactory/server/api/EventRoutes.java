package dev.superfactory.server.api;

import dev.superfactory.server.store.Event;
import dev.superfactory.server.store.EventLog;
import dev.superfactory.server.store.Page;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code /v1/events}: the event log after a sequence number, a tenant's own events or, for an
 * operator, all; resumable from {@code next}. Cost: one index range scan of {@code limit} rows.
 */
final class EventRoutes {

    private static final int DEFAULT_LIMIT = 100;

    private final EventLog events;

    EventRoutes(EventLog events) {
        this.events = events;
    }

    void register(Javalin app) {
        app.get("/v1/events", this::since);
    }

    private void since(Context ctx) {
        long since = Fields.queryInteger("since", ctx.queryParam("since"), 0, Long.MAX_VALUE, 0);
        int limit = (int) Fields.queryInteger("limit", ctx.queryParam("limit"), 1, Page.MAX_LIMIT, DEFAULT_LIMIT);
        List<Event> found = events.since(since, Auth.principal(ctx), limit);
        long next = found.isEmpty() ? since : found.get(found.size() - 1).seq();
        ctx.json(new Wire.EventList(found.stream().map(Wire.EventView::of).toList(), next));
    }
}
