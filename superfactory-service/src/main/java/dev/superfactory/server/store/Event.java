package dev.superfactory.server.store;

import java.time.Instant;

/**
 * One row of the append-only event log. {@code tenant} is null for fleet-wide events, {@code job}
 * and {@code run} are 0 when the event concerns none.
 */
public record Event(long seq, Instant time, String tenant, long job, long run, String type, String payloadJson) {
}
