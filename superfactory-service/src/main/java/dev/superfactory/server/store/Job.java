package dev.superfactory.server.store;

import java.time.Instant;

/** A job as stored: its spec is JSON text (a JSON object), its version counts committed changes. */
public record Job(long id, String tenant, String clientId, String specJson, JobState state, int version,
                  Instant created, Instant updated) {
}
