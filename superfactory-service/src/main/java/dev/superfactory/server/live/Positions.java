package dev.superfactory.server.live;

import dev.superfactory.sched.Scheduler;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

/**
 * Every pending job's place in the queue, overall and within its tenant (1 = next), as the kernel
 * orders its queue (arrival order, with interrupted jobs at the front; a priority or fair-share
 * policy may consider them in another order within a pass). Built in one walk, O(pending), at
 * most once per pass; reads O(1).
 */
final class Positions {
    private final Long2IntOpenHashMap overall = new Long2IntOpenHashMap();
    private final Long2IntOpenHashMap inTenant = new Long2IntOpenHashMap();
    private final Object2IntOpenHashMap<String> tenantCounts = new Object2IntOpenHashMap<>();

    private Positions() {
    }

    static Positions of(Scheduler kernel, Long2ObjectMap<LiveJob> jobs) {
        Positions p = new Positions();
        kernel.forEachPending(job -> {
            p.overall.put(job, p.overall.size() + 1);
            String tenant = jobs.get(job).tenant;
            p.inTenant.put(job, p.tenantCounts.addTo(tenant, 1) + 1);
        });
        return p;
    }

    int overall(long job) {
        return overall.get(job);
    }

    int pending() {
        return overall.size();
    }

    int inTenant(long job) {
        return inTenant.get(job);
    }

    int pendingInTenant(String tenant) {
        return tenantCounts.getInt(tenant);
    }
}
