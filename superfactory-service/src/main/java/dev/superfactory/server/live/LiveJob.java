package dev.superfactory.server.live;

import dev.superfactory.sched.JobRequest;
import dev.superfactory.server.store.JobState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the scheduler thread knows of a job the kernel holds: its tenant, request and true run
 * time (for the simulated executor), its state as committed in the store, and its live run (id 0
 * until the pass that started it has committed) with each shard's state by site. Owned by the
 * scheduler thread; never shared.
 */
final class LiveJob {
    final long id;
    final String tenant;
    final JobRequest request;
    final long durationSeconds;
    JobState state;
    long run;
    /** Set just before the kernel cancels it for a hold: the store records held, not cancelled. */
    boolean holding;
    final Map<String, String> shards = new LinkedHashMap<>();

    LiveJob(long id, String tenant, JobRequest request, long durationSeconds, JobState state) {
        this.id = id;
        this.tenant = tenant;
        this.request = request;
        this.durationSeconds = durationSeconds;
        this.state = state;
    }

    /** Whether every shard of the live run has reached {@code shardState}. */
    boolean allShards(String shardState) {
        return !shards.isEmpty() && shards.values().stream().allMatch(shardState::equals);
    }
}
