package dev.superfactory.server.store;

/** The outcome of a submit: the job, and whether this call created it (false: an idempotent retry). */
public record Submission(Job job, boolean created) {
}
