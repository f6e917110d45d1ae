package dev.superfactory.server.api;

import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code GET /metrics} (outside {@code /v1}, as Prometheus expects): every meter of
 * {@link ServerMetrics} in the Prometheus text format. ASSUMPTION: an operator's bearer token is
 * required, like every non-public route; tenants get 403, since the series name every tenant.
 * Cost: one registry scrape.
 */
final class MetricsRoute {

    static final String PATH = "/metrics";
    /** The Prometheus text exposition format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;

    MetricsRoute(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    void register(Javalin app, Auth auth) {
        app.before(PATH, auth::authenticate);
        app.get(PATH, this::scrape);
    }

    private void scrape(Context ctx) {
        if (Auth.principal(ctx).tenant().isPresent()) {
            throw ApiException.forbidden("/metrics needs an operator token: the series name every tenant");
        }
        ctx.contentType(CONTENT_TYPE).result(metrics.scrape());
    }
}
