package dev.superfactory.server.store;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A job's states and their legal transitions (issue 11 item 3): submitted → queued → admitted
 * (placement decided and written) → running (every shard started) → succeeded / failed /
 * cancelled; running → preempting (notice, checkpoint grace) → queued; lost (lease expired) →
 * queued or failed; queued ⇄ held (an owner's hold and release: a held job is out of the queue,
 * and a released one queues again at the back); a queued or held job fails when a lowered contract
 * means it can never run. ASSUMPTION: cancel is legal from every state that is not terminal; an admitted
 * job can go back to queued (a two-phase start across sites that timed out) or be lost; a
 * preempting job can fail or be lost. Cost: {@link #canBecome} is one bit test.
 */
public enum JobState {
    SUBMITTED, QUEUED, HELD, ADMITTED, RUNNING, PREEMPTING, LOST, SUCCEEDED, FAILED, CANCELLED;

    private Set<JobState> next;

    static {
        SUBMITTED.next = EnumSet.of(QUEUED, FAILED, CANCELLED);
        QUEUED.next = EnumSet.of(ADMITTED, HELD, CANCELLED, FAILED);
        HELD.next = EnumSet.of(QUEUED, CANCELLED, FAILED);
        ADMITTED.next = EnumSet.of(RUNNING, QUEUED, LOST, FAILED, CANCELLED);
        RUNNING.next = EnumSet.of(SUCCEEDED, FAILED, CANCELLED, PREEMPTING, LOST);
        PREEMPTING.next = EnumSet.of(QUEUED, FAILED, LOST, CANCELLED);
        LOST.next = EnumSet.of(QUEUED, FAILED, CANCELLED);
        SUCCEEDED.next = EnumSet.noneOf(JobState.class);
        FAILED.next = EnumSet.noneOf(JobState.class);
        CANCELLED.next = EnumSet.noneOf(JobState.class);
    }

    public boolean canBecome(JobState target) {
        return next.contains(target);
    }

    public boolean isTerminal() {
        return next.isEmpty();
    }

    /** The name stored in the database and shown to users. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static JobState ofLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
