package dev.superfactory.server.api;

import dev.superfactory.server.live.LiveForecasts;
import dev.superfactory.server.live.LiveScheduler;
import dev.superfactory.server.live.WhatIf;
import java.util.function.Predicate;
import dev.superfactory.server.live.PendingView;
import dev.superfactory.server.store.Job;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the API asks of the scheduler: the live kernel's side of the REST routes. Calls come from
 * HTTP threads after the store has committed, so a job the scheduler hears of is always durable.
 * No default methods: a wrapper (metrics) must forward every call.
 */
public interface Scheduling {

    /** How long a what-if waits for the scheduler's forks, or for another what-if to finish. */
    java.time.Duration WHAT_IF_WAIT = java.time.Duration.ofSeconds(30);

    /** Scheduling off: jobs are stored and stay submitted; cancel changes the store directly. */
    Scheduling NONE = new Scheduling() {
        @Override
        public void submitted(Job job) {
        }

        @Override
        public void retried(Job job) {
        }

        @Override
        public Optional<CompletableFuture<Boolean>> cancel(long job) {
            return Optional.empty();
        }

        @Override
        public Optional<CompletableFuture<Optional<PendingView>>> pending(long job) {
            return Optional.empty();
        }

        @Override
        public Optional<CompletableFuture<Boolean>> hold(Job job, boolean hold) {
            return Optional.empty();
        }

        @Override
        public Optional<LiveForecasts.Estimate> forecast(long job) {
            return Optional.empty();
        }

        @Override
        public Optional<WhatIf.Result> whatIf(WhatIf.Change change, int limit, Predicate<String> visible) {
            return Optional.empty();
        }
    };

    /** {@code job} was committed in state submitted; must not block (the scheduler queues it). */
    void submitted(Job job);

    /**
     * A retried submit found {@code job} still submitted: the scheduler may never have heard of it
     * (the reply to its commit was lost), so it is handed over again; the scheduler ignores a job it
     * has already taken. Not a new submission (not counted as one).
     */
    void retried(Job job);

    /**
     * Cancels through the scheduler: completes with true once the cancel has committed, false if
     * the scheduler does not hold the job; empty if there is no scheduler.
     */
    Optional<CompletableFuture<Boolean>> cancel(long job);

    /** Why a pending job waits; empty if there is no scheduler or it does not hold the job pending. */
    Optional<CompletableFuture<Optional<PendingView>>> pending(long job);

    /**
     * Holds a queued job or releases a held one: completes with true once committed, false if the
     * job was not in the state for it; empty if there is no scheduler.
     */
    Optional<CompletableFuture<Boolean>> hold(Job job, boolean hold);

    /**
     * The newest start-time forecast of a pending job; empty if there is none (no forecasts, or the
     * job was not pending when the newest was forked). O(1), never waits for the scheduler.
     */
    Optional<LiveForecasts.Estimate> forecast(long job);

    /**
     * The queue's forecast with and without {@code change} ({@link WhatIf}), showing only tenants
     * {@code visible} accepts and at most {@code limit} moved jobs; empty if there is no scheduler.
     * Blocks the caller for two forecasts. Throws IllegalArgumentException for an unknown tenant,
     * domain or site, IllegalStateException if the scheduler or another what-if keeps it waiting.
     */
    Optional<WhatIf.Result> whatIf(WhatIf.Change change, int limit, Predicate<String> visible);

    /** The live scheduler behind the routes, with no forecasts. */
    static Scheduling of(LiveScheduler live) {
        return of(live, null);
    }

    /** The live scheduler behind the routes, and its forecasts (null: none). */
    static Scheduling of(LiveScheduler live, LiveForecasts forecasts) {
        return new Scheduling() {
            @Override
            public void submitted(Job job) {
                live.submitted(job);
            }

            @Override
            public void retried(Job job) {
                live.submitted(job);
            }

            @Override
            public Optional<CompletableFuture<Boolean>> cancel(long job) {
                return Optional.of(live.cancel(job));
            }

            @Override
            public Optional<CompletableFuture<Optional<PendingView>>> pending(long job) {
                return Optional.of(live.pending(job));
            }

            @Override
            public Optional<CompletableFuture<Boolean>> hold(Job job, boolean hold) {
                return Optional.of(live.hold(job, hold));
            }

            @Override
            public Optional<LiveForecasts.Estimate> forecast(long job) {
                return forecasts == null ? Optional.empty() : forecasts.startOf(job);
            }

            @Override
            public Optional<WhatIf.Result> whatIf(WhatIf.Change change, int limit, Predicate<String> visible) {
                if (forecasts == null) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(forecasts.whatIf(live, change, limit, visible, WHAT_IF_WAIT));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while forecasting the what-if");
                }
            }
        };
    }
}
