package dev.superfactory.server.live;

import dev.superfactory.forecast.Forecast;
import dev.superfactory.forecast.Forecaster;
import dev.superfactory.forecast.RunTimeDraw;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.sched.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-time forecasts of the live queue, refreshed in the background: the scheduler thread forks
 * its kernel between passes ({@link #maybeFork}, O(state): 13–40 ms on fairwater full with 100,000
 * pending) and hands the fork, with a frozen copy of the runs' progress, to one forecasting thread,
 * which runs the {@link Forecaster} (the same kernel code and policy, fast-forwarded with no
 * arrivals) and publishes the result through a volatile field. The scheduler never waits for a
 * forecast, and a forecast never touches the live kernel: it drives forks only.
 *
 * <p>Refresh: at most one forecast at a time; the next fork comes {@code every} after the previous
 * one, and no sooner than four times as long as the previous forecast took after it ended, so
 * forecasting takes at most a fifth of the time whatever the queue's size.
 *
 * <p>Reads: {@link #startOf} is O(1) (a hash lookup) on any thread. A job submitted after the
 * published forecast's fork has none until the next one.
 */
public final class LiveForecasts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveForecasts.class);

    /**
     * @param every the shortest time between two forecasts (zero: forecasts off)
     * @param draws trajectories with drawn run times, for p50 and p90 (0: the exact trajectory only)
     * @param horizon how far ahead starts are forecast (later: none)
     * @param threads trajectories run at once on the forecasting thread's pool
     * @param seed seeds the draws
     * @param passResolution 0: a forecast pass at every event (the twin's starts exactly); more: on a
     *     grid whose step is max(60 s, passResolution × lead time) ({@link dev.superfactory.forecast.PassGrid}),
     *     far fewer passes, each start late by up to a step
     */
    public record Settings(Duration every, int draws, Duration horizon, int threads, long seed, double passResolution) {
        public static final Settings OFF = new Settings(Duration.ZERO, 0, Duration.ofDays(7), 1, 0, 0);

        public Settings {
            if (every.isNegative() || draws < 0 || horizon.compareTo(Duration.ofSeconds(1)) < 0 || threads < 1
                    || !(passResolution >= 0 && passResolution < 1)) {
                throw new IllegalArgumentException(String.format(
                        "every=%s must be >= 0, draws=%d >= 0, horizon=%s >= 1 s, threads=%d >= 1, passResolution=%s"
                                + " in [0, 1)", every, draws, horizon, threads, passResolution));
            }
        }

        /**
         * Every 10 s, 8 draws, a week ahead, passes on the 60 s / 2% grid, on half the cores (one of
         * two): the other half stays with the scheduler, the API and PostgreSQL (measured with the
         * load goal: README "Load test").
         */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(10), 8, Duration.ofDays(7),
                    Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 1, Forecaster.Settings.DEFAULT_RESOLUTION);
        }

        public boolean on() {
            return !every.isZero();
        }
    }

    /** A published forecast: when its fork was taken, how long it took, and each pending job's start. */
    public record Published(Forecast forecast, Instant asOf, long millis, int pending) {
    }

    /** One job's forecast start, in epoch seconds ({@link Forecast#NONE}: not within the horizon). */
    public record Estimate(long exactSeconds, long p50Seconds, long p90Seconds, Instant asOf, Instant horizonEnd) {
        public boolean withinHorizon() {
            return p50Seconds != Forecast.NONE;
        }
    }

    private final Settings settings;
    private final Forecaster forecaster;
    private final ExecutorService worker;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final java.util.concurrent.Semaphore whatIfs = new java.util.concurrent.Semaphore(1);
    /** How long a what-if waits for its turn (another running, or the spacing after a long one) before Busy. */
    private static final Duration WHAT_IF_QUEUE = Duration.ofSeconds(5);
    /** A what-if this quick leaves no wait behind it (a small queue's). */
    private static final long QUICK_WHAT_IF_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** When the next what-if may start (System.nanoTime): four times the last one's time (past a quarter second) after it ended. */
    private volatile long whatIfNotBeforeNanos = System.nanoTime();
    private volatile Published latest;
    private volatile long forecasts;
    /** When the next fork may be taken (System.nanoTime): set by the forecasting thread, read by the scheduler's. */
    private volatile long nextForkNanos = System.nanoTime();

    /**
     * @param reliability the failures the draws draw (the scenario's model where failures happen)
     * @param runTimeScale jobs end after their run time divided by this ({@code serve --time-scale}
     *     with simulated agents; 1 for real executors)
     */
    public LiveForecasts(Settings settings, ReliabilitySpec reliability, double runTimeScale) {
        this.settings = settings;
        this.forecaster = new Forecaster(new Forecaster.Settings(settings.horizon().toSeconds(),
                settings.passResolution() == 0 ? 0 : Forecaster.Settings.DEFAULT_MIN_STEP_SECONDS, settings.draws(),
                settings.seed(), RunTimeDraw.DEFAULT, reliability, settings.threads(), settings.passResolution(),
                runTimeScale));
        this.worker = settings.on() ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "forecaster");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        }) : null;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * On the scheduler thread, between passes: forks {@code kernel} if a forecast is due and none
     * is running. {@code progress} is copied (frozen) for the fork. Returns whether it forked.
     */
    boolean maybeFork(Scheduler kernel, LiveProgress progress, Instant now) {
        if (worker == null || busy.get() || System.nanoTime() - nextForkNanos < 0) {
            return false;
        }
        busy.set(true);
        Scheduler fork = kernel.fork((job, allocation, at) -> { }); // only forked again, never driven
        fork.progress(progress.copy());
        try {
            worker.execute(() -> run(fork, now));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            busy.set(false); // closing
            return false;
        }
        return true;
    }

    private void run(Scheduler fork, Instant asOf) {
        long tookMillis = 0;
        try {
            long started = System.nanoTime();
            Forecast f = forecaster.forecast(fork);
            tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            latest = new Published(f, asOf, tookMillis, f.size());
            forecasts++;
        } catch (RuntimeException e) {
            if (worker.isShutdown()) {
                return; // closing: the forecast was interrupted
            }
            LOG.error("a start-time forecast failed; the previous one stays published", e);
        } finally {
            long took = TimeUnit.MILLISECONDS.toNanos(tookMillis);
            nextForkNanos = System.nanoTime() + Math.max(settings.every().toNanos() - took, 4 * took);
            busy.set(false);
        }
    }

    /** The newest published forecast, if any. */
    public Optional<Published> latest() {
        return Optional.ofNullable(latest);
    }

    /** Forecasts published since the start. */
    public long forecasts() {
        return forecasts;
    }

    /** The newest forecast of {@code job}'s start; empty if it was not pending at that forecast's fork. O(1). */
    public Optional<Estimate> startOf(long job) {
        Published p = latest;
        if (p == null) {
            return Optional.empty();
        }
        Forecast.Start s = p.forecast().startOf(job);
        if (s == null) {
            return Optional.empty();
        }
        long asOf = p.asOf().getEpochSecond();
        return Optional.of(new Estimate(notBefore(s.exactSeconds(), asOf), notBefore(s.p50Seconds(), asOf),
                notBefore(s.p90Seconds(), asOf), p.asOf(), Instant.ofEpochSecond(p.forecast().horizonEndSeconds())));
    }

    /**
     * A start no earlier than the fork's wall time: the fork's clock is the kernel's last pass, which
     * an idle scheduler leaves behind the wall clock, and nothing starts before the next pass.
     */
    private static long notBefore(long start, long asOf) {
        return start == Forecast.NONE ? start : Math.max(start, asOf);
    }

    /** A what-if refused because another runs, or the last one ended too recently. */
    public static final class Busy extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final int retryAfterSeconds;

        Busy(String message, int retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * What if {@code change} happened now: forks the live kernel twice ({@link LiveScheduler#whatIf})
     * and forecasts both on the calling thread. One what-if at a time, and the next no sooner than
     * four times as long as the last took after it ended (as the background forecasts: what-ifs
     * too take at most a fifth of the time); a caller waits up to 5 s for its turn, then gets
     * {@link Busy} with when to retry. Jobs of
     * tenants {@code visible} refuses are left out. Waits up to {@code wait} for the scheduler's
     * forks. Cost: two forecasts. A what-if of under a quarter second leaves no wait.
     */
    public WhatIf.Result whatIf(LiveScheduler live, WhatIf.Change change, int limit,
                                java.util.function.Predicate<String> visible, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + WHAT_IF_QUEUE.toNanos();
        if (!whatIfs.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new Busy("another what-if is running; retry in a few seconds", (int) WHAT_IF_QUEUE.toSeconds());
        }
        boolean forecasted = false;
        long forecastNanos = 0;
        try {
            long early = whatIfNotBeforeNanos - System.nanoTime(); // read with the permit: the last one's spacing
            if (early > 0 && System.nanoTime() + early - deadline > 0) {
                throw new Busy("the last what-if ended less than 4× its time ago; retry in "
                        + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(early)) + " s",
                        (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(early) + 1));
            }
            if (early > 0) {
                TimeUnit.NANOSECONDS.sleep(early);
            }
            long started = System.nanoTime();
            WhatIf.Forks forks;
            try {
                forks = live.whatIf(change).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof IllegalArgumentException bad) {
                    throw bad;
                }
                throw new IllegalStateException("the scheduler could not fork its kernel: " + e.getCause(), e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the scheduler did not fork its kernel within " + wait.toSeconds() + " s");
            }
            long forecasting = System.nanoTime();
            Forecast before = forecaster.forecast(forks.base());
            Forecast after = forecaster.forecast(forks.changed());
            forecastNanos = System.nanoTime() - forecasting;
            forecasted = true;
            return WhatIf.compare(forks, change, before, after, limit, visible,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } finally {
            if (forecasted) { // the forecasts' time only: a slow fork does not lock what-ifs out
                whatIfNotBeforeNanos = System.nanoTime() + 4 * Math.max(0, forecastNanos - QUICK_WHAT_IF_NANOS);
            }
            whatIfs.release();
        }
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
            try {
                worker.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
