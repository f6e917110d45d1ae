package dev.superfactory.server.api;

import dev.superfactory.server.store.Job;

/**
 * What the API tells the scheduler: the live kernel's side of the REST routes. Calls come from
 * HTTP threads after the store has committed, so a job the scheduler hears of is always durable.
 */
public interface Scheduling {

    /** Scheduling off: jobs are stored and stay submitted (the store-only tests). */
    Scheduling NONE = job -> { };

    /** {@code job} was committed in state submitted; must not block (the scheduler queues it). */
    void submitted(Job job);
}
