package dev.superfactory.server.live;

import dev.superfactory.server.store.SchedulerStore.ShardTime;
import dev.superfactory.workload.Tenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tenant's use of the fleet over a window, and what it costs under its contracts, by the twin's
 * economics rule: the reservation is paid for the whole window whether used or not, at the
 * reserved price; GPU-hours beyond it (borrowed) are paid at the on-demand price. Each stretch of
 * the window is priced by the contract version in force then. Own and borrowed hours come from a
 * sweep over the tenant's runs and the contract changes: at every moment, GPUs held up to the
 * reservation in force are its own, the rest borrowed; before the tenant's first contract nothing
 * is reserved or priced. A run counts from its start (placement committed) to its end, or to the
 * end of the window if it still runs. {@code reservedGpus} is the reservation in force at the end
 * of the window. Cost: O((shards + versions) log (shards + versions)).
 */
public record UsageReport(String tenant, Instant since, Instant until, Map<String, Double> gpuHoursBySite,
                          double gpuHours, double ownGpuHours, double borrowedGpuHours, int reservedGpus,
                          double reservedUsd, double onDemandUsd, double totalUsd) {

    /** A contract version and the moment it came into force. */
    public record Priced(Instant from, Tenant terms) {
    }

    /**
     * Under {@code contracts}, oldest first, each in force from its {@code from} to the next one's.
     * Before the first there is no contract: nothing reserved, nothing priced (a tenant runs nothing
     * before its first contract).
     */
    public static UsageReport of(String tenant, List<Priced> contracts, List<ShardTime> shards, Instant since,
                                 Instant until) {
        Map<String, Double> bySite = new TreeMap<>();
        List<long[]> edges = new ArrayList<>(); // [time in µs, +/- gpus]
        for (ShardTime s : shards) {
            Instant from = s.started().isBefore(since) ? since : s.started();
            Instant to = s.ended() == null || s.ended().isAfter(until) ? until : s.ended();
            if (!to.isAfter(from)) {
                continue;
            }
            bySite.merge(s.site(), s.gpus() * hours(from, to), Double::sum);
            edges.add(new long[] {micros(from), s.gpus()});
            edges.add(new long[] {micros(to), -s.gpus()});
        }
        long start = micros(since);
        long end = micros(until);
        for (Priced p : contracts) { // a price change is an edge of no GPUs
            edges.add(new long[] {Math.min(end, Math.max(start, micros(p.from()))), 0});
        }
        edges.add(new long[] {end, 0});
        edges.sort((a, b) -> Long.compare(a[0], b[0]));
        double own = 0;
        double borrowed = 0;
        double reservedUsd = 0;
        double onDemandUsd = 0;
        long held = 0;
        long at = start;
        int c = -1;
        for (long[] edge : edges) {
            c = inForce(contracts, c, at);
            double h = (edge[0] - at) / 3_600_000_000.0;
            if (c < 0) { // no contract yet
                borrowed += held * h;
            } else {
                Tenant terms = contracts.get(c).terms();
                int reserved = terms.reservedGpus();
                double borrowedHere = Math.max(0, held - reserved) * h;
                own += Math.min(held, reserved) * h;
                borrowed += borrowedHere;
                reservedUsd += reserved * h * terms.contract().reservedUsdPerGpuHour();
                onDemandUsd += borrowedHere * terms.contract().onDemandUsdPerGpuHour();
            }
            held += edge[1];
            at = edge[0];
        }
        int inForceAtEnd = inForce(contracts, c, end - 1);
        int reservedAtEnd = inForceAtEnd < 0 ? 0 : contracts.get(inForceAtEnd).terms().reservedGpus();
        return new UsageReport(tenant, since, until, bySite, own + borrowed, own, borrowed, reservedAtEnd,
                reservedUsd, onDemandUsd, reservedUsd + onDemandUsd);
    }

    /** The index of the contract in force at {@code micros} (-1 before the first), moving forward from {@code c}. */
    private static int inForce(List<Priced> contracts, int c, long micros) {
        while (c + 1 < contracts.size() && micros(contracts.get(c + 1).from()) <= micros) {
            c++;
        }
        return c;
    }

    /** Hours between two instants, to the microsecond (PostgreSQL's resolution). */
    private static double hours(Instant from, Instant to) {
        return (micros(to) - micros(from)) / 3_600_000_000.0;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }
}
