package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
  @TempDir Path dir;

  @Test
  void compareRunsEveryPolicyOnTheSameWorkload() throws Exception {
    CliRun r = CliRun.of("compare", "--preset", "single-site", "--days", "5", "--policies",
        "fifo-backfill,fair-share,las,sjf", "--out", dir.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("fifo-backfill", "fair-share", "las", "sjf", "Jain", "wait p95/GPU team-a");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("compare.json").toFile());
    assertThat(json.get("policies")).hasSize(4);
    for (JsonNode p : json.get("policies")) {
      assertThat(p.get("utilization").asDouble()).isBetween(0.0, 1.0);
      assertThat(p.has("revenueUsd")).isTrue();
      assertThat(p.get("waitP95HoursByTenant").has("team-b")).isTrue();
    }
    // the same jobs under every policy
    long submitted = -1;
    for (String p : new String[] {"fifo-backfill", "fair-share", "las", "sjf"}) {
      JsonNode result = new ObjectMapper().readTree(dir.resolve(p).resolve("result.json").toFile());
      long s = result.at("/jobs/submitted").asLong();
      assertThat(submitted == -1 || submitted == s).isTrue();
      submitted = s;
    }
    assertThat(Files.readString(dir.resolve("compare.html"))).contains("<html", "Jain").doesNotContain("http://", "https://");
  }

  /**
   * The case that ranked the wrong policy first: on single-site at load 1.1, fifo-backfill leaves 254 jobs
   * waiting at their tenant's limit and shows a p95 wait of 0 s over the jobs that started; las leaves 3.
   * Ranked on the GPU-weighted slowdown with the pending jobs counted, las comes first.
   */
  @Test
  void aPolicyThatLeavesJobsWaitingDoesNotRankFirst() throws Exception {
    CliRun r = CliRun.of("compare", "--preset", "single-site", "--load", "1.1", "--policies", "fifo-backfill,las",
        "--out", dir.toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode policies = new ObjectMapper().readTree(r.out()).get("policies");
    assertThat(policies.get(0).get("policy").asText()).isEqualTo("las");
    JsonNode las = policies.get(0);
    JsonNode fifo = policies.get(1);
    assertThat(fifo.get("pendingAtEnd").asLong()).isGreaterThan(10 * las.get("pendingAtEnd").asLong());
    assertThat(fifo.get("waitP95Hours").asDouble()).isLessThan(las.get("waitP95Hours").asDouble()); // the blind figure
    assertThat(fifo.get("unservedGpuHours").asDouble()).isGreaterThan(las.get("unservedGpuHours").asDouble());
    assertThat(fifo.get("slowdown").asDouble()).isGreaterThan(las.get("slowdown").asDouble());
    assertThat(fifo.get("rank").asInt()).isEqualTo(2);
  }

  @Test
  void anUnknownMetricIsAUserErrorBeforeAnythingRuns() {
    CliRun r = CliRun.of("compare", "--preset", "single-site", "--policies", "fifo-backfill,las", "--metric", "slowdwn",
        "--out", dir.resolve("x").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("superfactory: --metric: unknown measure 'slowdwn'; did you mean 'slowdown'? "
        + "(known: completed, pending, rejected, unserved, slowdown, gpu-wait-p95, gpu-wait-p95:team-a, "
        + "gpu-wait-p95:team-b, wait-p95, jct-mean, jct-p95, util, goodput, fairness, preemptions, lost, revenue, margin)");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void unknownPolicyIsAUserError() {
    CliRun r = CliRun.of("compare", "--policies", "fifo,lass", "--out", dir.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("unknown scheduling policy 'lass'", "did you mean 'las'?");
  }

  @Test
  void openbTraceReplaysOnItsOwnClusterAndCountsSkippedRows() throws Exception {
    Path trace = dir.resolve("pods.csv");
    Files.writeString(trace, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
        + "deletion_time,scheduled_time\n"
        + "p0,1000,1024,1,1000,,LS,Running,0,3600,0\n"
        + "p1,1000,1024,2,1000,,BE,Succeeded,10,1000,20\n"
        + "p2,1000,1024,0,0,,BE,Succeeded,10,1000,20\n"
        + "p3,1000,1024,1,500,,LS,Pending,30,5000,\n");
    Files.writeString(dir.resolve("openb_node_list_gpu_node.csv"),
        "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,8,V100M32\nn1,64000,262144,2,T4\n");
    CliRun r = CliRun.of("simulate", "--trace", "openb:" + trace, "--out", dir.resolve("out").toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.at("/fleet/totalGpus").asInt()).isEqualTo(10);
    assertThat(json.at("/trace/rows").asInt()).isEqualTo(4);
    assertThat(json.at("/trace/jobs").asInt()).isEqualTo(2);
    assertThat(json.at("/trace/skipped/cpuOnly").asInt()).isEqualTo(1);
    assertThat(json.at("/trace/skipped/neverScheduled").asInt()).isEqualTo(1);
    assertThat(json.at("/jobs/completed").asInt()).isEqualTo(2);
  }

  @Test
  void malformedOpenbRowIsAUserErrorNamingTheLine() throws Exception {
    Path trace = dir.resolve("pods.csv");
    Files.writeString(trace, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
        + "deletion_time,scheduled_time\np0,1000,1024,one,1000,,LS,Running,0,3600,0\n");
    Files.writeString(dir.resolve("openb_node_list_gpu_node.csv"), "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,8,T4\n");
    CliRun r = CliRun.of("simulate", "--trace", "openb:" + trace, "--out", dir.resolve("out").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).startsWith("superfactory: " + trace + ":2: num_gpu");
  }
}
