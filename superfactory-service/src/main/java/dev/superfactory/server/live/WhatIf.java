package dev.superfactory.server.live;

import dev.superfactory.forecast.Forecast;
import dev.superfactory.sched.Scheduler;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * "What if": the live queue's start-time forecast with and without a change (hypothetical jobs, a
 * contract change, domains drained, sites down), and the difference per job and per tenant. Both
 * sides are forks of the live kernel taken at the same instant on the scheduler thread
 * ({@link LiveScheduler#whatIf}); the change is applied to one of them only, as the live scheduler
 * would apply it, and both are forecast alike (same draws, same seed), so every difference is the
 * change's.
 *
 * <p>Cost: two forks (O(state)) on the scheduler thread, then two forecasts on the caller's thread;
 * {@link #compare} is O(pending · log pending).
 */
public final class WhatIf {

    /** First id of the hypothetical jobs in the changed fork: far above any real job's. */
    static final long FIRST_HYPOTHETICAL_ID = Long.MAX_VALUE / 2;

    private WhatIf() {
    }

    /** A job that is not submitted: its tenant and what it asks for. */
    public record HypotheticalJob(String tenant, int gpus, int scaleUpGroup, boolean spanSites, long expectedSeconds) {
    }

    /** A tenant's contract replaced by {@code termsJson} (the body {@code PUT /v1/tenants/T/contract} takes). */
    public record ContractChange(String tenant, String termsJson) {
    }

    /** The change: any of its parts may be empty, not all. */
    public record Change(List<HypotheticalJob> jobs, List<ContractChange> contracts, List<Integer> drainedDomains,
                         List<String> downSites) {
        public Change {
            jobs = List.copyOf(jobs);
            contracts = List.copyOf(contracts);
            drainedDomains = List.copyOf(drainedDomains);
            downSites = List.copyOf(downSites);
        }

        public boolean isEmpty() {
            return jobs.isEmpty() && contracts.isEmpty() && drainedDomains.isEmpty() && downSites.isEmpty();
        }
    }

    /** A job of the queue or the fleet as the forks see it: its tenant and GPUs. */
    record Known(String tenant, int gpus) {
    }

    /**
     * The two forks, taken at {@code asOf}: {@code base} as live, {@code changed} with the change
     * applied; the jobs both may hold, and the running jobs the change took off their GPUs: requeued
     * (pending again) or restarted at once on other GPUs; and the jobs the change makes the kernel
     * reject for good (a contract too small for them, a hypothetical job too large), with the reason.
     */
    public record Forks(Scheduler base, Scheduler changed, Instant asOf, Long2ObjectOpenHashMap<Known> jobs,
                        List<Long> requeued, List<Long> restarted, Map<Long, String> rejected) {
    }

    /** A job's forecast start on one side, epoch seconds ({@link Forecast#NONE}: beyond the horizon). */
    public record Start(long exactSeconds, long p50Seconds, long p90Seconds) {
        static Start of(Forecast.Start s, long notBefore) {
            return s == null ? null : new Start(at(s.exactSeconds(), notBefore), at(s.p50Seconds(), notBefore),
                    at(s.p90Seconds(), notBefore));
        }

        private static long at(long t, long notBefore) {
            return t == Forecast.NONE ? t : Math.max(t, notBefore);
        }
    }

    /**
     * A job whose forecast start differs: before (null: it was running) and after the change (null:
     * the change makes the kernel reject it, for {@code rejected}).
     */
    public record JobDelta(long job, String tenant, int gpus, Start before, Start after, String rejected) {
        /** The change in its p50 start, seconds; null if either side is beyond the horizon or missing. */
        public Long p50DelaySeconds() {
            return delay(before == null ? null : before.p50Seconds(), after == null ? null : after.p50Seconds());
        }

        /** The change in its start with declared run times, seconds; null as above. */
        public Long exactDelaySeconds() {
            return delay(before == null ? null : before.exactSeconds(), after == null ? null : after.exactSeconds());
        }

        private static Long delay(Long before, Long after) {
            if (before == null || after == null || before == Forecast.NONE || after == Forecast.NONE) {
                return null;
            }
            return after - before;
        }
    }

    /**
     * A tenant's part: its queued jobs forecast later, earlier or the same (p50), the sum of their
     * p50 delays (= the change in their waits) and of GPU-hours waited, and its running jobs the
     * change stops: requeued, or restarted at once elsewhere; and its queued jobs the change makes
     * the kernel reject (counted in {@code queued} and {@code later}). ASSUMPTION: the forecast
     * charges a restart no lost work (the kernel moves a job's end by the time it stood still, here
     * none). {@code preemptionsBefore} and {@code preemptionsAfter}: how often its jobs are preempted
     * in the forecast with declared run times, without and with the change, until the last queued
     * job starts (a policy that preempts: {@code priority}, {@code las}).
     */
    public record TenantDelta(String tenant, int queued, int later, int earlier, int same, long waitDeltaSeconds,
                              double gpuHoursWaitDelta, int requeued, int restarted, int rejected, int preemptionsBefore,
                              int preemptionsAfter) {
    }

    /** A hypothetical job's forecast start in the changed fork; null if the kernel rejects it, for {@code rejected}. */
    public record HypotheticalStart(int index, HypotheticalJob job, Start start, String rejected) {
    }

    /**
     * The answer: the hypothetical jobs' starts, the queued jobs whose start moved (at most
     * {@code limit}, largest moves first; {@code changedJobs} counts them all), and the tenants.
     */
    public record Result(Instant asOf, Instant horizonEnd, int draws, List<HypotheticalStart> hypothetical,
                         List<JobDelta> jobs, int changedJobs, List<Long> restarted, List<TenantDelta> tenants,
                         long millis) {
    }

    /**
     * Compares the forecasts of the two forks. Only tenants {@code visible} accepts are reported
     * (a tenant sees its own jobs only).
     */
    static Result compare(Forks forks, Change change, Forecast before, Forecast after, int limit,
                          java.util.function.Predicate<String> visible, long millis) {
        long notBefore = forks.asOf().getEpochSecond();
        List<HypotheticalStart> hypothetical = new ArrayList<>();
        for (int i = 0; i < change.jobs().size(); i++) {
            if (visible.test(change.jobs().get(i).tenant())) {
                hypothetical.add(new HypotheticalStart(i, change.jobs().get(i),
                        Start.of(after.startOf(FIRST_HYPOTHETICAL_ID + i), notBefore),
                        forks.rejected().get(FIRST_HYPOTHETICAL_ID + i)));
            }
        }
        // queued, later, earlier, same, waitDelta, requeued, restarted, rejected, preemptions before, after
        Map<String, long[]> tenants = new TreeMap<>();
        Map<String, double[]> gpuHours = new TreeMap<>();
        List<JobDelta> changed = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            long job = after.job(i);
            Known k = forks.jobs().get(job);
            if (job >= FIRST_HYPOTHETICAL_ID || k == null || !visible.test(k.tenant())) {
                continue;
            }
            JobDelta d = new JobDelta(job, k.tenant(), k.gpus(), Start.of(before.startOf(job), notBefore),
                    Start.of(after.start(i), notBefore), null);
            long[] t = tenants.computeIfAbsent(k.tenant(), x -> new long[10]);
            if (d.before() == null) {
                continue; // requeued by the change: counted below
            }
            t[0]++;
            Long delay = d.p50DelaySeconds();
            if (delay != null) {
                t[delay > 0 ? 1 : delay < 0 ? 2 : 3]++;
                t[4] += delay;
                gpuHours.computeIfAbsent(k.tenant(), x -> new double[1])[0] += delay / 3600.0 * k.gpus();
            } else if (d.before().p50Seconds() == d.after().p50Seconds()) {
                t[3]++; // beyond the horizon on both sides
            } else {
                t[d.after().p50Seconds() == Forecast.NONE ? 1 : 2]++; // pushed past the horizon, or brought within it
            }
            if (!d.before().equals(d.after())) {
                changed.add(d);
            }
        }
        for (int i = 0; i < before.size(); i++) { // queued before, gone after: the change makes the kernel reject them
            long job = before.job(i);
            Known k = forks.jobs().get(job);
            String reason = forks.rejected().get(job);
            if (reason != null && k != null && visible.test(k.tenant())) {
                long[] t = tenants.computeIfAbsent(k.tenant(), x -> new long[10]);
                t[0]++;
                t[1]++;
                t[7]++;
                changed.add(new JobDelta(job, k.tenant(), k.gpus(), Start.of(before.start(i), notBefore), null, reason));
            }
        }
        for (long job : forks.requeued()) {
            Known k = forks.jobs().get(job);
            if (k != null && visible.test(k.tenant())) {
                tenants.computeIfAbsent(k.tenant(), x -> new long[10])[5]++;
                changed.add(new JobDelta(job, k.tenant(), k.gpus(), null, Start.of(after.startOf(job), notBefore),
                        forks.rejected().get(job)));
            }
        }
        List<Long> restarted = new ArrayList<>();
        for (long job : forks.restarted()) {
            Known k = forks.jobs().get(job);
            if (k != null && visible.test(k.tenant())) {
                tenants.computeIfAbsent(k.tenant(), x -> new long[10])[6]++;
                restarted.add(job);
            }
        }
        long window = Math.min(before.exactTrajectoryEndSeconds(), after.exactTrajectoryEndSeconds());
        countPreemptions(before, window, 8, forks, visible, tenants);
        countPreemptions(after, window, 9, forks, visible, tenants);
        changed.sort(Comparator.comparingLong(WhatIf::magnitude).reversed().thenComparingLong(JobDelta::job));
        List<TenantDelta> perTenant = new ArrayList<>();
        tenants.forEach((name, t) -> perTenant.add(new TenantDelta(name, (int) t[0], (int) t[1], (int) t[2], (int) t[3],
                t[4], gpuHours.getOrDefault(name, new double[1])[0], (int) t[5], (int) t[6], (int) t[7], (int) t[8],
                (int) t[9])));
        return new Result(forks.asOf(), Instant.ofEpochSecond(after.horizonEndSeconds()), after.draws(), hypothetical,
                List.copyOf(changed.subList(0, Math.min(limit, changed.size()))), changed.size(), List.copyOf(restarted),
                perTenant, millis);
    }

    /**
     * Adds each visible tenant's preemptions in {@code f}'s exact trajectory up to {@code window}
     * (both sides counted over the same time) into column {@code column}.
     */
    private static void countPreemptions(Forecast f, long window, int column, Forks forks,
                                         java.util.function.Predicate<String> visible, Map<String, long[]> tenants) {
        long[] jobs = f.preemptedWithExactRunTimes();
        long[] times = f.preemptionTimesWithExactRunTimes();
        for (int i = 0; i < jobs.length; i++) {
            if (times[i] > window) {
                continue;
            }
            long job = jobs[i];
            Known k = forks.jobs().get(job);
            if (k != null && visible.test(k.tenant())) {
                tenants.computeIfAbsent(k.tenant(), x -> new long[10])[column]++;
            }
        }
    }

    /** How far a job moved: rejected, requeued and pushed past the horizon first, then by |p50 delay|. */
    private static long magnitude(JobDelta d) {
        Long delay = d.p50DelaySeconds();
        return delay == null ? Long.MAX_VALUE : Math.abs(delay);
    }
}
