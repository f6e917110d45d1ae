package dev.superfactory.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * What one {@code superfactory load} run measured, as text or JSON. Latencies are per request, in
 * milliseconds, from the request's intended send time (open loop: a late or slow request is not
 * hidden by the ones that waited behind it).
 */
record LoadReport(String url, int tenants, int batchJobs, int inFlightLimit, double offeredJobsPerSecond,
                  double durationSeconds, double elapsedSeconds, long offeredRequests, long acceptedJobs,
                  SortedMap<Integer, Long> refusedRequestsByStatus, SortedMap<String, Long> failedRequestsByError,
                  long notSentRequests, Latency latency, Warmup warmup) {

  /** The load offered before the measured run to warm both JVMs up, not counted in it; none if 0 s. */
  record Warmup(double seconds, long offeredJobs, long acceptedJobs) {
    static final Warmup NONE = new Warmup(0, 0, 0);
  }

  /** The same figures, after {@code warmup}. */
  LoadReport after(Warmup warmup) {
    return new LoadReport(url, tenants, batchJobs, inFlightLimit, offeredJobsPerSecond, durationSeconds, elapsedSeconds,
        offeredRequests, acceptedJobs, refusedRequestsByStatus, failedRequestsByError, notSentRequests, latency, warmup);
  }

  /** Percentiles of the submit latency in milliseconds; NaN when no request completed. */
  record Latency(long requests, double p50Millis, double p90Millis, double p99Millis, double maxMillis) {
  }

  long offeredJobs() {
    return offeredRequests * batchJobs;
  }

  long notSentJobs() {
    return notSentRequests * batchJobs;
  }

  double acceptedJobsPerSecond() {
    return elapsedSeconds > 0 ? acceptedJobs / elapsedSeconds : 0;
  }

  String text() {
    String measured = String.join(System.lineSeparator(),
        String.format(Locale.ROOT, "load: %d jobs offered at %.1f jobs/s for %.1f s to %s (%d tenant%s, %d job%s per request,"
                + " at most %d requests in flight)", offeredJobs(), offeredJobsPerSecond, durationSeconds, url, tenants,
            tenants == 1 ? "" : "s", batchJobs, batchJobs == 1 ? "" : "s", inFlightLimit),
        String.format(Locale.ROOT, "accepted: %d jobs, %.1f jobs/s over %.2f s", acceptedJobs, acceptedJobsPerSecond(),
            elapsedSeconds),
        "refused: " + counts(refusedRequestsByStatus, "HTTP "),
        "failed: " + counts(failedRequestsByError, ""),
        String.format(Locale.ROOT, "not sent (client saturated): %d requests, %d jobs", notSentRequests, notSentJobs()),
        String.format(Locale.ROOT, "submit latency per request: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
            + " (%d requests)", latency.p50Millis, latency.p90Millis, latency.p99Millis, latency.maxMillis,
            latency.requests));
    if (warmup.seconds() == 0) {
      return measured;
    }
    return String.format(Locale.ROOT, "warm-up: %d of %d jobs accepted in %.1f s at the same rate (not counted below)",
        warmup.acceptedJobs(), warmup.offeredJobs(), warmup.seconds()) + System.lineSeparator() + measured;
  }

  ObjectNode json(ObjectMapper mapper) {
    ObjectNode json = mapper.createObjectNode();
    json.put("url", url).put("tenants", tenants).put("batchJobs", batchJobs).put("inFlightLimit", inFlightLimit)
        .put("offeredJobsPerSecond", offeredJobsPerSecond).put("durationSeconds", durationSeconds)
        .put("elapsedSeconds", elapsedSeconds).put("offeredRequests", offeredRequests).put("offeredJobs", offeredJobs())
        .put("acceptedJobs", acceptedJobs).put("acceptedJobsPerSecond", acceptedJobsPerSecond());
    ObjectNode refused = json.putObject("refusedRequestsByStatus");
    refusedRequestsByStatus.forEach((status, n) -> refused.put(Integer.toString(status), n));
    ObjectNode failed = json.putObject("failedRequestsByError");
    failedRequestsByError.forEach(failed::put);
    json.put("notSentRequests", notSentRequests).put("notSentJobs", notSentJobs());
    json.set("latencyMillis", mapper.createObjectNode().put("requests", latency.requests)
        .put("p50", latency.p50Millis).put("p90", latency.p90Millis).put("p99", latency.p99Millis)
        .put("max", latency.maxMillis));
    json.set("warmup", mapper.createObjectNode().put("seconds", warmup.seconds())
        .put("offeredJobs", warmup.offeredJobs()).put("acceptedJobs", warmup.acceptedJobs()));
    return json;
  }

  private static String counts(Map<?, Long> counts, String prefix) {
    if (counts.isEmpty()) {
      return "none";
    }
    return counts.entrySet().stream().map(e -> prefix + e.getKey() + " × " + e.getValue())
        .collect(Collectors.joining(", ")) + " requests";
  }
}
