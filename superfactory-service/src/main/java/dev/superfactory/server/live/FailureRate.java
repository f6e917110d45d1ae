package dev.superfactory.server.live;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.reliability.FailureCause;
import dev.superfactory.reliability.ReliabilitySpec;

/**
 * The rate at which a shard's GPUs are hit by a failure, from a scenario's reliability model: the
 * fleet-wide event rate of every cause (its per-GPU-day rate, or its components over their MTBF)
 * spread evenly over the fleet's GPUs. ASSUMPTION: a shard of g GPUs fails at g times the per-GPU
 * rate (a rack or block failure hits every shard on it; counted once per GPU here, which is close
 * for shards that fill whole domains); WAN cuts are left out (they stall, not fail, a shard).
 */
public final class FailureRate {

    private FailureRate() {
    }

    /** Failures per GPU per second; 0 if the model is off. O(causes). */
    public static double perGpuSecond(ReliabilitySpec spec, Fleet fleet) {
        if (!spec.active()) {
            return 0;
        }
        long gpus = fleet.totalGpus();
        double perSecond = 0;
        for (FailureCause cause : spec.causes()) {
            long components = switch (cause.scope()) {
                case GPU, JOB -> gpus;
                case HOST -> Math.max(1, gpus / Math.max(1, spec.gpusPerHost()));
                case DOMAIN -> fleet.domainCount();
                case BLOCK -> fleet.blockCount();
                case SITE -> fleet.siteCount();
                case WAN -> 0;
            };
            if (components > 0) {
                perSecond += cause.eventsPerSecond(gpus, components);
            }
        }
        return perSecond / gpus;
    }
}
