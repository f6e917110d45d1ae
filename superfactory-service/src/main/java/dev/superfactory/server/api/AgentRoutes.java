package dev.superfactory.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.server.live.AgentGateway;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.SchedulerStore.AgentCommand;
import dev.superfactory.server.store.SchedulerStore.Report;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/agents/{site}}: the site-agent protocol over HTTP (issue 11 item 5), so an agent can
 * run as its own process. {@code GET …/commands?after=} leases the site's commands after the
 * agent's cursor (and acknowledges those up to it); {@code POST …/reports} stores shard reports,
 * idempotent on (run, site, seq); {@code GET …/shards} lists the shards the control plane believes
 * live on the site and its newest command id (an agent's reconciliation at start and after a
 * reconnect). The caller is the agent of that site (its token is bound to it)
 * or an operator (kept for debugging and for agents deployed before site tokens); any other
 * token is 403. Cost: one store transaction per request (one per report).
 */
final class AgentRoutes {

    private static final int DEFAULT_LIMIT = 500;
    private static final int MAX_REPORTS = 1000;
    private static final Set<String> STATES = Set.of("ready", "running", "finished", "failed", "stopped");

    private final AgentGateway gateway;

    /** {@code gateway} null: a server without a scheduler, whose agent routes answer 503. */
    AgentRoutes(AgentGateway gateway) {
        this.gateway = gateway;
    }

    void register(Javalin app) {
        app.get("/v1/agents/{site}/commands", this::commands);
        app.post("/v1/agents/{site}/reports", this::reports);
        app.get("/v1/agents/{site}/shards", this::shards);
    }

    /** What the control plane believes runs on the site, and its newest command: an agent's reconciliation. */
    private void shards(Context ctx) {
        String site = ctx.pathParam("site");
        requireAgentOf(ctx, site);
        requireScheduler();
        List<Wire.ShardView> shards = gateway.liveShardsOn(site).stream().map(Wire.ShardView::of).toList();
        ctx.json(new Wire.ShardList(gateway.term(), gateway.newestCommand(site), shards));
    }

    private void commands(Context ctx) {
        requireAgentOf(ctx, ctx.pathParam("site"));
        requireScheduler();
        long after = Fields.queryInteger("after", ctx.queryParam("after"), 0, Long.MAX_VALUE, 0);
        int limit = (int) Fields.queryInteger("limit", ctx.queryParam("limit"), 1, 1000, DEFAULT_LIMIT);
        List<AgentCommand> commands = gateway.commands(ctx.pathParam("site"), after, limit);
        long next = commands.isEmpty() ? after : commands.get(commands.size() - 1).id();
        ctx.json(new Wire.CommandList(gateway.term(), commands.stream().map(Wire.CommandView::of).toList(), next));
    }

    private void reports(Context ctx) {
        String site = ctx.pathParam("site");
        requireAgentOf(ctx, site);
        requireScheduler();
        JsonNode body = Bodies.json(ctx);
        JsonNode items = body.get("reports");
        if (!body.isObject() || items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_REPORTS) {
            throw ApiException.badRequest("reports", "the body is {\"reports\": [ … ]} with 1.." + MAX_REPORTS + " reports");
        }
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            reports.add(report(site, items.get(i), "reports[" + i + "]."));
        }
        int stored = 0;
        for (Report r : reports) {
            stored += gateway.report(r) ? 1 : 0;
        }
        ctx.json(new Wire.ReportAck(stored, reports.size() - stored));
    }

    private static Report report(String site, JsonNode item, String prefix) {
        if (!item.isObject()) {
            throw ApiException.badRequest(prefix.substring(0, prefix.length() - 1), "a report is a JSON object");
        }
        item.fieldNames().forEachRemaining(name -> {
            if (!Set.of("run", "seq", "state", "checkpointSeconds").contains(name)) {
                throw ApiException.badRequest(prefix + name, "unknown field '" + name
                        + "'; the fields are [run, seq, state, checkpointSeconds]");
            }
        });
        long run = Fields.integer(item, "run", 1, Long.MAX_VALUE).orElseThrow(() -> Fields.missing(prefix + "run"));
        long seq = Fields.integer(item, "seq", 1, Integer.MAX_VALUE).orElseThrow(() -> Fields.missing(prefix + "seq"));
        String state = Fields.text(item, "state", 20).orElseThrow(() -> Fields.missing(prefix + "state"));
        if (!STATES.contains(state)) {
            throw ApiException.badRequest(prefix + "state", "state '" + state + "' is not one of " + STATES);
        }
        long checkpoint = Fields.integer(item, "checkpointSeconds", 0, Long.MAX_VALUE).orElse(0L);
        return new Report(run, site, (int) seq, state, checkpoint);
    }

    private void requireScheduler() {
        if (gateway == null) {
            throw ApiException.unavailable("this server runs no scheduler, so it has no agent commands");
        }
    }

    private static void requireAgentOf(Context ctx, String site) {
        Principal who = Auth.principal(ctx);
        if (who.role() == Principal.Role.OPERATOR || who.site().filter(site::equals).isPresent()) {
            return;
        }
        throw ApiException.forbidden(who.role() == Principal.Role.AGENT
                ? who.describe() + " may not act for site " + site
                : "site " + site + ": the agent protocol needs that site's agent token or an operator token");
    }
}
