package dev.superfactory.server.api;

import dev.superfactory.fleet.WanLink;
import dev.superfactory.server.live.LiveScheduler;
import dev.superfactory.server.store.NotFoundException;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.SchedulerStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /v1/fleet}: the fleet as the live kernel sees it (every token may read it: it names no
 * job), and an operator's drain and restore of a scale-up domain (the jobs on it are stopped and
 * restarted elsewhere or requeued; its GPUs take no job until restored), and cordon and uncordon
 * (Kubernetes' cordon: no new job, the jobs on it run to their end, its GPUs stay out as they are
 * released). 403 for a tenant, 404 for a domain the fleet does not have, 503 without a scheduler.
 * The fleet names the live runs across each WAN link: a tenant sees only its own there.
 * Cost: one query on the scheduler thread, O(domains), and one store read of the live runs
 * (O(live shards)); a drain or cordon is one pass.
 */
final class FleetRoutes {

    private final LiveScheduler scheduler;
    private final SchedulerStore store;

    /** {@code scheduler} null: a server without a scheduler, whose fleet routes answer 503. */
    FleetRoutes(LiveScheduler scheduler, SchedulerStore store) {
        this.scheduler = scheduler;
        this.store = store;
    }

    void register(Javalin app) {
        app.get("/v1/fleet", this::fleet);
        app.post("/v1/fleet/domains/{domain}/drain", ctx -> drain(ctx, true));
        app.post("/v1/fleet/domains/{domain}/restore", ctx -> drain(ctx, false));
        app.post("/v1/fleet/domains/{domain}/cordon", ctx -> cordon(ctx, true));
        app.post("/v1/fleet/domains/{domain}/uncordon", ctx -> cordon(ctx, false));
    }

    private void fleet(Context ctx) {
        var view = JobRoutes.await(live().fleetView(), "the fleet view");
        ctx.json(Wire.FleetPage.of(view, wan(Auth.principal(ctx).tenant())));
    }

    /** Each WAN link with the live runs that have shards at both its ends ({@code tenant}'s only, if present). */
    private List<Wire.WanView> wan(Optional<String> tenant) {
        List<SchedulerStore.LiveRun> across = store.liveRuns().stream().filter(r -> r.shards().size() > 1)
                .filter(r -> tenant.map(r.tenant()::equals).orElse(true)).toList();
        List<Wire.WanView> links = new ArrayList<>();
        for (WanLink link : live().fleet().wanLinks()) {
            List<Wire.Crossing> jobs = across.stream()
                    .filter(r -> r.shards().containsKey(link.siteA()) && r.shards().containsKey(link.siteB()))
                    .map(r -> new Wire.Crossing(r.job(), r.tenant(), r.run(), List.copyOf(r.shards().keySet()))).toList();
            links.add(new Wire.WanView(link.siteA(), link.siteB(), link.distanceKm(),
                    link.bandwidthBytesPerSecond() * 8 / 1e9, jobs));
        }
        return links;
    }

    private void drain(Context ctx, boolean drain) {
        int domain = operatorDomain(ctx, drain ? "draining" : "restoring");
        boolean changed = JobRoutes.await(live().drain(domain, drain), (drain ? "the drain" : "the restore") + " of domain " + domain);
        ctx.json(new Wire.DrainResult(domain, drain, changed));
    }

    private void cordon(Context ctx, boolean cordon) {
        int domain = operatorDomain(ctx, cordon ? "cordoning" : "uncordoning");
        boolean changed = JobRoutes.await(live().cordon(domain, cordon),
                (cordon ? "the cordon" : "the uncordon") + " of domain " + domain);
        ctx.json(new Wire.CordonResult(domain, cordon, changed));
    }

    /** The path's domain for an operator's {@code action}: 403 for a tenant, 400 if not a number, 404 if not in the fleet. */
    private int operatorDomain(Context ctx, String action) {
        if (Auth.principal(ctx).role() != Principal.Role.OPERATOR) {
            throw ApiException.forbidden(action + " a domain needs an operator token");
        }
        int domains = live().fleet().domainCount();
        long domain = Fields.queryInteger("domain", ctx.pathParam("domain"), 0, Integer.MAX_VALUE, 0);
        if (domain >= domains) {
            throw new NotFoundException("domain " + domain + " is not in the fleet (its domains are 0.." + (domains - 1) + ")");
        }
        return (int) domain;
    }

    private LiveScheduler live() {
        if (scheduler == null) {
            throw ApiException.unavailable("this server runs no scheduler, so it has no live fleet");
        }
        return scheduler;
    }
}
