package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace written by {@code workload generate} and replayed on the same scenario gives the
 * synthetic run's result, field for field (README, Traces): the replay keeps the scenario's
 * warm-up. And the options that cannot apply to a trace are refused, not ignored.
 */
class TraceRoundTripTest {
  @TempDir Path dir;

  private JsonNode result(Path out) throws Exception {
    ObjectNode r = (ObjectNode) new ObjectMapper().readTree(out.resolve("result.json").toFile());
    r.remove("run"); // wall time, events per second: differ between identical runs
    ((ObjectNode) r.get("scenario")).remove(java.util.List.of("workload", "offeredLoad")); // generator settings
    ((ObjectNode) r.get("utilization")).remove("offered");
    r.remove("trace"); // the replay says which rows it read
    return r;
  }

  /** single-site's synthetic workload, warm-up included, written as a native trace. */
  private Path generated() {
    Path jobs = dir.resolve("jobs.csv");
    CliRun gen = CliRun.of("workload", "generate", "--preset", "single-site", "-o", jobs.toString());
    assertThat(gen.status()).as(gen.err()).isZero();
    return jobs;
  }

  @Test
  void aGeneratedTraceReplaysToTheSyntheticRunsResult() throws Exception {
    Path jobs = generated();
    CliRun synthetic = CliRun.of("simulate", "--preset", "single-site", "--out", dir.resolve("a").toString());
    CliRun replay = CliRun.of("simulate", "--preset", "single-site", "--trace", "native:" + jobs,
        "--out", dir.resolve("b").toString());
    assertThat(synthetic.status()).as(synthetic.err()).isZero();
    assertThat(replay.status()).as(replay.err()).isZero();
    JsonNode a = result(dir.resolve("a"));
    JsonNode b = result(dir.resolve("b"));
    assertThat(b.at("/scenario/warmupDays").asDouble()).isEqualTo(7.0);
    a.fieldNames().forEachRemaining(f -> assertThat(b.get(f)).as(f).isEqualTo(a.get(f)));
    assertThat(b.size()).isEqualTo(a.size());
  }

  @Test
  void warmUpAppliesToATraceToo() throws Exception {
    Path jobs = generated();
    CliRun r = CliRun.of("simulate", "--preset", "single-site", "--trace", "native:" + jobs, "--warmup", "3",
        "--out", dir.resolve("w").toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(result(dir.resolve("w")).at("/scenario/warmupDays").asDouble()).isEqualTo(3.0);
    assertThat(result(dir.resolve("w")).at("/jobs/carriedOver").asLong()).isPositive();
  }

  @Test
  void loadIsRefusedWithATrace() throws Exception {
    Path jobs = generated();
    CliRun r = CliRun.of("simulate", "--preset", "single-site", "--trace", "native:" + jobs, "--load", "0.5",
        "--out", dir.resolve("l").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("superfactory: --load sets the synthetic workload's load; a trace is "
        + "replayed as recorded (use --speedup F to replay it F times faster)");
  }
}
