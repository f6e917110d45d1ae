package dev.superfactory.server.store;

import java.time.Instant;
import java.util.List;

/**
 * A job's run as stored: one attempt to run it, with one shard per site it was placed on.
 *
 * @param ended null while the run is live
 */
public record RunRecord(long id, int attempt, String state, Instant created, Instant ended, List<Shard> shards) {

    public RunRecord {
        shards = List.copyOf(shards);
    }

    /**
     * One site's part of the run.
     *
     * @param placementJson {@code {"gpus": n, "domains": [[domain, gpus, [[offset, count], …]], …]}}
     */
    public record Shard(String site, String state, String placementJson) {
    }
}
