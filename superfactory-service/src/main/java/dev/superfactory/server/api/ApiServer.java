package dev.superfactory.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.server.live.AgentGateway;
import dev.superfactory.server.store.ConflictException;
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
    private static final Set<HandlerType> METHODS = Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE);

    private final Javalin app;
    private final List<String> routes;

    private ApiServer(Javalin app, List<String> routes) {
        this.app = app;
        this.routes = routes;
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
     * Starts the API on 127.0.0.1:{@code port} (0: any free port): committed jobs go to
     * {@code scheduling}, and the agent protocol is served over {@code agents} (503 if null: no scheduler).
     */
    public static ApiServer start(DataSource dataSource, Clock clock, int port, Scheduling scheduling,
                                  AgentGateway agents) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port=" + port + " is not within 0..65535");
        }
        ObjectMapper json = new ObjectMapper();
        List<String> routes = Collections.synchronizedList(new ArrayList<>());
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.maxRequestSize = Bodies.MAX_BYTES;
            config.events.handlerAdded(info -> record(info, routes));
        });
        Auth auth = new Auth(new TokenStore(dataSource, clock));
        app.before("/v1/*", auth::authenticate);
        byte[] openApi = resource(OPENAPI);
        app.get("/v1/health", ctx -> ctx.json(new Wire.Health("ok")));
        app.get("/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        new JobRoutes(new JobStore(dataSource), scheduling).register(app);
        new EventRoutes(new EventLog(dataSource)).register(app);
        new AgentRoutes(agents).register(app);
        mapErrors(app, json);
        app.start("127.0.0.1", port);
        return new ApiServer(app, List.copyOf(routes));
    }

    public int port() {
        return app.port();
    }

    /** Every route registered, as "METHOD path" in Javalin's syntax ({@code /v1/jobs/{id}}). */
    public List<String> routes() {
        return routes;
    }

    @Override
    public void close() {
        app.stop();
    }

    private static void record(HandlerMetaInfo info, List<String> routes) {
        if (METHODS.contains(info.getHttpMethod())) {
            routes.add(info.getHttpMethod().name() + " " + info.getPath());
        }
    }

    private static void mapErrors(Javalin app, ObjectMapper json) {
        app.exception(ApiException.class, (e, ctx) -> send(ctx, json, e.problem()));
        app.exception(NotFoundException.class, (e, ctx) -> send(ctx, json,
                new Problem("not-found", "Not found", 404, e.getMessage(), null)));
        app.exception(ConflictException.class, (e, ctx) -> send(ctx, json,
                new Problem("conflict", "Conflicting state", 409, e.getMessage(), null)));
        app.exception(HttpResponseException.class, (e, ctx) -> send(ctx, json, httpProblem(e, ctx)));
        app.exception(Exception.class, (e, ctx) -> {
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
