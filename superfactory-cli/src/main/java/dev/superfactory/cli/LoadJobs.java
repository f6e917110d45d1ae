package dev.superfactory.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;

/**
 * The jobs {@code superfactory load} submits: a seeded mix of gang sizes and run times, so that
 * they queue on a fleet, with client ids {@code load-<run id>-<n>}. Not thread-safe: one sender
 * thread draws every job. Cost: a few random draws and one small JSON object per job.
 *
 * <p>ASSUMPTION: sizes 8–64 GPUs in groups of 8 (an HGX node, inside one NVL72 domain) and 72–1,152
 * GPUs in whole NVL72 domains of 72 (GB200 NVL72, NVIDIA's rack-scale product), drawn uniformly
 * from 8, 16, 32, 64, 72, 144, 288, 576, 1,152; declared run times uniform in 1–24 h; one site each.
 */
final class LoadJobs {
  private static final int[] GPUS = {8, 16, 32, 64, 72, 144, 288, 576, 1152};
  private static final int NVL72 = 72;
  private static final int NODE = 8;
  private static final long MIN_SECONDS = 3_600;
  private static final long MAX_SECONDS = 24 * 3_600;

  private final SplittableRandom random;
  private final String runId;
  private long next;

  LoadJobs(long seed, String runId) {
    this.random = new SplittableRandom(seed);
    this.runId = runId;
  }

  /** The next job as a submit body (with its clientId). */
  ObjectNode next() {
    int gpus = GPUS[random.nextInt(GPUS.length)];
    ObjectNode job = JsonNodeFactory.instance.objectNode();
    job.put("gpus", gpus).put("scaleUpGroup", gpus >= NVL72 ? NVL72 : NODE).put("spanSites", false)
        .put("expectedSeconds", random.nextLong(MIN_SECONDS, MAX_SECONDS + 1))
        .put("clientId", "load-" + runId + "-" + next++);
    return job;
  }

  /** The body of one request: a single job, or {@code {"jobs": [...]}} of {@code batch} jobs when batch > 1. */
  String body(int batch) {
    if (batch == 1) {
      return next().toString();
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode jobs = body.putArray("jobs");
    for (int i = 0; i < batch; i++) {
      jobs.add(next());
    }
    return body.toString();
  }
}
