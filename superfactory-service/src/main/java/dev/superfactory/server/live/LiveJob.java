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
    /** The live run has shards on two or more sites: it starts in two phases (prepare, every shard ready, go). */
    boolean twoPhase;
    /** The live two-phase run's go commands are written (in a committed pass, or in the pass being built). */
    boolean goSent;
    /** The job's work at its last checkpoint, seconds of its true run time: its next run starts there. */
    long resumeSeconds;
    /** When (the scheduler clock's epoch millis) the live two-phase run must be ready everywhere, or it is stopped. */
    long prepareDeadlineMillis;
    /** Two-phase runs of this job in a row that could not be prepared everywhere (a timeout or a failed shard). */
    int preparesFailed;
    final Map<String, String> shards = new LinkedHashMap<>();

    LiveJob(long id, String tenant, JobRequest request, long durationSeconds, JobState state) {
        this.id = id;
        this.tenant = tenant;
        this.request = request;
        this.durationSeconds = durationSeconds;
        this.state = state;
    }

    /**
     * The go of the live two-phase run, once every shard left in it is ready and no go was written
     * (then marked written, and the count of failed prepares starts again); null otherwise.
     */
    dev.superfactory.server.store.PassStep.Go goIfReady() {
        if (!twoPhase || goSent || !allShards("ready")) {
            return null;
        }
        goSent = true;
        preparesFailed = 0;
        return new dev.superfactory.server.store.PassStep.Go(id, tenant, run, java.util.List.copyOf(shards.keySet()));
    }

    /** Whether every shard of the live run is running or finished (a short shard may finish before the others run). */
    boolean runningEverywhere() {
        return !shards.isEmpty() && shards.values().stream().allMatch(v -> v.equals("running") || v.equals("finished"));
    }

    /** Whether every shard of the live run has reached {@code shardState}. */
    boolean allShards(String shardState) {
        return !shards.isEmpty() && shards.values().stream().allMatch(shardState::equals);
    }
}
