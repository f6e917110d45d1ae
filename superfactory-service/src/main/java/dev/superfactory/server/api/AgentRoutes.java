package dev.superfactory.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.server.live.AgentGateway;
import dev.superfactory.server.live.LiveScheduler;
import dev.superfactory.server.store.NotFoundException;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.SchedulerStore.AgentCommand;
import dev.superfactory.server.store.SchedulerStore.Report;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/agents/{site}}: the site-agent protocol over HTTP (issue 11 item 5), so an agent can
 * run as its own process. {@code GET …/commands?after=} leases the site's commands after the
 * agent's cursor (and acknowledges those up to it); {@code POST …/reports} stores shard reports,
 * idempotent on (run, site, seq); {@code GET …/shards} lists the shards the control plane believes
 * live on the site and its newest command id (an agent's reconciliation at start and after a
 * reconnect); {@code PUT …/nodes} says which of the site's nodes are out of service on its cluster
 * now and {@code PUT …/links} which other sites it cannot reach over the AI WAN (each the whole
 * set: idempotent). The caller is the agent of that site (its token is bound to it)
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
        app.put("/v1/agents/{site}/nodes", this::nodes);
        app.put("/v1/agents/{site}/links", this::links);
        app.get("/v1/agents/{site}/shards", this::shards);
        app.post("/v1/agents/{site}/orphans", this::orphan);
    }

    /** What the control plane believes runs on the site, and its newest command: an agent's reconciliation. */
    private void shards(Context ctx) {
        String site = ctx.pathParam("site");
        requireAgentOf(ctx, site);
        requireScheduler();
        var live = gateway.liveShardsOn(site); // the shards and the newest command from one snapshot
        ctx.json(new Wire.ShardList(gateway.term(), live.newestCommand(),
                live.shards().stream().map(Wire.ShardView::of).toList(),
                siteDomains(gateway.scheduler().fleet(), gateway.scheduler().fleet().siteIndex(site)),
                linkedSites(gateway.scheduler().fleet(), site)));
    }

    /** The sites with a WAN link to {@code site}, sorted. O(links). */
    static List<String> linkedSites(Fleet fleet, String site) {
        java.util.TreeSet<String> linked = new java.util.TreeSet<>();
        for (var link : fleet.wanLinks()) {
            if (link.siteA().equals(site)) {
                linked.add(link.siteB());
            } else if (link.siteB().equals(site)) {
                linked.add(link.siteA());
            }
        }
        return List.copyOf(linked);
    }

    /**
     * The site's domains as runs {@code [firstDomain, count, gpusPerDomain]}, one per stretch of
     * equal domain size (a site's domains are consecutive). O(block groups of the fleet).
     */
    static List<int[]> siteDomains(Fleet fleet, int site) {
        List<int[]> runs = new java.util.ArrayList<>();
        for (int g = 0; g < fleet.groupCount(); g++) {
            if (fleet.groupSite(g) != site) {
                continue;
            }
            int first = fleet.groupFirstDomain(g);
            int end = g + 1 < fleet.groupCount() ? fleet.groupFirstDomain(g + 1) : fleet.domainCount();
            int size = fleet.domainSize(first);
            int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last[2] == size && last[0] + last[1] == first) {
                last[1] += end - first;
            } else {
                runs.add(new int[] {first, end - first, size});
            }
        }
        return runs;
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

    /**
     * {@code {"out": [{"node", "domain", "offset", "gpus", "reason"}]}}: each node out, as the GPUs
     * [offset, offset + gpus) of one of the site's domains; nodes may not overlap. O(nodes).
     */
    private void nodes(Context ctx) {
        String site = ctx.pathParam("site");
        int s = siteOfAgent(ctx, site);
        Fleet fleet = gateway.scheduler().fleet();
        JsonNode body = Bodies.json(ctx);
        JsonNode items = body.get("out");
        if (!body.isObject() || items == null || !items.isArray() || items.size() > fleet.siteGpus(s)) {
            throw ApiException.badRequest("out", "the body is {\"out\": [ … ]}, the nodes out of service now (at most one per GPU)");
        }
        List<LiveScheduler.NodeOut> out = new ArrayList<>();
        java.util.BitSet taken = new java.util.BitSet();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            LiveScheduler.NodeOut node = nodeOut(fleet, s, items.get(i), "out[" + i + "].");
            if (!names.add(node.node())) {
                throw ApiException.badRequest("out[" + i + "].node", "node " + node.node() + " is listed twice");
            }
            int clash = taken.nextSetBit(node.firstGpu());
            if (clash >= 0 && clash < node.firstGpu() + node.gpus()) {
                throw ApiException.badRequest("out[" + i + "].offset", "node " + node.node()
                        + "'s GPUs overlap another node's in domain " + node.domain());
            }
            taken.set(node.firstGpu(), node.firstGpu() + node.gpus());
            out.add(node);
        }
        ctx.json(JobRoutes.await(gateway.scheduler().nodesOut(s, out), "the nodes out on site " + site));
    }

    /** The fleet's index of {@code site}, for its agent (or an operator): 403 for others, 404 if no such site. */
    private int siteOfAgent(Context ctx, String site) {
        requireAgentOf(ctx, site);
        requireScheduler();
        int s = gateway.scheduler().fleet().siteIndex(site);
        if (s < 0) {
            throw new NotFoundException("there is no site " + site);
        }
        return s;
    }

    /** {@code {"cut": [{"to", "reason"}]}}: the sites this site's agent cannot reach over the WAN now. O(links). */
    private void links(Context ctx) {
        String site = ctx.pathParam("site");
        int s = siteOfAgent(ctx, site);
        Fleet fleet = gateway.scheduler().fleet();
        JsonNode body = Bodies.json(ctx);
        JsonNode items = body.get("cut");
        if (!body.isObject() || items == null || !items.isArray() || items.size() > fleet.siteCount()) {
            throw ApiException.badRequest("cut", "the body is {\"cut\": [{\"to\": SITE, \"reason\": …}]}, the sites"
                    + " this site cannot reach over the WAN now");
        }
        Map<Integer, String> cut = new java.util.LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String prefix = "cut[" + i + "].";
            JsonNode item = items.get(i);
            Fields.objectOf(item, prefix, "a cut link", List.of("to", "reason"));
            String to = Fields.text(item, "to", 100).orElseThrow(() -> Fields.missing(prefix + "to"));
            int link = linkBetween(fleet, site, to);
            if (link < 0) {
                throw ApiException.badRequest(prefix + "to", "there is no WAN link between " + site + " and " + to);
            }
            if (cut.put(link, Fields.text(item, "reason", 500).orElse("")) != null) {
                throw ApiException.badRequest(prefix + "to", "site " + to + " is listed twice");
            }
        }
        ctx.json(JobRoutes.await(gateway.scheduler().linksCut(s, cut), "the WAN links cut from site " + site));
    }

    /**
     * {@code {"shard", "clusterId", "reason"}}: the agent found this shard on its cluster, the control
     * plane does not believe it live, and the agent stopped it (reconciliation). Logged as an event.
     */
    private void orphan(Context ctx) {
        String site = ctx.pathParam("site");
        siteOfAgent(ctx, site);
        JsonNode body = Bodies.json(ctx);
        Fields.objectOf(body, "", "an orphan shard", List.of("shard", "clusterId", "reason"));
        String shard = Fields.text(body, "shard", 200).orElseThrow(() -> Fields.missing("shard"));
        String clusterId = Fields.text(body, "clusterId", 200).orElseThrow(() -> Fields.missing("clusterId"));
        String reason = Fields.text(body, "reason", 500).orElse("");
        gateway.orphanStopped(site, shard, clusterId, reason);
        ctx.json(Map.of("logged", true));
    }

    /** The index of the WAN link between sites {@code a} and {@code b}, or -1. O(links). */
    private static int linkBetween(Fleet fleet, String a, String b) {
        for (int l = 0; l < fleet.wanLinks().size(); l++) {
            var link = fleet.wanLinks().get(l);
            if (link.siteA().equals(a) && link.siteB().equals(b) || link.siteA().equals(b) && link.siteB().equals(a)) {
                return l;
            }
        }
        return -1;
    }

    private static LiveScheduler.NodeOut nodeOut(Fleet fleet, int site, JsonNode item, String prefix) {
        Fields.objectOf(item, prefix, "a node", List.of("node", "domain", "offset", "gpus", "reason"));
        String node = Fields.text(item, "node", 200).orElseThrow(() -> Fields.missing(prefix + "node"));
        int domain = Fields.integer(item, "domain", 0, fleet.domainCount() - 1)
                .orElseThrow(() -> Fields.missing(prefix + "domain")).intValue();
        if (fleet.domainSite(domain) != site) {
            throw ApiException.badRequest(prefix + "domain", "domain " + domain + " is in site "
                    + fleet.site(fleet.domainSite(domain)).name() + ", not " + fleet.site(site).name());
        }
        int size = fleet.domainSize(domain);
        int offset = Fields.integer(item, "offset", 0, size - 1).orElseThrow(() -> Fields.missing(prefix + "offset")).intValue();
        int gpus = Fields.integer(item, "gpus", 1, size).orElseThrow(() -> Fields.missing(prefix + "gpus")).intValue();
        if (offset + gpus > size) {
            throw ApiException.badRequest(prefix + "gpus", "GPUs " + offset + ".." + (offset + gpus - 1)
                    + " run past domain " + domain + "'s " + size + " GPUs");
        }
        String reason = Fields.text(item, "reason", 500).orElse("");
        return new LiveScheduler.NodeOut(site, node, domain, fleet.domainFirstGpu(domain) + offset, gpus, reason);
    }

    private static Report report(String site, JsonNode item, String prefix) {
        Fields.objectOf(item, prefix, "a report", List.of("run", "seq", "state", "checkpointSeconds", "reason"));
        long run = Fields.integer(item, "run", 1, Long.MAX_VALUE).orElseThrow(() -> Fields.missing(prefix + "run"));
        long seq = Fields.integer(item, "seq", 1, Integer.MAX_VALUE).orElseThrow(() -> Fields.missing(prefix + "seq"));
        String state = Fields.text(item, "state", 20).orElseThrow(() -> Fields.missing(prefix + "state"));
        if (!STATES.contains(state)) {
            throw ApiException.badRequest(prefix + "state", "state '" + state + "' is not one of " + STATES);
        }
        long checkpoint = Fields.integer(item, "checkpointSeconds", 0, Long.MAX_VALUE).orElse(0L);
        return new Report(run, site, (int) seq, state, checkpoint, reason(item, prefix + "reason"));
    }

    /** A report's optional reason: a string of at most {@value Report#MAX_REASON} characters ("" if absent). */
    private static String reason(JsonNode item, String field) {
        JsonNode value = item.get("reason");
        if (value == null) {
            return "";
        }
        if (!value.isTextual() || value.textValue().length() > Report.MAX_REASON) {
            throw ApiException.badRequest(field, field + " must be a string of at most " + Report.MAX_REASON
                    + " characters, got " + (value.isTextual() ? value.textValue().length() + " characters" : value.getNodeType()));
        }
        return Fields.withoutNul(field, value.textValue());
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
