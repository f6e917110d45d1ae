package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.input.YamlDocuments;
import dev.superfactory.metrics.ReliabilityMetrics;
import dev.superfactory.reliability.CheckpointMath;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import dev.superfactory.workload.Jobs;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** The failure model in simulation: counts against analytic rates, bounds on losses, policies. */
class ReliabilitySimulationTest {
  /** One site of 4 HGX servers (32 GPUs), failures as given, no warm-up. */
  private static Scenario scenario(String reliability, long horizonSeconds) {
    String yaml = "name: rel\nhorizon: " + horizonSeconds + "s\n"
        + "fleet:\n  sites:\n    - name: s0\n      scaleOutBandwidthPerGpu: 400Gbps\n      powerCapacityMw: 10\n"
        + "      blocks:\n        - {gpu: h100, count: 1, domainsPerBlock: 4, gpusPerDomain: 8, domainPower: 10kW}\n"
        + "tenants:\n  - {name: a}\n"
        + "reliability:\n" + reliability;
    return ScenarioReader.read(YamlDocuments.parse(yaml, "rel.yaml"), "rel.yaml");
  }

  private static SimulationResult runOneGang(Scenario s, long workSeconds) {
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 32, 8, false, workSeconds, workSeconds);
    return new Simulation(s).checkInvariants(true).run(jobs, new ArrayList<>(s.tenants()));
  }

  /**
   * Software faults at 0.05 per GPU-day hit the 32-GPU gang, which holds every GPU: the number of
   * interruptions is Poisson with mean rate × GPU-days of exposure (time running, excluding the
   * detection hang, when the job cannot be hit again). Over 20 seeds the total stays within four
   * standard deviations of its mean.
   */
  @Test
  void interruptionsMatchRateTimesExposure() {
    double observed = 0;
    double expected = 0;
    for (int seed = 1; seed <= 20; seed++) {
      Scenario s = scenario("  causes:\n    - {name: software, scope: job, perGpuDay: 0.05}\n"
          + "  restart: {detection: 5m, init: 2m, minLoad: 10s}\n", 20L * 86400).withSeed(seed);
      SimulationResult r = runOneGang(s, 400L * 86400);
      ReliabilityMetrics m = r.reliability();
      observed += m.totalInterruptions();
      double exposedGpuSeconds = 0;
      for (int i = 0; i < ReliabilityMetrics.LEDGERS.size(); i++) {
        if (i != 4) { // not the detection hang
          exposedGpuSeconds += m.ledger(i);
        }
      }
      expected += 0.05 * exposedGpuSeconds / 86400.0;
    }
    assertThat(expected).isGreaterThan(500);
    assertThat(Math.abs(observed - expected)).isLessThan(4 * Math.sqrt(expected));
  }

  /**
   * With a fixed checkpoint interval τ, every interruption loses at most τ of compute plus one
   * write, and pays at most one restart overhead (init + load).
   */
  @Test
  void lostWorkPerInterruptionIsBoundedByTheIntervalAndRestartOverhead() {
    Scenario s = scenario("  causes:\n    - {name: host, scope: host, perGpuDay: 0.2, repair: {median: 10m, p90: 30m}}\n"
        + "  restart: {detection: 1m, init: 3m, minLoad: 20s}\n"
        + "  checkpoint: {policy: fixed, interval: 30m, bytesPerGpu: 10GB, writeBandwidthPerGpu: 1GB/s}\n", 30L * 86400);
    SimulationResult r = runOneGang(s, 60L * 86400);
    ReliabilityMetrics m = r.reliability();
    long n = m.totalInterruptions();
    assertThat(n).isGreaterThan(50);
    double write = 10; // 10 GB at 1 GB/s
    double perInterruptionLostWork = 1800 + write;
    double perInterruptionRestart = 180 + Math.max(20, write);
    assertThat(m.ledger(1)).isLessThanOrEqualTo(n * 32 * perInterruptionLostWork);
    assertThat(m.ledger(2)).isLessThanOrEqualTo(n * 32 * perInterruptionRestart);
    assertThat(m.ledger(1)).isPositive();
    assertThat(m.goodput()).isBetween(0.0, 1.0);
  }

  /**
   * Daly's interval wastes less (lost work + checkpoint writes) than half or double of it. Here
   * C = 60 s and the gang's MTBF is 2 h, so τ ≈ 890 s; the waste rate C/τ + τ/(2M) is 25% higher
   * at τ/2 and at 2τ.
   */
  @Test
  void youngDalyIntervalBeatsHalfAndDouble() {
    double perGpuDay = 86400.0 / (7200 * 32); // MTBF of the 32-GPU gang: 2 h
    double tau = CheckpointMath.dalyInterval(60, 7200);
    double[] waste = new double[3];
    double[] factors = {0.5, 1, 2};
    for (int i = 0; i < 3; i++) {
      for (int seed = 1; seed <= 4; seed++) {
        Scenario s = scenario("  causes:\n    - {name: software, scope: job, perGpuDay: " + perGpuDay + "}\n"
            + "  restart: {detection: 0s, init: 0s, minLoad: 0s}\n"
            + "  checkpoint: {policy: fixed, interval: " + Math.round(tau * factors[i]) + "s, bytesPerGpu: 60GB, "
            + "writeBandwidthPerGpu: 1GB/s}\n", 60L * 86400).withSeed(seed);
        ReliabilityMetrics m = runOneGang(s, 1000L * 86400).reliability();
        waste[i] += m.ledger(1) + m.ledger(3);
      }
    }
    assertThat(waste[1]).isLessThan(waste[0]);
    assertThat(waste[1]).isLessThan(waste[2]);
  }

  @Test
  void aWanCutNeverLeavesAMultiSiteJobRunningAcrossIt() {
    for (String policy : new String[] {"stall", "shrink"}) {
      String yaml = "name: wan\nhorizon: 20d\n"
          + "fleet:\n  sites:\n"
          + "    - {name: a, scaleOutBandwidthPerGpu: 400Gbps, powerCapacityMw: 10, blocks: [{gpu: h100, count: 1, domainsPerBlock: 4, gpusPerDomain: 8, domainPower: 10kW}]}\n"
          + "    - {name: b, scaleOutBandwidthPerGpu: 400Gbps, powerCapacityMw: 10, blocks: [{gpu: h100, count: 1, domainsPerBlock: 4, gpusPerDomain: 8, domainPower: 10kW}]}\n"
          + "  wan:\n    - {between: [a, b], distance: 1000km, bandwidth: 10Tbps}\n"
          + "tenants:\n  - {name: t}\n"
          + "reliability:\n  causes:\n    - {name: wan, scope: wan, mtbf: 1d, repair: {median: 3h, p90: 6h}}\n"
          + "  wanCut: " + policy + "\n";
      Scenario s = ScenarioReader.read(YamlDocuments.parse(yaml, "wan.yaml"), "wan.yaml");
      Jobs jobs = new Jobs();
      for (int i = 0; i < 20; i++) {
        jobs.add(i * 86400L, 0, 48, 8, true, 40_000, 40_000); // 48 GPUs: needs both 32-GPU sites
      }
      SimulationResult r = new Simulation(s).checkInvariants(true).run(jobs, new ArrayList<>(s.tenants()));
      assertThat(r.reliability().interruptions(0)).as(policy).isPositive();
      if (policy.equals("stall")) {
        assertThat(r.reliability().ledger(5)).as("WAN stall GPU-seconds").isPositive();
      }
    }
  }

  @Test
  void runsWithFailuresAreDeterministicAndGoodputIsAFraction() {
    Scenario s = Presets.load("single-site").withHorizonSeconds(10L * 86400);
    SimulationResult a = new Simulation(s).run();
    SimulationResult b = new Simulation(s).run();
    assertThat(ResultJson.pretty(RunResults.from(a))).isEqualTo(ResultJson.pretty(RunResults.from(b)));
    assertThat(a.reliability().totalInterruptions()).isPositive();
    assertThat(a.reliability().goodput()).isBetween(0.0, 1.0);
    for (int t = 0; t < a.tenants().size(); t++) {
      assertThat(a.reliability().tenantGoodput(t)).isBetween(0.0, 1.0);
    }
    for (int j = 0; j < a.jobs().size(); j++) {
      double g = a.outcomes().goodput(j);
      if (!Double.isNaN(g)) {
        assertThat(g).isBetween(0.0, 1.0 + 1e-9);
      }
    }
  }

  @Test
  void noFailuresMeansNoInterruptionsAndFullGoodput() {
    Scenario s = Presets.load("single-site").withHorizonSeconds(5L * 86400);
    s = s.withReliability(s.reliability().withEnabled(false));
    SimulationResult r = new Simulation(s).run();
    assertThat(r.reliability().totalInterruptions()).isZero();
    assertThat(r.reliability().goodput()).isGreaterThan(0.999);
  }

  @Test
  void hotSparesLetAJobResumeWithoutLeavingItsGpus() {
    Scenario s = scenario("  gpusPerHost: 1\n  causes:\n    - {name: gpu, scope: gpu, perGpuDay: 0.1, repair: {median: 2d, p90: 3d}}\n"
        + "  spares: {perDomain: 2}\n", 3L * 86400);
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 24, 6, false, 100L * 86400, 100L * 86400); // 6 of each 8-GPU server; 2 spares each
    SimulationResult r = new Simulation(s).checkInvariants(true).run(jobs, new ArrayList<>(s.tenants()));
    assertThat(r.reliability().totalInterruptions()).isPositive();
    assertThat(r.jobs().start(0)).isZero();
    // the job kept running through its interruptions: never requeued, so no wait after them
    assertThat(r.reliability().requeueWaitGpuSeconds(0)).isZero();
  }

  /**
   * Over ten days the same spares run out: a domain loses a third GPU while the first two are in
   * repair (about two days), the job cannot restart in place, is requeued and is still waiting at
   * the end. That wait is counted, up to the end of the run (it once was not, and the test above ran
   * ten days and passed only because of it).
   */
  @Test
  void whenTheSparesRunOutTheJobWaitsAndTheWaitIsCounted() {
    Scenario s = scenario("  gpusPerHost: 1\n  causes:\n    - {name: gpu, scope: gpu, perGpuDay: 0.1, repair: {median: 2d, p90: 3d}}\n"
        + "  spares: {perDomain: 2}\n", 10L * 86400);
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 24, 6, false, 100L * 86400, 100L * 86400);
    SimulationResult r = new Simulation(s).checkInvariants(true).run(jobs, new ArrayList<>(s.tenants()));
    assertThat(r.pendingAtEnd()).isEqualTo(1);
    assertThat(r.reliability().requeueWaitGpuSeconds(0)).isPositive().isLessThanOrEqualTo(24.0 * 10 * 86400);
  }
}
