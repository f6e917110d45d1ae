package dev.superfactory.server.api;

import dev.superfactory.server.store.ConflictException;
import dev.superfactory.server.store.Job;
import dev.superfactory.server.store.JobState;
import dev.superfactory.server.store.JobStore;
import dev.superfactory.server.store.NewJob;
import dev.superfactory.server.store.NotFoundException;
import dev.superfactory.server.store.Page;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.Submission;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /v1/jobs}: submit (one, or a batch of up to 1,000 in one transaction), get, list, cancel.
 * Thin: parse into a record, one {@link JobStore}
 * call (two for cancel: read, then a versioned transition), render a record. A tenant reaches only
 * its own jobs (another tenant's is 404); an operator reads and cancels every tenant's but submits
 * none (403: a job needs a tenant). Cost: one or two store transactions per request.
 */
final class JobRoutes {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int DEFAULT_LIMIT = 100;
    /** ASSUMPTION: a pass takes milliseconds; 10 s without an answer means the scheduler is stuck or rebuilding. */
    private static final int ANSWER_SECONDS = 10;

    private final JobStore jobs;
    private final Scheduling scheduling;
    private final WhatIfRoutes whatIf;

    JobRoutes(JobStore jobs, Scheduling scheduling, WhatIfRoutes whatIf) {
        this.whatIf = whatIf;
        this.jobs = jobs;
        this.scheduling = scheduling;
    }

    void register(Javalin app) {
        app.post("/v1/jobs", this::submit);
        app.post("/v1/jobs/batch", this::submitBatch);
        app.get("/v1/jobs", this::list);
        app.get("/v1/jobs/{id}", this::get);
        app.post("/v1/jobs/{id}/cancel", this::cancel);
        app.post("/v1/jobs/{id}/hold", ctx -> hold(ctx, true));
        app.post("/v1/jobs/{id}/release", ctx -> hold(ctx, false));
    }

    private void submit(Context ctx) {
        String tenant = submittingTenant(ctx);
        JobSpec.Submitted submitted = JobSpec.parse(Bodies.json(ctx));
        if (dryRun(ctx)) {
            whatIf.dryRun(ctx, tenant, submitted.spec());
            return;
        }
        String clientId = clientId(submitted.clientId(), Optional.ofNullable(ctx.header(IDEMPOTENCY_KEY)));
        Submission result = jobs.submit(tenant, clientId, submitted.spec().toJson().toString());
        if (result.created()) {
            scheduling.submitted(result.job());
        } else if (result.job().state() == JobState.SUBMITTED) {
            scheduling.retried(result.job()); // the scheduler may not have heard of it (a lost commit reply)
        }
        ctx.status(result.created() ? 201 : 200).json(Wire.JobView.of(result.job()));
    }

    /**
     * Every job of the batch in one store transaction; 201 if any was created, else 200 (a retried
     * batch). The scheduler hears of the created ones after the commit, in request order.
     */
    private void submitBatch(Context ctx) {
        String tenant = submittingTenant(ctx);
        if (ctx.header(IDEMPOTENCY_KEY) != null) {
            throw ApiException.badRequest(IDEMPOTENCY_KEY, "a batch takes no Idempotency-Key header; give each job its clientId");
        }
        if (dryRun(ctx)) {
            throw ApiException.badRequest("dryRun", "a batch has no dry run; ask POST /v1/whatif with its jobs");
        }
        List<NewJob> batch = JobBatch.parse(Bodies.json(ctx)).jobs().stream().map(job -> new NewJob(
                job.clientId().orElseGet(JobRoutes::generatedClientId), job.spec().toJson().toString())).toList();
        List<Submission> results = jobs.submitBatch(tenant, batch);
        for (Submission r : results) {
            if (r.created()) {
                scheduling.submitted(r.job());
            } else if (r.job().state() == JobState.SUBMITTED) {
                scheduling.retried(r.job());
            }
        }
        boolean anyCreated = results.stream().anyMatch(Submission::created);
        ctx.status(anyCreated ? 201 : 200).json(new Wire.BatchResult(results.stream()
                .map(r -> new Wire.BatchItem(Wire.JobView.of(r.job()), r.created())).toList()));
    }

    /** {@code ?dryRun=true}: forecast the job's start, store nothing ({@code false} or absent: submit). */
    private static boolean dryRun(Context ctx) {
        String v = ctx.queryParam("dryRun");
        if (v == null || v.equals("false")) {
            return false;
        }
        if (!v.equals("true")) {
            throw ApiException.badRequest("dryRun", "dryRun '" + v + "' is not true or false");
        }
        return true;
    }

    private static String submittingTenant(Context ctx) {
        return Auth.principal(ctx).tenant()
                .orElseThrow(() -> ApiException.forbidden("an operator token cannot submit jobs: a job belongs to a tenant"));
    }

    private static String generatedClientId() {
        return "auto-" + UUID.randomUUID();
    }

    private static String clientId(Optional<String> inBody, Optional<String> inHeader) {
        inHeader.ifPresent(key -> Fields.checkedText(IDEMPOTENCY_KEY, key, 200));
        if (inBody.isPresent() && inHeader.isPresent() && !inBody.equals(inHeader)) {
            throw ApiException.badRequest(IDEMPOTENCY_KEY, "the Idempotency-Key header '" + inHeader.get()
                    + "' differs from the body's clientId '" + inBody.get() + "'; give one, or the same in both");
        }
        return inBody.or(() -> inHeader).orElseGet(JobRoutes::generatedClientId);
    }

    private void get(Context ctx) {
        Job job = visibleJob(ctx);
        Wire.PendingView pending = null;
        if (job.state() == JobState.QUEUED) {
            pending = scheduling.pending(job.id()).flatMap(answer -> await(answer, "why job " + job.id() + " waits"))
                    .map(Wire.PendingView::of).orElse(null);
        }
        ctx.json(Wire.JobView.of(job, pending, jobs.newestRun(job.id()).map(Wire.RunView::of).orElse(null),
                forecast(job)));
    }

    /** A queued job's newest forecast start, or null (O(1): never waits for the scheduler). */
    private Wire.ForecastView forecast(Job job) {
        return job.state() == JobState.QUEUED
                ? scheduling.forecast(job.id()).map(Wire.ForecastView::of).orElse(null) : null;
    }

    /** The scheduler's answer, or 503 if it does not come within {@link #ANSWER_SECONDS}. */
    static <T> T await(java.util.concurrent.CompletableFuture<T> answer, String what) {
        try {
            return answer.get(ANSWER_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw ApiException.unavailable("the scheduler did not answer " + what + " within " + ANSWER_SECONDS + " s; retry");
        } catch (java.util.concurrent.ExecutionException e) {
            throw ApiException.unavailable("the scheduler could not answer " + what + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting for the scheduler");
        }
    }

    private void list(Context ctx) {
        Set<JobState> states = states(ctx.queryParam("state"));
        int limit = (int) Fields.queryInteger("limit", ctx.queryParam("limit"), 1, Page.MAX_LIMIT, DEFAULT_LIMIT);
        long after = Fields.queryInteger("after", ctx.queryParam("after"), 0, Long.MAX_VALUE, 0);
        Page page = new Page(after, limit);
        Principal who = Auth.principal(ctx);
        Page.Of<Job> found = who.tenant().isPresent()
                ? jobs.list(who.tenant().get(), states, page) : jobs.listAllTenants(states, page);
        ctx.json(new Wire.JobList(found.items().stream().map(j -> Wire.JobView.of(j, null, null, forecast(j))).toList(),
                found.next().isPresent() ? found.next().getAsLong() : null));
    }

    /** Cancels the job at its current version, or at {@code ?version=} if given (409 if stale). */
    private void cancel(Context ctx) {
        Job job = visibleJob(ctx);
        int version = (int) Fields.queryInteger("version", ctx.queryParam("version"), 1, Integer.MAX_VALUE, job.version());
        if (job.state().isTerminal()) {
            throw new ConflictException("job " + job.id() + " is " + job.state().label() + " and cannot be cancelled");
        }
        if (version != job.version()) {
            throw new ConflictException("job " + job.id() + " is at version " + job.version() + ", not " + version);
        }
        var viaScheduler = scheduling.cancel(job.id());
        if (viaScheduler.isEmpty()) {
            ctx.json(Wire.JobView.of(jobs.transition(job.tenant(), job.id(), job.state(), JobState.CANCELLED, version)));
            return;
        }
        boolean cancelled = await(viaScheduler.get(), "the cancel of job " + job.id());
        Job now = jobs.get(job.tenant(), job.id()).orElseThrow(() -> new NotFoundException("no job " + job.id()));
        if (!cancelled && now.state() != JobState.CANCELLED) {
            throw new ConflictException("job " + job.id() + " is " + now.state().label() + " and cannot be cancelled");
        }
        ctx.json(Wire.JobView.of(now));
    }

    /** Holds a queued job or releases a held one (409 from any other state). */
    private void hold(Context ctx, boolean hold) {
        Job job = visibleJob(ctx);
        JobState from = hold ? JobState.QUEUED : JobState.HELD;
        String verb = hold ? "held" : "released";
        if (job.state() != from) {
            throw new ConflictException("job " + job.id() + " is " + job.state().label() + "; only a " + from.label()
                    + " job can be " + verb);
        }
        var viaScheduler = scheduling.hold(job, hold)
                .orElseThrow(() -> ApiException.unavailable("this server runs no scheduler: jobs cannot be " + verb));
        boolean done = await(viaScheduler, "the " + (hold ? "hold" : "release") + " of job " + job.id());
        Job now = jobs.get(job.tenant(), job.id()).orElseThrow(() -> new NotFoundException("no job " + job.id()));
        if (!done) {
            throw new ConflictException("job " + job.id() + " is " + now.state().label() + "; only a " + from.label()
                    + " job can be " + verb);
        }
        ctx.json(Wire.JobView.of(now));
    }

    private Job visibleJob(Context ctx) {
        long id = Fields.queryInteger("id", ctx.pathParam("id"), 1, Long.MAX_VALUE, 0);
        Principal who = Auth.principal(ctx);
        Optional<Job> job = who.tenant().isPresent() ? jobs.get(who.tenant().get(), id) : jobs.getAnyTenant(id);
        return job.orElseThrow(() -> new NotFoundException("no job " + id));
    }

    private static Set<JobState> states(String param) {
        if (param == null) {
            return Set.of();
        }
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        for (String label : param.split(",", -1)) {
            states.add(Arrays.stream(JobState.values()).filter(s -> s.label().equals(label)).findFirst()
                    .orElseThrow(() -> ApiException.badRequest("state", "state '" + label + "' is not one of "
                            + Arrays.stream(JobState.values()).map(JobState::label).toList())));
        }
        return states;
    }
}
