package dev.superfactory.server.api;

import dev.superfactory.server.live.LiveScheduler;
import dev.superfactory.server.store.Principal;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code /v1/fleet}: the fleet as the live kernel sees it (every token may read it: it names no
 * job), and an operator's drain and restore of a scale-up domain (the jobs on it are stopped and
 * restarted elsewhere or requeued; its GPUs take no job until restored). 503 without a scheduler.
 * Cost: one query on the scheduler thread, O(domains); a drain is one pass.
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
    }

    private void fleet(Context ctx) {
        ctx.json(JobRoutes.await(live().fleetView(), "the fleet view"));
    }

    private void drain(Context ctx, boolean drain) {
        if (Auth.principal(ctx).role() != Principal.Role.OPERATOR) {
            throw ApiException.forbidden("draining or restoring a domain needs an operator token");
        }
        LiveScheduler live = live();
        int domains = live.fleet().domainCount();
        int domain = (int) Fields.queryInteger("domain", ctx.pathParam("domain"), 0, domains - 1, 0);
        boolean changed = JobRoutes.await(live.drain(domain, drain), (drain ? "the drain" : "the restore") + " of domain " + domain);
        ctx.json(new Wire.DrainResult(domain, drain, changed));
    }

    private LiveScheduler live() {
        if (scheduler == null) {
            throw ApiException.unavailable("this server runs no scheduler, so it has no live fleet");
        }
        return scheduler;
    }
}
