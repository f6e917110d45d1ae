package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.scenario.Scenario;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import dev.superfactory.workload.TraceInfo;
import dev.superfactory.workload.TraceSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadTest {
  private static final String OPENB_HEADER =
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";

  @TempDir Path dir;

  /** One site of 64 GPUs, tenants a and b. */
  private static Scenario tiny() {
    return TinyScenarios.oneSite(1, 8, 8, "fifo", 64, 64, 86_400);
  }

  private Scenario replaying(Scenario s, String format, String text) throws Exception {
    Path f = dir.resolve("trace.csv");
    Files.writeString(f, text);
    return s.withTrace(TraceSource.parse(format + ":" + f));
  }

  private static List<Long> submits(Jobs jobs) {
    List<Long> out = new ArrayList<>();
    for (int j = 0; j < jobs.size(); j++) {
      out.add(jobs.submit(j));
    }
    return out;
  }

  @Test
  void aTraceIsCollectedInSubmitOrderOntoTheScenariosTenantsWithWhereItCameFrom() throws Exception {
    Scenario s = replaying(tiny(), "native",
        "tenant,submit_seconds,gpus,duration_seconds\nb,50,8,60\na,10,4,30\n\na,50,1,5\n");
    Workload w = Workload.of(s);
    assertThat(w.tenants()).extracting(Tenant::name).containsExactly("a", "b");
    // sorted by submit time; the two jobs at 50 s keep file order (b's, then a's)
    assertThat(submits(w.jobs())).containsExactly(10L, 50L, 50L);
    assertThat(List.of(w.jobs().tenant(0), w.jobs().tenant(1), w.jobs().tenant(2))).containsExactly(0, 1, 0);
    TraceInfo info = w.jobs().traceInfo();
    assertThat(info.source()).isEqualTo(s.workload().trace().toString());
    assertThat(List.of(info.rows(), info.jobs())).containsExactly(3L, 3L);
    assertThat(info.skipped()).isEmpty();
  }

  @Test
  void aSpedUpTraceHasItsSubmitTimesDividedAndRoundedDown() throws Exception {
    Scenario s = replaying(tiny(), "native", "tenant,submit_seconds,gpus,duration_seconds\na,10,4,30\nb,55,8,60\n");
    Workload w = Workload.of(s.withWorkload(s.workload().withTraceSpeedup(10)));
    // 10 / 10 = 1; 55 / 10 = 5.5 -> 5; durations unchanged
    assertThat(submits(w.jobs())).containsExactly(1L, 5L);
    assertThat(w.jobs().durationSeconds(1)).isEqualTo(60);
  }

  @Test
  void anOpenbTraceBringsItsQosTenantsUnlessTheScenarioNamesThem() throws Exception {
    String pods = OPENB_HEADER + "p0,1000,1024,1,1000,,LS,Running,0,100,0\np1,1000,1024,0,0,,BE,Running,1,100,1\n"
        + "p2,1000,1024,2,1000,,BE,Running,2,100,2\n";
    Scenario abc = replaying(tiny(), "openb", pods);
    Workload own = Workload.of(abc);
    // the scenario's tenants are a and b, not QoS classes: the trace's own, in order of first job
    assertThat(own.tenants()).extracting(Tenant::name).containsExactly("ls", "be");
    assertThat(own.tenants().get(0).gpuLimit()).isEqualTo(64);
    assertThat(own.jobs().traceInfo().skipped()).isEqualTo(Map.of("cpuOnly", 1L, "neverScheduled", 0L, "sharedGpu", 0L));

    Scenario named = abc.withFleet(abc.fleet(), List.of(new Tenant("be", "Batch", 16), new Tenant("ls", "Online", 8)));
    Workload given = Workload.of(named);
    assertThat(given.tenants()).isEqualTo(named.tenants());
    assertThat(List.of(given.jobs().tenant(0), given.jobs().tenant(1))).containsExactly(1, 0);
  }

  @Test
  void withoutATraceTheJobsAreTheGeneratorsOnTheScenariosTenants() {
    Scenario s = tiny();
    Workload w = Workload.of(s);
    assertThat(w.tenants()).isEqualTo(s.tenants());
    assertThat(w.jobs().size()).isPositive();
    assertThat(w.jobs().traceInfo()).isNull();
  }
}
