package dev.superfactory.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.server.live.LiveForecasts;
import dev.superfactory.server.live.LiveScheduler;
import dev.superfactory.server.live.WhatIf;
import dev.superfactory.server.store.Principal;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code POST /v1/whatif}: the queue's start-time forecast with and without a change, per job and
 * per tenant ({@link WhatIf}). A tenant may ask about hypothetical jobs of its own and sees only its
 * own jobs; an operator may also change contracts, drain domains and take sites down, for any
 * tenant, and sees all. Nothing is written: the change is applied to a fork of the live kernel.
 * {@code POST /v1/jobs?dryRun=true} is the one-job case ({@link #dryRun}).
 *
 * <p>Cost: O(body) to check, then two forecasts ({@link Scheduling#whatIf}); one what-if at a time.
 */
final class WhatIfRoutes {

    static final int MAX_JOBS = 1000;
    static final int MAX_CHANGES = 1000;
    static final int DEFAULT_LIMIT = 100;
    private static final List<String> FIELDS = List.of("jobs", "contracts", "drainDomains", "downSites", "limit");
    private static final List<String> CONTRACT_FIELDS = List.of("tenant", "terms");

    private final Scheduling scheduling;
    private final LiveScheduler live;

    WhatIfRoutes(Scheduling scheduling, LiveScheduler live) {
        this.scheduling = scheduling;
        this.live = live;
    }

    void register(Javalin app) {
        app.post("/v1/whatif", this::whatIf);
    }

    private void whatIf(Context ctx) {
        Principal who = Auth.principal(ctx);
        JsonNode body = Bodies.json(ctx);
        if (!body.isObject()) {
            throw ApiException.badRequest(null, "the what-if is a JSON " + Fields.typeName(body) + ", not an object");
        }
        Fields.objectOf(body, "", "the what-if", FIELDS);
        WhatIf.Change change = new WhatIf.Change(jobs(body.path("jobs"), who), contracts(body.path("contracts"), who),
                domains(body.path("drainDomains"), who), sites(body.path("downSites"), who));
        if (change.isEmpty()) {
            throw ApiException.badRequest("jobs", "the what-if changes nothing: give jobs, contracts, drainDomains or downSites");
        }
        int limit = Fields.integer(body, "limit", 0, 10_000).orElse((long) DEFAULT_LIMIT).intValue();
        ctx.json(Wire.WhatIfView.of(run(change, limit, who)));
    }

    /**
     * {@code POST /v1/jobs?dryRun=true}: when would this job start if it were submitted now, and
     * whom would it delay. Nothing is stored.
     */
    void dryRun(Context ctx, String tenant, JobSpec spec) {
        WhatIf.Change change = new WhatIf.Change(List.of(new WhatIf.HypotheticalJob(tenant, spec.gpus(),
                spec.scaleUpGroup(), spec.spanSites(), spec.expectedSeconds())), List.of(), List.of(), List.of());
        ctx.json(Wire.DryRunView.of(spec, run(change, DEFAULT_LIMIT, Auth.principal(ctx))));
    }

    private WhatIf.Result run(WhatIf.Change change, int limit, Principal who) {
        Predicate<String> visible = tenant -> who.tenant().map(tenant::equals).orElse(true);
        try {
            return scheduling.whatIf(change, limit, visible)
                    .orElseThrow(() -> ApiException.unavailable("this server runs no scheduler, so it forecasts nothing"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(null, e.getMessage());
        } catch (LiveForecasts.Busy e) {
            throw ApiException.unavailable(e.getMessage(), e.retryAfterSeconds());
        } catch (IllegalStateException e) {
            throw ApiException.unavailable(e.getMessage(), 5);
        }
    }

    private List<WhatIf.HypotheticalJob> jobs(JsonNode items, Principal who) {
        List<WhatIf.HypotheticalJob> jobs = new ArrayList<>();
        for (int i = 0; i < size(items, "jobs", MAX_JOBS); i++) {
            String path = "jobs[" + i + "]";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw ApiException.badRequest(path, path + " is a JSON " + Fields.typeName(item) + ", not an object");
            }
            ObjectNode spec = ((ObjectNode) item).deepCopy();
            spec.remove(List.of("tenant", "count"));
            JobSpec parsed;
            String tenant;
            int count;
            try {
                parsed = JobSpec.parse(spec).spec();
                tenant = tenantOf(item, who);
                count = Fields.integer(item, "count", 1, MAX_JOBS).orElse(1L).intValue();
            } catch (ApiException e) {
                throw e.at(path);
            }
            for (int c = 0; c < count; c++) {
                if (jobs.size() == MAX_JOBS) {
                    throw ApiException.badRequest("jobs", "a what-if takes at most " + MAX_JOBS + " jobs (counts included)");
                }
                jobs.add(new WhatIf.HypotheticalJob(tenant, parsed.gpus(), parsed.scaleUpGroup(), parsed.spanSites(),
                        parsed.expectedSeconds()));
            }
        }
        return jobs;
    }

    /** The job's tenant: the token's own for a tenant (another is 403), the one named for an operator. */
    private String tenantOf(JsonNode item, Principal who) {
        Optional<String> named = Fields.text(item, "tenant", 200);
        if (who.tenant().isPresent()) {
            if (named.isPresent() && !named.equals(who.tenant())) {
                throw ApiException.forbidden("a tenant's what-if may add jobs of its own only, not of '" + named.get() + "'");
            }
            return who.tenant().get();
        }
        String tenant = named.orElseThrow(() -> Fields.missing("tenant"));
        if (live != null && live.tenant(tenant).isEmpty()) {
            throw ApiException.badRequest("tenant", "no tenant '" + tenant + "'");
        }
        return tenant;
    }

    private List<WhatIf.ContractChange> contracts(JsonNode items, Principal who) {
        List<WhatIf.ContractChange> contracts = new ArrayList<>();
        for (int i = 0; i < size(items, "contracts", MAX_CHANGES); i++) {
            operatorOnly(who, "contracts");
            String path = "contracts[" + i + "]";
            JsonNode item = items.get(i);
            Fields.objectOf(item, path + ".", "a contract change", CONTRACT_FIELDS);
            try {
                String tenant = Fields.text(item, "tenant", 200).orElseThrow(() -> Fields.missing("tenant"));
                if (live != null && live.tenant(tenant).isEmpty()) {
                    throw ApiException.badRequest("tenant", "no tenant '" + tenant + "'");
                }
                if (contracts.stream().anyMatch(c -> c.tenant().equals(tenant))) {
                    throw ApiException.badRequest("tenant", "tenant '" + tenant + "' has two contract changes; give one");
                }
                JsonNode terms = item.path("terms");
                if (!terms.isObject()) {
                    throw ApiException.badRequest("terms", "terms are the body PUT /v1/tenants/" + tenant
                            + "/contract takes (an object), not " + Fields.typeName(terms));
                }
                try {
                    LiveScheduler.terms(tenant, tenant, terms.toString());
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("terms", e.getMessage());
                }
                contracts.add(new WhatIf.ContractChange(tenant, terms.toString()));
            } catch (ApiException e) {
                throw e.at(path);
            }
        }
        return contracts;
    }

    private List<Integer> domains(JsonNode items, Principal who) {
        List<Integer> domains = new ArrayList<>();
        int count = live == null ? Integer.MAX_VALUE : live.fleet().domainCount();
        for (int i = 0; i < size(items, "drainDomains", MAX_CHANGES); i++) {
            operatorOnly(who, "drainDomains");
            JsonNode d = items.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 0 || d.asInt() >= count) {
                throw ApiException.badRequest("drainDomains[" + i + "]", "drainDomains[" + i + "]: " + d
                        + " is not a domain of the fleet (0.." + (count - 1) + ")");
            }
            if (domains.contains(d.asInt())) {
                throw ApiException.badRequest("drainDomains[" + i + "]", "drainDomains[" + i + "]: domain " + d
                        + " is named twice");
            }
            domains.add(d.asInt());
        }
        return domains;
    }

    private List<String> sites(JsonNode items, Principal who) {
        List<String> sites = new ArrayList<>();
        for (int i = 0; i < size(items, "downSites", MAX_CHANGES); i++) {
            operatorOnly(who, "downSites");
            JsonNode s = items.get(i);
            if (!s.isTextual() || (live != null && live.fleet().siteIndex(s.asText()) < 0)) {
                throw ApiException.badRequest("downSites[" + i + "]", "downSites[" + i + "]: " + s
                        + " is not a site of the fleet");
            }
            if (sites.contains(s.asText())) {
                throw ApiException.badRequest("downSites[" + i + "]", "downSites[" + i + "]: site " + s + " is named twice");
            }
            sites.add(s.asText());
        }
        return sites;
    }

    private static void operatorOnly(Principal who, String field) {
        if (who.role() != Principal.Role.OPERATOR) {
            throw ApiException.forbidden(field + " in a what-if needs an operator token");
        }
    }

    /** The length of an optional array field (0 if absent), at most {@code max}. */
    private static int size(JsonNode items, String name, int max) {
        if (items.isMissingNode() || items.isNull()) {
            return 0;
        }
        if (!items.isArray()) {
            throw ApiException.badRequest(name, name + " is a JSON " + Fields.typeName(items) + ", not an array");
        }
        if (items.size() > max) {
            throw ApiException.badRequest(name, name + " has " + items.size() + " items; at most " + max);
        }
        return items.size();
    }
}
