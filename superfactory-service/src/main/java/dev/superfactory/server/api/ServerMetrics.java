package dev.superfactory.server.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The control plane's meters, in one Micrometer {@link PrometheusMeterRegistry} that {@code GET
 * /metrics} scrapes (issue 11 item 7). Owned by whoever starts the server: the pool
 * ({@code Database.open(location, registry())}), the API and, later, the scheduler thread register
 * their meters here. This class adds the HTTP request timer per route template and status, the
 * submit latency, jobs submitted per tenant, the event log's newest seq, and JVM memory, GC,
 * thread, CPU and uptime binders.
 *
 * <p>Cost: a request records into one timer (a meter-map lookup by name and tags, then a lock-free
 * histogram update); a scrape walks every meter, a few milliseconds for a few hundred series.
 */
public final class ServerMetrics implements AutoCloseable {

    /** Routes whose accepted answers (200 and 201) count as submits, as "METHOD template". */
    static final Set<String> SUBMIT_ROUTES = Set.of("POST /v1/jobs");
    /** The route tag of a request no route matched (keeps raw paths out of the label values). */
    static final String UNMATCHED = "unmatched";
    /**
     * Service-level buckets besides the percentile histogram's: 50 ms is the p99 goal of a
     * submit; the others bracket it. ASSUMPTION: 60 s, the longest long-poll, is the largest latency worth a bucket.
     */
    private static final Duration[] SLO = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};
    private static final Duration MAX_EXPECTED = Duration.ofSeconds(60);

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    private ServerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** A new registry with the JVM and process binders bound. */
    public static ServerMetrics create() {
        return new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** The registry, for other parts of the server to register their own meters in. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    /** Records one finished request: {@code route} is "METHOD template" or {@link #UNMATCHED}. */
    void requestDone(String method, String route, int status, long nanos) {
        String template = route.equals(UNMATCHED) ? UNMATCHED : route.substring(route.indexOf(' ') + 1);
        timer("http.server.requests", "HTTP requests by route template and status")
                .tags("method", method, "route", template, "status", Integer.toString(status))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (SUBMIT_ROUTES.contains(route) && (status == 200 || status == 201)) {
            timer("superfactory.submit", "Accepted submits, request start to response (after the commit)")
                    .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** {@code next}, counting every committed job per tenant on its way. */
    Scheduling countingSubmits(Scheduling next) {
        return new Scheduling() {
            @Override
            public void submitted(dev.superfactory.server.store.Job job) {
                Counter.builder("superfactory.jobs.submitted").description("Jobs committed, per tenant")
                        .tag("tenant", job.tenant()).register(registry).increment();
                next.submitted(job);
            }

            @Override
            public void retried(dev.superfactory.server.store.Job job) {
                next.retried(job);
            }

            @Override
            public java.util.Optional<java.util.concurrent.CompletableFuture<Boolean>> cancel(long job) {
                return next.cancel(job);
            }

            @Override
            public java.util.Optional<java.util.concurrent.CompletableFuture<java.util.Optional<
                    dev.superfactory.server.live.PendingView>>> pending(long job) {
                return next.pending(job);
            }

            @Override
            public java.util.Optional<java.util.concurrent.CompletableFuture<Boolean>> hold(
                    dev.superfactory.server.store.Job job, boolean hold) {
                return next.hold(job, hold);
            }

            @Override
            public java.util.Optional<dev.superfactory.server.live.LiveForecasts.Estimate> forecast(long job) {
                return next.forecast(job);
            }

            @Override
            public java.util.Optional<dev.superfactory.server.live.WhatIf.Result> whatIf(
                    dev.superfactory.server.live.WhatIf.Change change, int limit,
                    java.util.function.Predicate<String> visible) {
                return next.whatIf(change, limit, visible);
            }
        };
    }

    /** The event log's newest seq, read from {@code newestSeq} at each scrape (which must be cheap). */
    void eventLogNewestSeq(LongSupplier newestSeq) {
        Gauge.builder("superfactory.event.log.newest.seq", newestSeq, s -> (double) s.getAsLong())
                .description("The newest committed seq of the event log").register(registry);
    }

    private static Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .serviceLevelObjectives(SLO).maximumExpectedValue(MAX_EXPECTED);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
