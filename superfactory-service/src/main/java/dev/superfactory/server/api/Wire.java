package dev.superfactory.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.server.store.Event;
import dev.superfactory.server.store.Job;
import dev.superfactory.server.store.StoreException;
import java.util.List;

/** The records on the wire (schemas of openapi.json); times are ISO-8601 UTC strings. */
final class Wire {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JobView(long id, String tenant, String clientId, String state, int version, String created,
                   String updated, JsonNode spec, PendingView pending, RunView run, String estimatedStart,
                   ForecastView forecast) {

        static JobView of(Job job) {
            return of(job, null, null, null);
        }

        static JobView of(Job job, PendingView pending, RunView run, ForecastView forecast) {
            return new JobView(job.id(), job.tenant(), job.clientId(), job.state().label(), job.version(),
                    job.created().toString(), job.updated().toString(), tree(job.specJson()), pending, run,
                    forecast == null ? null : forecast.p50(), forecast);
        }
    }

    /**
     * A pending job's forecast start: median (p50) and p90 over the draws, and with exact declared
     * run times; null when beyond the horizon. {@code asOf}: when the forecast's fork was taken.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ForecastView(String p50, String p90, String exact, String asOf, String horizonEnd) {

        static ForecastView of(dev.superfactory.server.live.LiveForecasts.Estimate e) {
            return new ForecastView(time(e.p50Seconds()), time(e.p90Seconds()), time(e.exactSeconds()),
                    e.asOf().toString(), e.horizonEnd().toString());
        }

        static String time(long epochSeconds) {
            return epochSeconds == dev.superfactory.forecast.Forecast.NONE ? null
                    : java.time.Instant.ofEpochSecond(epochSeconds).toString();
        }
    }

    /** A forecast start on one side of a what-if: p50, p90 and with declared run times; null beyond the horizon. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record StartView(String p50, String p90, String exact) {
        static StartView of(dev.superfactory.server.live.WhatIf.Start s) {
            return s == null ? null : new StartView(ForecastView.time(s.p50Seconds()), ForecastView.time(s.p90Seconds()),
                    ForecastView.time(s.exactSeconds()));
        }
    }

    /** A what-if's answer ({@link dev.superfactory.server.live.WhatIf.Result}). */
    record WhatIfView(String asOf, String horizonEnd, int draws, List<HypotheticalView> hypothetical,
                      List<JobDeltaView> jobs, int changedJobs, List<Long> restarted, List<TenantDeltaView> tenants,
                      long millis) {
        static WhatIfView of(dev.superfactory.server.live.WhatIf.Result r) {
            return new WhatIfView(r.asOf().toString(), r.horizonEnd().toString(), r.draws(),
                    r.hypothetical().stream().map(h -> new HypotheticalView(h.index(), h.job().tenant(), h.job().gpus(),
                            StartView.of(h.start()), h.rejected())).toList(),
                    r.jobs().stream().map(JobDeltaView::of).toList(), r.changedJobs(), r.restarted(),
                    r.tenants().stream().map(TenantDeltaView::of).toList(), r.millis());
        }
    }

    /**
     * A hypothetical job of a what-if (by its index in the request, counts expanded) and its forecast
     * start; {@code rejected}: why the kernel would refuse it for good (then no start).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HypotheticalView(int index, String tenant, int gpus, StartView start, String rejected) {
    }

    /** A queued job whose forecast start the change moves; {@code before} is null for a running job it requeues. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record JobDeltaView(long id, String tenant, int gpus, boolean requeued, StartView before, StartView after,
                        Long p50DelaySeconds, Long exactDelaySeconds, String rejected) {
        static JobDeltaView of(dev.superfactory.server.live.WhatIf.JobDelta d) {
            return new JobDeltaView(d.job(), d.tenant(), d.gpus(), d.before() == null, StartView.of(d.before()),
                    StartView.of(d.after()), d.p50DelaySeconds(), d.exactDelaySeconds(), d.rejected());
        }
    }

    /** A tenant's part of a what-if: its queued jobs moved later, earlier or not, their waits' change, requeues. */
    record TenantDeltaView(String tenant, int queued, int later, int earlier, int same, long waitDeltaSeconds,
                           double gpuHoursWaitDelta, int requeued, int restarted, int rejected, int preemptionsBefore,
                           int preemptionsAfter) {
        static TenantDeltaView of(dev.superfactory.server.live.WhatIf.TenantDelta t) {
            return new TenantDeltaView(t.tenant(), t.queued(), t.later(), t.earlier(), t.same(), t.waitDeltaSeconds(),
                    t.gpuHoursWaitDelta(), t.requeued(), t.restarted(), t.rejected(), t.preemptionsBefore(),
                    t.preemptionsAfter());
        }
    }

    /** {@code POST /v1/jobs?dryRun=true}: nothing stored; when the job would start, and whom it would delay. */
    record DryRunView(boolean dryRun, JsonNode spec, String estimatedStart, StartView forecast, String rejected,
                      String asOf, String horizonEnd, int changedJobs, List<TenantDeltaView> tenants, long millis) {
        static DryRunView of(JobSpec spec, dev.superfactory.server.live.WhatIf.Result r) {
            var job = r.hypothetical().get(0);
            StartView start = StartView.of(job.start());
            return new DryRunView(true, spec.toJson(), start == null ? null : start.p50(), start, job.rejected(),
                    r.asOf().toString(), r.horizonEnd().toString(), r.changedJobs(),
                    r.tenants().stream().map(TenantDeltaView::of).toList(), r.millis());
        }
    }

    /** A job's newest run: where it was placed and how each site's shard stands. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RunView(long id, int attempt, String state, String created, String ended, List<RunShardView> shards) {

        static RunView of(dev.superfactory.server.store.RunRecord run) {
            return new RunView(run.id(), run.attempt(), run.state(), run.created().toString(),
                    run.ended() == null ? null : run.ended().toString(),
                    run.shards().stream().map(s -> new RunShardView(s.site(), s.state(), tree(s.placementJson()))).toList());
        }
    }

    /** One site's shard of a run: its state and placement ({@code gpus}, {@code domains}). */
    record RunShardView(String site, String state, JsonNode placement) {
    }

    /** Why a queued job waits: the kernel's reason, a sentence with the numbers, and its place in the queue. */
    record PendingView(String reason, String message, int position, int pending, int tenantPosition,
                       int tenantPending, int tenantGpus, int tenantLimit, java.util.Map<String, Integer> freeGpus,
                       java.util.Map<String, Integer> wholeFreeDomains) {

        static PendingView of(dev.superfactory.server.live.PendingView v) {
            return new PendingView(v.reason(), v.message(), v.position(), v.pending(), v.tenantPosition(),
                    v.tenantPending(), v.tenantGpus(), v.tenantLimit(), v.freeGpus(), v.wholeFreeDomains());
        }
    }

    /** A page of jobs; {@code next} (absent on the last page) is the {@code after} of the next one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JobList(List<JobView> items, Long next) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventView(long seq, String time, String tenant, Long job, Long run, String type, JsonNode payload) {

        static EventView of(Event event) {
            return new EventView(event.seq(), event.time().toString(), event.tenant(), idOrNull(event.job()),
                    idOrNull(event.run()), event.type(), tree(event.payloadJson()));
        }

        private static Long idOrNull(long id) {
            return id == 0 ? null : id;
        }
    }

    /** Events in seq order; {@code next} is the {@code since} of the next call (the last seq seen). */
    record EventList(List<EventView> items, long next) {
    }

    /** A site's commands after the agent's cursor; {@code next} is the cursor to send next. */
    record CommandList(long term, List<CommandView> items, long next) {
    }

    record CommandView(long id, long term, long run, String kind, JsonNode payload) {

        static CommandView of(dev.superfactory.server.store.SchedulerStore.AgentCommand c) {
            return new CommandView(c.id(), c.term(), c.run(), c.kind(), tree(c.payloadJson()));
        }
    }

    /**
     * The shards the control plane believes live on a site ({@code assigned}, {@code ready},
     * {@code running}, {@code stopping}) and the site's newest command id: where a reconciling agent
     * puts its cursor.
     */
    /**
     * @param domains the site's scale-up domains as runs {@code [firstDomain, count, gpusPerDomain]}: its capacity
     * @param linkedSites the sites this one has a WAN link to (what its agent may report cut)
     */
    record ShardList(long term, long newestCommand, List<ShardView> items, List<int[]> domains, List<String> linkedSites) {
    }

    /** One live shard: its run, job, tenant, state, the highest seq reported for it, its placement, and whether its go is written. */
    record ShardView(long run, long job, String tenant, String state, int seq, JsonNode placement, boolean go) {

        static ShardView of(dev.superfactory.server.store.SchedulerStore.LiveShard s) {
            return new ShardView(s.run(), s.job(), s.tenant(), s.state(), s.seq(), tree(s.placementJson()), s.go());
        }
    }

    /** Reports stored now, and reports stored before (retries or duplicates, ignored). */
    record ReportAck(int stored, int duplicates) {
    }

    /** The outcome of a drain or restore: {@code changed} false when there was nothing to do. */
    record DrainResult(int domain, boolean drained, boolean changed) {
    }

    /** The outcome of a cordon or uncordon: {@code changed} false when there was nothing to do. */
    record CordonResult(int domain, boolean cordoned, boolean changed) {
    }

    /** One job of a batch submit and whether this call created it (false: it was there already). */
    record BatchItem(JobView job, boolean created) {
    }

    /** The jobs of a batch submit, in request order. */
    record BatchResult(List<BatchItem> items) {
    }

    /** A tenant: its contract as the scheduler has it (version, terms as stored) and the GPUs it holds now. */
    record TenantView(String tenant, String displayName, int contractVersion, int gpuLimit, int reservedGpus,
                      int gpusHeld, JsonNode terms) {

        static TenantView of(dev.superfactory.server.live.LiveScheduler.TenantView t) {
            return new TenantView(t.tenant(), t.displayName(), t.contractVersion(), t.gpuLimit(), t.reservedGpus(),
                    t.gpusHeld(), tree(t.termsJson()));
        }
    }

    record TenantList(List<TenantView> items) {
    }

    /** A tenant's usage over [since, until): GPU-hours by site, own and borrowed, and their cost in USD. */
    record UsageView(String tenant, String since, String until, java.util.Map<String, Double> gpuHoursBySite,
                     double gpuHours, double ownGpuHours, double borrowedGpuHours, int reservedGpus, double reservedUsd,
                     double onDemandUsd, double totalUsd) {

        static UsageView of(dev.superfactory.server.live.UsageReport u) {
            return new UsageView(u.tenant(), u.since().toString(), u.until().toString(), u.gpuHoursBySite(), u.gpuHours(),
                    u.ownGpuHours(), u.borrowedGpuHours(), u.reservedGpus(), u.reservedUsd(), u.onDemandUsd(), u.totalUsd());
        }
    }

    /** {@code GET /v1/fleet}: the fleet as the kernel sees it, and its WAN links with the running jobs across them. */
    record FleetPage(int gpus, int free, int allocated, int down, List<dev.superfactory.server.live.FleetView.SiteView> sites,
                     List<WanView> wan) {

        static FleetPage of(dev.superfactory.server.live.FleetView f, List<WanView> wan) {
            return new FleetPage(f.gpus(), f.free(), f.allocated(), f.down(), f.sites(), wan);
        }
    }

    /** A WAN link and the live runs with shards at both its ends (the caller's own only, for a tenant). */
    record WanView(String siteA, String siteB, double distanceKm, double bandwidthGbps, List<Crossing> jobs) {
    }

    /** A live run across sites: its job, tenant and the sites of its shards. */
    record Crossing(long job, String tenant, long run, List<String> sites) {
    }

    /**
     * Who the bearer token is: its role, its tenant (a tenant's token), and the newest event seq it
     * may read (the {@code since} of a client that wants only what happens from now on).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Me(String role, String tenant, long newestSeq) {

        static Me of(dev.superfactory.server.store.Principal who, long newestSeq) {
            return new Me(who.role().name().toLowerCase(java.util.Locale.ROOT), who.tenant().orElse(null), newestSeq);
        }
    }

    record Health(String status) {
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
