package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import org.junit.jupiter.api.Test;

class SimulationTest {
  @Test
  void fairwaterRunsAndFillsTheFleetNearItsOfferedLoad() {
    Scenario s = Presets.load("fairwater").withHorizonSeconds(20 * 86400);
    SimulationResult r = new Simulation(s).run();
    RunResult result = RunResults.from(r);
    assertThat(result.utilization().allocated()).isBetween(0.4, 1.0);
    assertThat(result.jobs().submitted()).isGreaterThan(10_000);
    assertThat(result.tenants()).hasSize(4);
    assertThat(result.timeseries().hours().size()).isEqualTo(20 * 24);
    assertThat(result.utilization().bySite()).containsKey("atlanta");
  }

  @Test
  void sameScenarioAndSeedGiveByteIdenticalResults() {
    Scenario s = Presets.load("single-site").withHorizonSeconds(10 * 86400);
    String a = ResultJson.pretty(RunResults.from(new Simulation(s).run()));
    String b = ResultJson.pretty(RunResults.from(new Simulation(s).run()));
    assertThat(a).isEqualTo(b);
    String c = ResultJson.pretty(RunResults.from(new Simulation(s.withSeed(s.seed() + 1)).run()));
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void warmUpIsSimulatedButNotMeasured() {
    Scenario s = Presets.load("single-site").withHorizonSeconds(5 * 86400).withWarmupSeconds(5 * 86400);
    SimulationResult r = new Simulation(s).run();
    assertThat(r.metrics().carriedOverJobs()).isPositive();
    // the measured window's capacity is 5 days: allocated GPU-hours cannot exceed it
    assertThat(r.metrics().allocatedGpuSeconds()).isLessThanOrEqualTo(4096L * 5 * 86400);
    assertThat(r.metrics().series().rows()).isEqualTo(5 * 24);
    assertThat(r.metrics().series().time(0)).isEqualTo(3600);
  }
}
