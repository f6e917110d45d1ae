package dev.superfactory.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A site agent's client of the control plane's agent routes (issue 12 item 1), over
 * java.net.http and Jackson: {@code GET /v1/agents/{site}/commands?after=&limit=},
 * {@code POST /v1/agents/{site}/reports}, {@code GET /v1/agents/{site}/shards}. One attempt per
 * call, with a request timeout; the caller retries. Failures are typed: {@link Refused} (HTTP 4xx:
 * the control plane will give the same answer to the same request, so do not resend it as it is)
 * and {@link Unreachable} (IO error, timeout, HTTP 5xx: retry with backoff). The bearer token goes
 * only into the Authorization header: never into a message, log line or {@link #toString()}.
 * Cost: one HTTP request per call.
 */
public final class ControlPlaneClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String site;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    /** A command as the control plane wrote it. */
    public record Command(long id, long term, long run, String kind, JsonNode payload) {
    }

    /** A page of commands after the cursor; {@code next} is the cursor to send next. */
    public record CommandPage(long term, List<Command> items, long next) {
    }

    /**
     * A shard state report; the control plane stores it once per (run, site, seq). {@code reason}:
     * why, in the cluster's words (empty: none, and not sent); cut to {@value #MAX_REASON}
     * characters, the most the control plane takes.
     */
    public record Report(long run, int seq, String state, long checkpointSeconds, String reason) {
        /** The longest reason the control plane takes. */
        public static final int MAX_REASON = 200;

        public Report {
            reason = reason == null ? "" : reason.replace("\0", "").strip();
            if (reason.length() > MAX_REASON) {
                reason = reason.substring(0, MAX_REASON - 1) + "…";
            }
        }

        /** A report without a reason. */
        public Report(long run, int seq, String state, long checkpointSeconds) {
            this(run, seq, state, checkpointSeconds, "");
        }

        /** The same report without its reason (for a control plane older than the field). */
        public Report withoutReason() {
            return new Report(run, seq, state, checkpointSeconds);
        }
    }

    /** A shard the control plane believes live on the site; {@code seq} is the highest reported. */
    public record LiveShard(long run, long job, String tenant, String state, int seq, JsonNode placement, boolean go) {
    }

    /** What the control plane believes the site runs, and the site's newest command id. */
    /** @param domains the site's domains as runs {@code [firstDomain, count, gpusPerDomain]} (empty from an older control plane) */
    public record ShardList(long term, long newestCommand, List<LiveShard> items, List<int[]> domains,
                            List<String> linkedSites) {
    }

    /** The control plane refused the request (HTTP 4xx); resending it unchanged would be refused again. */
    public static final class Refused extends Exception {
        private final int status;
        private final String field;

        Refused(int status, String message, String field) {
            super(message);
            this.status = status;
            this.field = field;
        }

        public int status() {
            return status;
        }

        /** The request field the control plane's problem document names (e.g. {@code reports[0].reason}), or "". */
        public String field() {
            return field;
        }
    }

    /** The control plane could not be reached or failed (IO error, timeout, HTTP 5xx): retry later. */
    public static final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public ControlPlaneClient(URI base, String site, String token, Duration timeout) {
        if (!site.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("site '" + site + "' is not a site name ([a-z0-9][a-z0-9_-]{0,62})");
        }
        String scheme = base.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("control plane URL " + base + " is not http:// or https://");
        }
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.site = site;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Leases the site's commands after {@code after} (acknowledging those up to it), at most {@code limit}. */
    public CommandPage commands(long after, int limit) throws Refused, Unreachable {
        JsonNode page = send("GET", "commands?after=" + after + "&limit=" + limit, null);
        List<Command> items = new ArrayList<>();
        for (JsonNode c : page.get("items")) {
            items.add(new Command(c.get("id").asLong(), c.get("term").asLong(), c.get("run").asLong(),
                    c.get("kind").asText(), c.get("payload")));
        }
        return new CommandPage(page.get("term").asLong(), items, page.get("next").asLong());
    }

    /** Sends reports; returns how many were stored now (the rest were stored before: retries). */
    public int report(List<Report> reports) throws Refused, Unreachable {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("reports");
        for (Report r : reports) {
            ObjectNode item = items.addObject().put("run", r.run()).put("seq", r.seq()).put("state", r.state());
            if (r.checkpointSeconds() > 0) {
                item.put("checkpointSeconds", r.checkpointSeconds());
            }
            if (!r.reason().isEmpty()) {
                item.put("reason", r.reason());
            }
        }
        return send("POST", "reports", body.toString()).get("stored").asInt();
    }

    /** A node of the site out of service: its name, fleet domain, first GPU within the domain, GPUs, and why. */
    public record NodeOut(String node, int domain, int offset, int gpus, String reason) {
    }

    /**
     * Says which of the site's nodes are out of service now (the whole set: idempotent); returns how
     * many went out and how many came back.
     */
    public int[] nodesOut(List<NodeOut> out) throws Refused, Unreachable {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("out");
        for (NodeOut n : out) {
            items.addObject().put("node", n.node()).put("domain", n.domain()).put("offset", n.offset())
                    .put("gpus", n.gpus()).put("reason", clean(n.reason(), 500));
        }
        JsonNode changed = send("PUT", "nodes", body.toString());
        return new int[] {changed.get("down").asInt(), changed.get("up").asInt()};
    }

    /**
     * Says which other sites this site cannot reach over the WAN now (the whole set, site → why:
     * idempotent); returns how many links went cut and how many came back.
     */
    public int[] linksCut(Map<String, String> cut) throws Refused, Unreachable {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("cut");
        cut.forEach((to, why) -> items.addObject().put("to", to).put("reason", clean(why, 500)));
        JsonNode changed = send("PUT", "links", body.toString());
        return new int[] {changed.get("cut").asInt(), changed.get("restored").asInt()};
    }

    /** Tells the control plane the agent stopped a shard of its cluster that it does not know (logged as an event). */
    public void orphanStopped(String shard, String clusterId, String reason) throws Refused, Unreachable {
        ObjectNode body = JSON.createObjectNode().put("shard", shard).put("clusterId", clusterId)
                .put("reason", clean(reason, 500));
        send("POST", "orphans", body.toString());
    }

    /** What the control plane believes runs on the site: the agent's reconciliation. */
    public ShardList shards() throws Refused, Unreachable {
        JsonNode list = send("GET", "shards", null);
        List<LiveShard> items = new ArrayList<>();
        for (JsonNode s : list.get("items")) {
            items.add(new LiveShard(s.get("run").asLong(), s.get("job").asLong(), s.get("tenant").asText(),
                    s.get("state").asText(), s.get("seq").asInt(), s.get("placement"), s.path("go").asBoolean()));
        }
        List<int[]> domains = new ArrayList<>();
        for (JsonNode run : list.path("domains")) {
            domains.add(new int[] {run.path(0).asInt(), run.path(1).asInt(), run.path(2).asInt()});
        }
        List<String> linked = new ArrayList<>();
        list.path("linkedSites").forEach(site -> linked.add(site.asText()));
        return new ShardList(list.get("term").asLong(), list.get("newestCommand").asLong(), items, domains, linked);
    }

    /** Text for the control plane: without U+0000 (PostgreSQL cannot store it; the route refuses it), at most {@code max} characters. */
    static String clean(String text, int max) {
        String t = text.replace("\0", "");
        return t.length() > max ? t.substring(0, max) : t;
    }

    private JsonNode send(String method, String route, String body) throws Refused, Unreachable {
        URI uri = base.resolve("v1/agents/" + site + "/" + route);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable(method + " " + uri + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable(method + " " + uri + ": interrupted", e);
        }
        return parse(method, uri, response);
    }

    private static JsonNode parse(String method, URI uri, HttpResponse<String> response) throws Refused, Unreachable {
        int status = response.statusCode();
        if (status >= 500) {
            throw new Unreachable(method + " " + uri + ": HTTP " + status + " " + detail(response.body()), null);
        }
        if (status >= 400) {
            throw new Refused(status, method + " " + uri + ": HTTP " + status + " " + detail(response.body()),
                    problemField(response.body()));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Unreachable(method + " " + uri + ": HTTP " + status + " with a body that is not JSON", e);
        }
    }

    /** The field a problem document names, or "" (not a problem document, or no field). */
    private static String problemField(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            return problem != null && problem.path("field").isTextual() ? problem.get("field").asText() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** A problem document's detail, or the start of the body. */
    private static String detail(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem != null && problem.has("detail")) {
                return problem.get("detail").asText();
            }
        } catch (IOException e) {
            // not JSON: the text itself
        }
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    @Override
    public String toString() {
        return "control plane " + base + " as the agent of site " + site;
    }
}
