package dev.superfactory.server.live;

import dev.superfactory.server.store.SchedulerStore.ShardTime;
import dev.superfactory.workload.Tenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tenant's use of the fleet over a window, and what it costs under its contract, by the twin's
 * economics rule: the reservation is paid for the whole window whether used or not, at the
 * reserved price; GPU-hours beyond it (borrowed) are paid at the on-demand price. Own and
 * borrowed hours come from a sweep over the tenant's runs: at every moment, GPUs held up to the
 * reservation are its own, the rest borrowed. A run counts from its start (placement committed)
 * to its end, or to the end of the window if it still runs. Cost: O(shards log shards).
 */
public record UsageReport(String tenant, Instant since, Instant until, Map<String, Double> gpuHoursBySite,
                          double gpuHours, double ownGpuHours, double borrowedGpuHours, int reservedGpus,
                          double reservedUsd, double onDemandUsd, double totalUsd) {

    public static UsageReport of(Tenant tenant, List<ShardTime> shards, Instant since, Instant until) {
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
        edges.sort((a, b) -> Long.compare(a[0], b[0]));
        int reserved = tenant.reservedGpus();
        double own = 0;
        double borrowed = 0;
        long held = 0;
        for (int i = 0; i < edges.size(); i++) {
            if (i > 0) {
                double h = (edges.get(i)[0] - edges.get(i - 1)[0]) / 3_600_000_000.0;
                own += Math.min(held, reserved) * h;
                borrowed += Math.max(0, held - reserved) * h;
            }
            held += edges.get(i)[1];
        }
        double reservedUsd = reserved * hours(since, until) * tenant.contract().reservedUsdPerGpuHour();
        double onDemandUsd = borrowed * tenant.contract().onDemandUsdPerGpuHour();
        return new UsageReport(tenant.name(), since, until, bySite, own + borrowed, own, borrowed, reserved,
                reservedUsd, onDemandUsd, reservedUsd + onDemandUsd);
    }

    /** Hours between two instants, to the microsecond (PostgreSQL's resolution). */
    private static double hours(Instant from, Instant to) {
        return (micros(to) - micros(from)) / 3_600_000_000.0;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }
}
