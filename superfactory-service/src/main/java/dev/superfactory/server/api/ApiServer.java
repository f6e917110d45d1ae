package dev.superfactory.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.server.dashboard.DashboardRoutes;
import dev.superfactory.server.live.AgentGateway;
import dev.superfactory.server.store.ConflictException;
import dev.superfactory.server.store.EventListener;
import dev.superfactory.server.store.EventLog;
import dev.superfactory.server.store.JobStore;
import dev.superfactory.server.store.NotFoundException;
import dev.superfactory.server.store.TokenStore;
import io.javalin.Javalin;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import javax.sql.DataSource;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's REST API (issue 11 item 3): Javalin 6 on Jetty 11, bound to 127.0.0.1,
 * routes under {@code /v1}, described by the hand-written {@code openapi.json} it serves. Every
 * error is an RFC 9457 problem detail; store exceptions map to 404 / 409, anything unexpected to a
 * 500 whose detail names no internals (the log has the stack trace, never a token).
 *
 * <p>Cost per request: Jetty's parsing, one token lookup (one SHA-256, one index read), then the
 * route's store transactions; see the README for measured latencies.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String OPENAPI = "openapi.json";
    /** Threads that re-query the log for woken long-polls (each query is short; the pool has 10 connections). */
    private static final int REQUERY_THREADS = 2;
    /** Jetty's idle timeout: above the longest long-poll (60 s) and the SSE heartbeat (15 s). */
    private static final long IDLE_TIMEOUT_MILLIS = 90_000;
    private static final Set<HandlerType> METHODS = Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE);

    private final Javalin app;
    private final List<String> routes;
    private final ServerMetrics metrics;
    private final boolean ownsMetrics;
    private final EventWaiters waiters;
    private final EventListener listener;
    private final ExecutorService requery;

    private ApiServer(Javalin app, List<String> routes, ServerMetrics metrics, boolean ownsMetrics, Events events) {
        this.app = app;
        this.routes = routes;
        this.metrics = metrics;
        this.ownsMetrics = ownsMetrics;
        this.waiters = events.waiters();
        this.listener = events.listener();
        this.requery = events.requery();
    }

    /** The live-event machinery: parked callers, the LISTEN thread that wakes them, the pool that re-queries. */
    private record Events(EventWaiters waiters, EventListener listener, ExecutorService requery) {
    }

    /** Starts the API on 127.0.0.1:{@code port} (0: any free port) over the store in {@code dataSource}, without scheduling. */
    public static ApiServer start(DataSource dataSource, Clock clock, int port) {
        return start(dataSource, clock, port, Scheduling.NONE);
    }

    /** Starts the API on 127.0.0.1:{@code port} (0: any free port); committed jobs go to {@code scheduling}. */
    public static ApiServer start(DataSource dataSource, Clock clock, int port, Scheduling scheduling) {
        return start(dataSource, clock, port, scheduling, null);
    }

    /**
     * Starts the API on 127.0.0.1:{@code port} (0: any free port); committed jobs go to
     * {@code scheduling}; meters go to {@code metrics} (null: a registry of its own, closed with
     * the server), which {@code GET /metrics} serves. The event listener's connection to
     * {@code dataSource}'s database is its own, outside the pool.
     */
    public static ApiServer start(DataSource dataSource, Clock clock, int port, Scheduling scheduling,
                                  ServerMetrics metrics) {
        return start(dataSource, clock, port, scheduling, null, metrics);
    }

    /**
     * As {@link #start(DataSource, Clock, int, Scheduling, ServerMetrics)}, and the site-agent
     * protocol is served over {@code agents} (its routes answer 503 if null: no scheduler).
     */
    public static ApiServer start(DataSource dataSource, Clock clock, int port, Scheduling scheduling,
                                  AgentGateway agents, ServerMetrics metrics) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port=" + port + " is not within 0..65535");
        }
        ServerMetrics meters = metrics != null ? metrics : ServerMetrics.create();
        EventLog eventLog = new EventLog(dataSource);
        Events events = startEvents(dataSource, eventLog, meters);
        try {
            ObjectMapper json = new ObjectMapper();
            List<String> routes = Collections.synchronizedList(new ArrayList<>());
            Javalin app = create(json, routes, meters);
            Auth auth = new Auth(new TokenStore(dataSource, clock));
            app.before("/v1/*", auth::authenticate);
            byte[] openApi = resource(OPENAPI);
            app.get("/v1/health", ctx -> ctx.json(new Wire.Health("ok")));
            app.get("/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            WhatIfRoutes whatIf = new WhatIfRoutes(scheduling, agents == null ? null : agents.scheduler());
            whatIf.register(app);
            new JobRoutes(new JobStore(dataSource), meters.countingSubmits(scheduling), whatIf).register(app);
            new EventRoutes(eventLog, events.waiters(), events.requery()).register(app);
            new AgentRoutes(agents).register(app);
            new FleetRoutes(agents == null ? null : agents.scheduler(),
                    new dev.superfactory.server.store.SchedulerStore(dataSource)).register(app);
            app.get("/v1/me", ctx -> ctx.json(Wire.Me.of(Auth.principal(ctx), eventLog.newestSeq(Auth.principal(ctx)))));
            new DashboardRoutes().register(app);
            new TenantRoutes(agents == null ? null : agents.scheduler(), new dev.superfactory.server.store.SchedulerStore(
                    dataSource), new dev.superfactory.server.store.TenantStore(dataSource), clock).register(app);
            new MetricsRoute(meters).register(app, auth);
            mapErrors(app, json);
            app.start("127.0.0.1", port);
            return new ApiServer(app, List.copyOf(routes), meters, metrics == null, events);
        } catch (RuntimeException e) {
            stopEvents(events);
            throw e;
        }
    }

    private static Javalin create(ObjectMapper json, List<String> routes, ServerMetrics meters) {
        return Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.maxRequestSize = Bodies.MAX_BYTES;
            config.events.handlerAdded(info -> record(info, routes));
            config.requestLogger.http((ctx, millis) -> meters.requestDone(ctx.method().name(), route(ctx),
                    ctx.statusCode(), (long) (millis * 1e6)));
            // a long-poll parks up to 60 s without a byte on the wire: Jetty's idle timeout must be longer
            config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(IDLE_TIMEOUT_MILLIS));
        });
    }

    private static Events startEvents(DataSource dataSource, EventLog eventLog, ServerMetrics meters) {
        EventWaiters waiters = new EventWaiters(EventWaiters.DEFAULT_CAPACITY);
        NewestSeq newest = new NewestSeq(eventLog::newestSeq);
        meters.eventLogNewestSeq(newest);
        EventListener listener = EventListener.start(EventListener.dedicatedTo(dataSource), new EventListener.Subscriber() {
            @Override
            public void appended(long seq, String tenant) {
                newest.observe(seq);
                waiters.wake(tenant);
            }

            @Override
            public void mayHaveMissed() {
                waiters.wakeAll();
            }
        });
        ExecutorService requery = Executors.newFixedThreadPool(REQUERY_THREADS, daemon("superfactory-events-requery"));
        return new Events(waiters, listener, requery);
    }

    /** The registry {@code GET /metrics} serves; the scheduler registers its meters here. */
    public ServerMetrics metrics() {
        return metrics;
    }

    public int port() {
        return app.port();
    }

    /** Every route registered, as "METHOD path" in Javalin's syntax ({@code /v1/jobs/{id}}). */
    public List<String> routes() {
        return routes;
    }

    /**
     * Wakes every parked caller (they answer at once) and stops the event listener first (the
     * database may be stopping too), then the API, the re-query pool and, if its own, the registry.
     */
    @Override
    public void close() {
        waiters.close();
        listener.close();
        try {
            app.stop();
        } finally {
            stopEvents(new Events(waiters, listener, requery));
            if (ownsMetrics) {
                metrics.close();
            }
        }
    }

    private static void stopEvents(Events events) {
        events.waiters().close();
        events.listener().close();
        events.requery().shutdownNow();
    }

    /**
     * "METHOD template" of the route that answered; a request refused by a before-handler (401)
     * or matched by none (404) has no endpoint, so it is labelled by the filter's path
     * ({@code /v1/*}) or {@link ServerMetrics#UNMATCHED}, never by its raw path.
     */
    private static String route(Context ctx) {
        String template;
        try {
            template = ctx.endpointHandlerPath();
        } catch (IllegalStateException beforeOnly) {
            template = ctx.matchedPath();
        }
        return template == null || template.isEmpty() || "*".equals(template)
                ? ServerMetrics.UNMATCHED : ctx.method().name() + " " + template;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void record(HandlerMetaInfo info, List<String> routes) {
        if (METHODS.contains(info.getHttpMethod())) {
            routes.add(info.getHttpMethod().name() + " " + info.getPath());
        }
    }

    private static void mapErrors(Javalin app, ObjectMapper json) {
        app.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
            }
            send(ctx, json, e.problem());
        });
        app.exception(NotFoundException.class, (e, ctx) -> send(ctx, json,
                new Problem("not-found", "Not found", 404, e.getMessage(), null)));
        app.exception(ConflictException.class, (e, ctx) -> send(ctx, json,
                new Problem("conflict", "Conflicting state", 409, e.getMessage(), null)));
        app.exception(HttpResponseException.class, (e, ctx) -> send(ctx, json, httpProblem(e, ctx)));
        app.exception(Exception.class, (e, ctx) -> {
            if (e.getCause() instanceof java.sql.SQLTransientConnectionException) {
                LOG.warn("{} {}: no database connection free in time (overloaded)", ctx.method(), ctx.path());
                ApiException busy = ApiException.unavailable("the server is overloaded (no database connection free in"
                        + " time); nothing was written; retry", 1);
                ctx.header("Retry-After", "1");
                send(ctx, json, busy.problem());
                return;
            }
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            send(ctx, json, new Problem("internal", "Internal error", 500,
                    "the server failed; its log has the details", null));
        });
    }

    private static Problem httpProblem(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        if (status == 404) {
            return new Problem("not-found", "Not found", 404, "no route " + ctx.method() + " " + ctx.path(), null);
        }
        if (status == 413) {
            return ApiException.tooLarge(Bodies.MAX_BYTES).problem();
        }
        return new Problem("http-error", "HTTP error " + status, status, e.getMessage(), null);
    }

    private static void send(Context ctx, ObjectMapper json, Problem problem) {
        if (problem.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        try {
            ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE).result(json.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem record is always serialisable: " + problem, e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}
