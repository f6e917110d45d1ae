package dev.superfactory.server.dashboard;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The operator dashboard (issue 13 item 4): {@code GET /} is one static HTML page, and
 * {@code GET /dashboard/{file}} its script and style sheet, all from the classpath (no CDN, no
 * build step: it works with no network). They need no token: the page asks for one, keeps it in
 * the tab's {@code sessionStorage}, and calls only the JSON API with it, so what a token may see
 * is the API's to decide (a tenant's token sees its own jobs only). A Content-Security-Policy of
 * {@code 'self'} keeps the page from loading or calling anything else.
 *
 * <p>How it stays live is {@code app.js}'s to say (a long-poll of {@code /v1/events}). Cost per
 * request: the bytes of one file, read once at start (about 30 KB in all).
 */
public final class DashboardRoutes {

    /** What may be loaded or called: this origin only; inline styles set from script are allowed, inline scripts not. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
    private static final Map<String, String> TYPES = Map.of("app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private final byte[] page = resource("index.html");
    private final Map<String, byte[]> files = Map.of("app.js", resource("app.js"), "app.css", resource("app.css"));

    public void register(Javalin app) {
        app.get("/", ctx -> send(ctx, "text/html; charset=utf-8", page));
        app.get("/dashboard/{file}", this::file);
    }

    private void file(Context ctx) {
        String name = ctx.pathParam("file");
        byte[] bytes = files.get(name);
        if (bytes == null) {
            throw new NotFoundResponse("no dashboard file " + name + "; the files are " + new java.util.TreeSet<>(files.keySet()));
        }
        send(ctx, TYPES.get(name), bytes);
    }

    private static void send(Context ctx, String type, byte[] bytes) {
        ctx.header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache").contentType(type).result(bytes);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard resource " + name, e);
        }
    }
}
