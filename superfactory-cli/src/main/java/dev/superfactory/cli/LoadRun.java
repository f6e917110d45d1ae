package dev.superfactory.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One open-loop load run: request i is due at start + i × batch / rate and is sent then (or at
 * once if the sender is late), whatever the answers to earlier requests; its latency runs from
 * that due time to the last byte of the answer, so a stalled server shows up in every request it
 * delayed (no coordinated omission, Tene's "How NOT to measure latency"). At most {@code inFlight}
 * requests are outstanding: a request due while all are out is counted as not sent, never queued.
 * Requests go round-robin over the tenants' tokens through one java.net.http client (HTTP/1.1,
 * async). Cost per request: one JSON body of {@code batch} jobs, one histogram record (lock-free).
 */
final class LoadRun {
  /** ASSUMPTION: a submit slower than this is a failure, not a latency. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to offer: jobs/s over a duration, in requests of {@code batch} jobs, at most {@code inFlight} outstanding. */
  record Plan(URI base, List<String> tokens, double jobsPerSecond, double durationSeconds, int batch, int inFlight,
              long seed, String runId) {
    long requests() {
      return (long) Math.floor(durationSeconds * jobsPerSecond / batch);
    }

    double secondsBetweenRequests() {
      return batch / jobsPerSecond;
    }
  }

  private final Plan plan;
  private final HttpClient http;
  private final Semaphore inFlight;
  private final Histogram latencyMicros = new ConcurrentHistogram(MAX_LATENCY_MICROS, 3);
  private final LongAdder acceptedJobs = new LongAdder();
  private final Map<Integer, LongAdder> refused = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final AtomicLong lastAnswerNanos = new AtomicLong();
  private long notSent;

  LoadRun(Plan plan) {
    this.plan = plan;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();
    this.inFlight = new Semaphore(plan.inFlight());
  }

  LoadReport run() throws InterruptedException {
    URI single = plan.base().resolve("/v1/jobs");
    URI batch = plan.base().resolve("/v1/jobs/batch");
    LoadJobs jobs = new LoadJobs(plan.seed(), plan.runId());
    double nanosBetween = plan.secondsBetweenRequests() * 1e9;
    long start = System.nanoTime();
    lastAnswerNanos.set(start);
    for (long i = 0; i < plan.requests(); i++) {
      long due = start + Math.round(i * nanosBetween);
      String body = jobs.body(plan.batch());
      waitUntil(due);
      if (!inFlight.tryAcquire()) {
        notSent++;
        continue;
      }
      send(plan.batch() == 1 ? single : batch, plan.tokens().get((int) (i % plan.tokens().size())), body, due);
    }
    if (!inFlight.tryAcquire(plan.inFlight(), REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("requests still in flight " + REQUEST_TIMEOUT + " after the last was sent");
    }
    return report((lastAnswerNanos.get() - start) / 1e9);
  }

  private static void waitUntil(long dueNanos) {
    for (long left = dueNanos - System.nanoTime(); left > 0; left = dueNanos - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private void send(URI uri, String token, String body, long dueNanos) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
      long now = System.nanoTime();
      try {
        latencyMicros.recordValue(Math.min(MAX_LATENCY_MICROS, (now - dueNanos) / 1_000));
        lastAnswerNanos.accumulateAndGet(now, Math::max);
        if (error != null) {
          failed.computeIfAbsent(errorName(error), k -> new LongAdder()).increment();
        } else {
          count(response);
        }
      } finally {
        inFlight.release();
      }
    });
  }

  private void count(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status != 200 && status != 201) {
      refused.computeIfAbsent(status, k -> new LongAdder()).increment();
    } else if (plan.batch() == 1) {
      acceptedJobs.increment();
    } else {
      acceptedJobs.add(itemsIn(response.body()));
    }
  }

  private static int itemsIn(String batchAnswer) {
    try {
      return JSON.readTree(batchAnswer).path("items").size();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a 2xx batch answer is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The cause's simple class name: HttpTimeoutException, ConnectException, ... */
  private static String errorName(Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    return cause.getClass().getSimpleName();
  }

  private LoadReport report(double elapsedSeconds) {
    Histogram h = latencyMicros.copy();
    boolean none = h.getTotalCount() == 0;
    LoadReport.Latency latency = new LoadReport.Latency(h.getTotalCount(), millis(h, 50, none), millis(h, 90, none),
        millis(h, 99, none), none ? Double.NaN : h.getMaxValue() / 1e3);
    return new LoadReport(plan.base().toString(), plan.tokens().size(), plan.batch(), plan.inFlight(),
        plan.jobsPerSecond(), plan.durationSeconds(), elapsedSeconds, plan.requests(), acceptedJobs.sum(),
        sums(refused), sums(failed), notSent, latency, LoadReport.Warmup.NONE);
  }

  private static double millis(Histogram h, double percentile, boolean none) {
    return none ? Double.NaN : h.getValueAtPercentile(percentile) / 1e3;
  }

  private static <K extends Comparable<K>> TreeMap<K, Long> sums(Map<K, LongAdder> counts) {
    TreeMap<K, Long> sums = new TreeMap<>();
    counts.forEach((k, n) -> sums.put(k, n.sum()));
    return sums;
  }
}
