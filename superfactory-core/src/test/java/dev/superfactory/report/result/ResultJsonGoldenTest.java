package dev.superfactory.report.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.sim.Simulation;
import dev.superfactory.sim.SimulationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code result.json} pinned byte for byte (without its {@code run} section, the only part that
 * differs between runs) for the {@link GoldenScenarios}. The golden files were written by the
 * tree-building {@code ResultJson.build} that the typed result replaced, so they also prove the
 * records write exactly what it wrote. A change to the simulation or to the JSON shows up here as
 * a diff to review; a deliberate one is a new golden file.
 */
class ResultJsonGoldenTest {
  private static final String GOLDEN_DIR = "src/test/resources/dev/superfactory/report/result/golden";
  private static final Map<String, SimulationResult> RUNS = new ConcurrentHashMap<>();

  static Stream<GoldenScenarios.Golden> goldens() {
    return GoldenScenarios.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void theResultJsonIsByteForByteThePinnedOne(GoldenScenarios.Golden golden) throws IOException {
    String written = ResultJson.pretty(RunResults.from(run(golden)));
    if (Boolean.getBoolean("golden.update")) { // opt-in: mvn test -Dgolden.update=true, then say why in the commit
      Files.writeString(Path.of(GOLDEN_DIR, golden.name() + ".json"), written);
      return;
    }
    assertThat(written).isEqualTo(golden(golden.name()));
  }

  /** The kernel's golden run exercises what it pins: failures, drains, preemptions by reclaim, every tenant. */
  @Test
  void theKernelsGoldenRunFailsDrainsPreemptsAndServesEveryTenant() {
    RunResult r = GoldenScenarios.result("single-site-contracts-failures");
    assertThat(r.preemptions()).isPositive();
    assertThat(r.reliability().interruptions()).isGreaterThan(20);
    assertThat(r.tenants()).allSatisfy(t -> assertThat(t.jobsCompleted()).isPositive());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void aResultReadBackFromItsJsonEqualsTheOneWritten(GoldenScenarios.Golden golden) {
    RunResult written = RunResults.withRun(run(golden), "test");
    RunResult read = ResultJson.parse(ResultJson.pretty(written), RunResult.class);
    assertThat(read).isEqualTo(written);
    assertThat(read.run()).isNotNull();
    assertThat(read.run().peakHeapMiB()).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void aGoldenFileReadAndWrittenAgainIsUnchanged(GoldenScenarios.Golden golden) {
    String json = golden(golden.name());
    assertThat(ResultJson.pretty(ResultJson.parse(json, RunResult.class))).isEqualTo(json);
  }

  private static SimulationResult run(GoldenScenarios.Golden golden) {
    return RUNS.computeIfAbsent(golden.name(), name -> new Simulation(golden.scenario().get()).run());
  }

  static String golden(String name) {
    return GoldenScenarios.json(name);
  }
}
