package dev.superfactory.server.api;

import dev.superfactory.server.live.LiveScheduler;
import dev.superfactory.server.store.NotFoundException;
import dev.superfactory.server.store.Principal;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code /v1/fleet}: the fleet as the live kernel sees it (every token may read it: it names no
 * job), and an operator's drain and restore of a scale-up domain (the jobs on it are stopped and
 * restarted elsewhere or requeued; its GPUs take no job until restored), and cordon and uncordon
 * (Kubernetes' cordon: no new job, the jobs on it run to their end, its GPUs stay out as they are
 * released). 403 for a tenant, 404 for a domain the fleet does not have, 503 without a scheduler.
 * Cost: one query on the scheduler thread, O(domains); a drain or cordon is one pass.
 */
final class FleetRoutes {

    private final LiveScheduler scheduler;

    /** {@code scheduler} null: a server without a scheduler, whose fleet routes answer 503. */
    FleetRoutes(LiveScheduler scheduler) {
        this.scheduler = scheduler;
    }

    void register(Javalin app) {
        app.get("/v1/fleet", this::fleet);
        app.post("/v1/fleet/domains/{domain}/drain", ctx -> drain(ctx, true));
        app.post("/v1/fleet/domains/{domain}/restore", ctx -> drain(ctx, false));
        app.post("/v1/fleet/domains/{domain}/cordon", ctx -> cordon(ctx, true));
        app.post("/v1/fleet/domains/{domain}/uncordon", ctx -> cordon(ctx, false));
    }

    private void fleet(Context ctx) {
        ctx.json(JobRoutes.await(live().fleetView(), "the fleet view"));
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
