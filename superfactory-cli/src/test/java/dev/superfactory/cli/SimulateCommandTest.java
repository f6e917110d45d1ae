package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  @TempDir Path dir;

  @Test
  void simulateWritesEveryOutputAndASummary() throws Exception {
    Path out = dir.resolve("run");
    CliRun r = CliRun.of("simulate", "--preset", "single-site", "--days", "5", "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("GPU utilization", "team-a", "queue wait p50", "Outputs in " + out);
    for (String f : List.of("result.json", "timeseries.csv", "jobs.csv", "report.html")) {
      assertThat(out.resolve(f)).isNotEmptyFile();
    }
    JsonNode json = new ObjectMapper().readTree(out.resolve("result.json").toFile());
    for (String path : List.of("/jobs/submitted", "/jobs/completed", "/jobs/pendingAtEnd", "/utilization/allocated",
        "/utilization/bySite/dc1", "/wait/p50Hours", "/wait/p95Hours", "/wait/p99Hours", "/run/wallSeconds",
        "/run/events")) {
      assertThat(json.at(path).isMissingNode()).as(path).isFalse();
    }
    assertThat(json.get("tenants").get(0).has("gpuHours")).isTrue();
    assertThat(json.at("/run/peakHeapMiB").asDouble()).as("measured, not 0").isPositive();
    List<String> timeseries = Files.readAllLines(out.resolve("timeseries.csv"));
    assertThat(timeseries.get(0)).startsWith("hours,allocated,site_dc1,tenant_team-a");
    assertThat(timeseries).hasSize(1 + 5 * 24);
    List<String> jobs = Files.readAllLines(out.resolve("jobs.csv"));
    assertThat(jobs.get(0)).isEqualTo("id,tenant,gpus,scale_up_group,span_sites,submit_s,start_s,end_s,wait_s,state,gpus_dc1");
  }

  @Test
  void sameSeedGivesTheSameResultApartFromTheRunSection() throws Exception {
    ObjectMapper m = new ObjectMapper();
    CliRun a = CliRun.of("simulate", "--preset", "single-site", "--days", "3", "--seed", "5", "--out",
        dir.resolve("a").toString(), "--json");
    CliRun b = CliRun.of("simulate", "--preset", "single-site", "--days", "3", "--seed", "5", "--out",
        dir.resolve("b").toString(), "--json");
    ObjectNode ja = (ObjectNode) m.readTree(a.out());
    ObjectNode jb = (ObjectNode) m.readTree(b.out());
    ja.remove("run");
    jb.remove("run");
    assertThat(ja).isEqualTo(jb);
    String fa = Files.readString(dir.resolve("a/result.json"));
    String fb = Files.readString(dir.resolve("b/result.json"));
    assertThat(fa.substring(0, fa.indexOf("\"run\""))).isEqualTo(fb.substring(0, fb.indexOf("\"run\"")));
  }

  @Test
  void generatedTraceReplaysToTheSameResult() throws Exception {
    Path trace = dir.resolve("jobs.csv");
    CliRun gen = CliRun.of("workload", "generate", "--preset", "single-site", "--days", "4", "--warmup", "0",
        "-o", trace.toString());
    assertThat(gen.status()).as(gen.err()).isZero();
    assertThat(gen.out()).contains("Wrote " + trace);
    ObjectMapper m = new ObjectMapper();
    CliRun synthetic = CliRun.of("simulate", "--preset", "single-site", "--days", "4", "--warmup", "0", "--out",
        dir.resolve("s").toString(), "--json");
    // the replay keeps the scenario's warm-up, as the synthetic run does: the same --warmup for both
    CliRun replay = CliRun.of("simulate", "--preset", "single-site", "--days", "4", "--warmup", "0", "--trace",
        "native:" + trace, "--out", dir.resolve("r").toString(), "--json");
    assertThat(replay.status()).as(replay.err()).isZero();
    JsonNode s = m.readTree(synthetic.out());
    JsonNode r = m.readTree(replay.out());
    assertThat(r.get("jobs")).isEqualTo(s.get("jobs"));
    // the offered load is the generator's setting; a trace has none
    ((com.fasterxml.jackson.databind.node.ObjectNode) s.get("utilization")).remove("offered");
    ((com.fasterxml.jackson.databind.node.ObjectNode) r.get("utilization")).remove("offered");
    assertThat(r.get("utilization")).isEqualTo(s.get("utilization"));
    assertThat(r.get("wait")).isEqualTo(s.get("wait"));
  }

  @Test
  void badTraceIsAUserError() throws Exception {
    Path trace = dir.resolve("bad.csv");
    Files.writeString(trace, "tenant,submit_seconds,gpus,duration_seconds\nteam-a,0,-8,60\n");
    CliRun r = CliRun.of("simulate", "--preset", "single-site", "--trace", trace.toString(), "--out", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("superfactory: " + trace + ":2: gpus: must be > 0, got -8" + System.lineSeparator());
  }

  @Test
  void unknownPolicyAndBadDaysAreUserErrors() {
    CliRun p = CliRun.of("simulate", "--policy", "fifo-backfil", "--out", dir.toString());
    assertThat(p.status()).isEqualTo(2);
    assertThat(p.err()).contains("did you mean 'fifo-backfill'?");
    CliRun d = CliRun.of("simulate", "--days", "-3", "--out", dir.toString());
    assertThat(d.status()).isEqualTo(2);
    assertThat(d.err()).contains("--days");
  }

  @Test
  void benchPrintsTheFieldsToolsReadInJson() throws Exception {
    CliRun r = CliRun.of("bench", "--preset", "single-site", "--jobs", "2000", "--days", "30", "--repeat", "1", "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("jobs").asLong()).isBetween(1800L, 2200L);
    assertThat(json.get("wallSeconds").asDouble()).isPositive();
    assertThat(json.get("events").asLong()).isGreaterThan(json.get("jobs").asLong());
    assertThat(json.get("eventsPerSecond").asLong()).isPositive();
    assertThat(json.get("peakHeapMiB").asDouble()).isPositive();
  }
}
