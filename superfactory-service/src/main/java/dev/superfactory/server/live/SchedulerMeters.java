package dev.superfactory.server.live;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.sched.Scheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The scheduler's meters (issue 11 item 7). The scheduler thread publishes a snapshot after each
 * committed pass into plain arrays read by the gauges (a scrape never touches the kernel): pending
 * GPUs by reason (O(reasons)), allocated GPUs by site and tenant, pending jobs and GPUs by tenant
 * (O(sites + tenants): the kernel keeps these counts as jobs come and go). Passes,
 * admissions and preemptions are counters; pass duration is a timer with a percentile histogram.
 */
final class SchedulerMeters {
    private static final List<PendingReason> REASONS = List.of(PendingReason.values());

    private final Fleet fleet;
    private final Timer pass;
    private final Timer commit;
    private final Timer decide;
    private final Counter admissions;
    private final Counter preemptions;
    private final double[] pendingGpusByReason = new double[REASONS.size()];
    private final double[] allocatedBySite;
    private double[] allocatedByTenant = new double[0];
    private double[] pendingJobsByTenant = new double[0];
    private double[] pendingGpusByTenant = new double[0];
    private long preemptionsSeen;

    SchedulerMeters(MeterRegistry registry, Fleet fleet, List<String> tenants, IntSupplier queued,
                    java.util.function.IntToLongFunction heardNanos) {
        this.fleet = fleet;
        this.pass = Timer.builder("superfactory.scheduler.pass").description("One scheduling pass: apply commands,"
                        + " schedule, commit").publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(5),
                        Duration.ofMillis(20), Duration.ofMillis(100)).register(registry);
        this.decide = Timer.builder("superfactory.scheduler.pass.decide").description("The part of a pass spent"
                        + " applying its commands to the kernel and scheduling (no database)")
                .publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(20),
                        Duration.ofMillis(100)).register(registry);
        this.commit = Timer.builder("superfactory.scheduler.pass.commit").description("The part of a pass spent"
                        + " committing it to the database (the rest is applying commands and deciding)")
                .publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(20),
                        Duration.ofMillis(100)).register(registry);
        this.admissions = Counter.builder("superfactory.scheduler.admissions").description("Runs started (placements"
                + " committed)").register(registry);
        this.preemptions = Counter.builder("superfactory.scheduler.preemptions").description("Running jobs preempted")
                .register(registry);
        Gauge.builder("superfactory.scheduler.queued.commands", queued::getAsInt).description("Commands (submits,"
                + " cancels, agent reports) committed and waiting for the scheduler thread: the event-log lag")
                .register(registry);
        for (int r = 0; r < REASONS.size(); r++) {
            int i = r;
            Gauge.builder("superfactory.pending.gpus.by.reason", () -> pendingGpusByReason[i])
                    .description("GPUs asked for by pending jobs, by the kernel's pending reason")
                    .tag("reason", REASONS.get(r).name()).register(registry);
        }
        for (int s = 0; s < fleet.siteCount(); s++) {
            int i = s;
            Gauge.builder("superfactory.agent.heartbeat.age.seconds", () -> (System.nanoTime() - heardNanos.applyAsLong(i)) / 1e9)
                    .description("Seconds since the site's agent was last heard from (a poll or a report)")
                    .tag("site", fleet.site(s).name()).register(registry);
        }
        allocatedBySite = new double[fleet.siteCount()];
        for (int s = 0; s < fleet.siteCount(); s++) {
            int i = s;
            Gauge.builder("superfactory.allocated.gpus.by.site", () -> allocatedBySite[i])
                    .description("GPUs held by jobs, by site").tag("site", fleet.site(s).name()).register(registry);
        }
        for (int t = 0; t < tenants.size(); t++) {
            int i = t;
            String tenant = tenants.get(t);
            Gauge.builder("superfactory.allocated.gpus.by.tenant", () -> at(allocatedByTenant, i))
                    .description("GPUs held by the tenant's jobs").tag("tenant", tenant).register(registry);
            Gauge.builder("superfactory.pending.jobs", () -> at(pendingJobsByTenant, i))
                    .description("Pending jobs by tenant").tag("tenant", tenant)
                    .register(registry);
            Gauge.builder("superfactory.pending.gpus", () -> at(pendingGpusByTenant, i))
                    .description("GPUs asked for by pending jobs, by tenant")
                    .tag("tenant", tenant).register(registry);
        }
    }

    private static double at(double[] values, int i) {
        return i < values.length ? values[i] : 0;
    }

    /** After a pass, on the scheduler thread: its whole time, the part deciding and the part committing (0: nothing written). */
    void passDone(Scheduler kernel, long nanos, long decideNanos, long commitNanos, int runsStarted) {
        pass.record(nanos, TimeUnit.NANOSECONDS);
        decide.record(decideNanos, TimeUnit.NANOSECONDS);
        if (commitNanos > 0) { // a pass with nothing to write commits nothing
            commit.record(commitNanos, TimeUnit.NANOSECONDS);
        }
        admissions.increment(runsStarted);
        long seen = kernel.preemptions();
        if (seen > preemptionsSeen) {
            preemptions.increment(seen - preemptionsSeen);
        }
        preemptionsSeen = seen;
        for (int r = 0; r < REASONS.size(); r++) {
            pendingGpusByReason[r] = kernel.pendingGpus(REASONS.get(r));
        }
        FleetState state = kernel.fleetState();
        for (int s = 0; s < fleet.siteCount(); s++) {
            allocatedBySite[s] = fleet.siteGpus(s) - state.siteFreeGpus(s) - state.siteDownGpus(s);
        }
        double[] byTenant = new double[kernel.tenantCount()];
        for (int t = 0; t < byTenant.length; t++) {
            byTenant[t] = kernel.tenantGpus(t);
        }
        allocatedByTenant = byTenant;
        double[] count = new double[byTenant.length];
        double[] gpus = new double[byTenant.length];
        for (int t = 0; t < byTenant.length; t++) {
            count[t] = kernel.pendingCount(t);
            gpus[t] = kernel.pendingGpus(t);
        }
        pendingJobsByTenant = count;
        pendingGpusByTenant = gpus;
    }
}
