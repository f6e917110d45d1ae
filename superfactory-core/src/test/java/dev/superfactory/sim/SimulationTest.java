package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.report.ResultJson;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import org.junit.jupiter.api.Test;

class SimulationTest {
  @Test
  void fairwaterRunsAndFillsTheFleetNearItsOfferedLoad() {
    Scenario s = Presets.load("fairwater").withHorizonSeconds(20 * 86400);
    SimulationResult r = new Simulation(s).run();
    ObjectNode json = ResultJson.build(r);
    double utilization = json.get("utilization").get("allocated").asDouble();
    assertThat(utilization).isBetween(0.4, 1.0);
    assertThat(json.get("jobs").get("submitted").asLong()).isGreaterThan(10_000);
    assertThat(json.get("tenants")).hasSize(4);
    assertThat(json.get("timeseries").get("hours")).hasSize(20 * 24);
    assertThat(json.get("utilization").get("bySite").has("atlanta")).isTrue();
  }

  @Test
  void sameScenarioAndSeedGiveByteIdenticalResults() {
    Scenario s = Presets.load("single-site").withHorizonSeconds(10 * 86400);
    String a = ResultJson.build(new Simulation(s).run()).toString();
    String b = ResultJson.build(new Simulation(s).run()).toString();
    assertThat(a).isEqualTo(b);
    String c = ResultJson.build(new Simulation(s.withSeed(s.seed() + 1)).run()).toString();
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
