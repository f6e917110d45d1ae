package dev.superfactory.server.api;

import dev.superfactory.server.live.LiveScheduler;
import dev.superfactory.server.live.UsageReport;
import dev.superfactory.server.store.NotFoundException;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.SchedulerStore;
import dev.superfactory.server.store.TenantStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code /v1/tenants}: the tenants with their contracts and the GPUs they hold now (an operator
 * sees all, a tenant itself only), and a tenant's usage over a window: GPU-hours by site, own and
 * borrowed, and what they cost under the contract versions in force over the window ({@link UsageReport}). Another tenant's usage is
 * 404 for a tenant. Cost: one query on the scheduler thread, O(tenants); usage one indexed read of
 * the tenant's runs in the window.
 */
final class TenantRoutes {

    private final LiveScheduler scheduler;
    private final SchedulerStore store;
    private final TenantStore contracts;
    private final Clock clock;

    /** {@code scheduler} null: a server without a scheduler, whose tenant routes answer 503. */
    TenantRoutes(LiveScheduler scheduler, SchedulerStore store, TenantStore contracts, Clock clock) {
        this.scheduler = scheduler;
        this.store = store;
        this.contracts = contracts;
        this.clock = clock;
    }

    void register(Javalin app) {
        app.get("/v1/tenants", this::tenants);
        app.get("/v1/tenants/{tenant}/usage", this::usage);
        app.put("/v1/tenants/{tenant}/contract", this::contract);
    }

    /**
     * An operator sets a tenant's contract: a new version, stored, then applied by the scheduler
     * (its limit and priority from the next pass; running jobs keep their GPUs). The body is the
     * terms as {@code GET /v1/tenants} shows them.
     */
    private void contract(Context ctx) {
        if (Auth.principal(ctx).role() != Principal.Role.OPERATOR) {
            throw ApiException.forbidden("changing a contract needs an operator token");
        }
        String name = ctx.pathParam("tenant");
        LiveScheduler live = live();
        live.tenant(name).orElseThrow(() -> new NotFoundException("no tenant " + name));
        String terms = Bodies.json(ctx).toString();
        try {
            LiveScheduler.terms(name, name, terms);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("contract", e.getMessage());
        }
        int version = contracts.addContract(name, terms, clock.instant());
        boolean applied = JobRoutes.await(live.changeContract(name, version, terms), "contract " + version + " of " + name);
        if (!applied) {
            throw new dev.superfactory.server.store.ConflictException("contract " + version + " of tenant " + name
                    + " was stored but a newer one is in force");
        }
        tenants(ctx, name);
    }

    private void tenants(Context ctx) {
        Principal who = Auth.principal(ctx);
        List<LiveScheduler.TenantView> all = JobRoutes.await(live().tenantViews(), "the tenants");
        ctx.json(new Wire.TenantList(all.stream().filter(t -> who.tenant().map(t.tenant()::equals).orElse(true))
                .map(Wire.TenantView::of).toList()));
    }

    private void tenants(Context ctx, String name) {
        List<LiveScheduler.TenantView> all = JobRoutes.await(live().tenantViews(), "the tenants");
        ctx.json(all.stream().filter(t -> t.tenant().equals(name)).map(Wire.TenantView::of).findFirst()
                .orElseThrow(() -> new NotFoundException("no tenant " + name)));
    }

    private void usage(Context ctx) {
        String name = ctx.pathParam("tenant");
        Principal who = Auth.principal(ctx);
        if (who.tenant().isPresent() && !who.tenant().get().equals(name)) {
            throw new NotFoundException("no tenant " + name);
        }
        var tenant = live().tenant(name).orElseThrow(() -> new NotFoundException("no tenant " + name));
        Instant now = clock.instant();
        Instant until = instant("until", ctx.queryParam("until"), now);
        Instant since = instant("since", ctx.queryParam("since"), now.truncatedTo(ChronoUnit.DAYS));
        if (!since.isBefore(until)) {
            throw ApiException.badRequest("since", "since " + since + " is not before until " + until);
        }
        List<UsageReport.Priced> priced = contracts.contractsBetween(name, since, until).stream()
                .map(v -> new UsageReport.Priced(v.validFrom(), LiveScheduler.terms(name, name, v.termsJson()))).toList();
        ctx.json(Wire.UsageView.of(UsageReport.of(name, priced, store.shardTimes(name, since, until), since, until)));
    }

    private static Instant instant(String name, String text, Instant fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name, name + " '" + text + "' is not an ISO-8601 UTC instant (2026-11-30T00:00:00Z)");
        }
    }

    private LiveScheduler live() {
        if (scheduler == null) {
            throw ApiException.unavailable("this server runs no scheduler, so it has no live tenants");
        }
        return scheduler;
    }
}
