package dev.superfactory.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.superfactory.random.RandomStreams;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {
  /** A stand-in for the performance model: 1,000 tokens per second per GPU, for any model. */
  static final DurationOracle FLAT = new DurationOracle() {
    @Override
    public double seconds(String model, double tokens, int gpus) {
      return tokens / (1000.0 * gpus);
    }

    @Override
    public boolean knows(String model) {
      return true;
    }
  };

  private static Jobs generate(Scenario s, long horizon, long seed) {
    SyntheticGenerator g = new SyntheticGenerator(s.workload(), s.tenants(), s.fleet().totalGpus(),
        s.fleet().siteGpus(0), FLAT);
    return g.generate(horizon, new RandomStreams(seed));
  }

  @Test
  void modelJobsGetTheirRunTimeFromTheOracle() {
    Scenario s = Presets.load("fairwater");
    Jobs jobs = generate(s, 30L * 86400, 5);
    int models = 0;
    for (int j = 0; j < jobs.size(); j++) {
      if (jobs.model(j) != null) {
        models++;
        assertThat(jobs.durationSeconds(j)).isEqualTo(Math.max(1, Math.round(jobs.tokens(j) / (1000.0 * jobs.gpus(j)))));
        assertThat(jobs.model(j)).isIn("llama3-70b", "frontier-1.8t");
      }
    }
    assertThat(models).isPositive();
  }

  @Test
  void demandMatchesTheOfferedLoadOverALongRun() {
    Scenario s = Presets.load("single-site");
    long horizon = 2L * 365 * 86400;
    Jobs jobs = generate(s, horizon, 1);
    double demand = jobs.demandGpuSeconds() / (s.fleet().totalGpus() * (double) horizon);
    // heavy tails make this noisy; two years of this mix stay within 10% of the target
    assertThat(demand).isCloseTo(0.85, within(0.085));
  }

  @Test
  void jobCountOverrideKeepsTheLoadAndGivesAboutThatManyJobs() {
    Scenario s = Presets.load("single-site");
    s = s.withWorkload(s.workload().withJobCount(50_000));
    long horizon = 365L * 86400;
    Jobs jobs = generate(s, horizon, 3);
    assertThat(jobs.size()).isBetween(49_000, 51_000); // Poisson: sd ≈ 224
    double demand = jobs.demandGpuSeconds() / (s.fleet().totalGpus() * (double) horizon);
    assertThat(demand).isCloseTo(0.85, within(0.1));
  }

  @Test
  void jobsAreSortedAndRespectLimitsAndGroups() {
    Scenario s = Presets.load("fairwater");
    Jobs jobs = generate(s, 30L * 86400, 42);
    List<Tenant> tenants = s.tenants();
    for (int j = 0; j < jobs.size(); j++) {
      if (j > 0) {
        assertThat(jobs.submit(j)).isGreaterThanOrEqualTo(jobs.submit(j - 1));
      }
      assertThat(jobs.gpus(j)).isLessThanOrEqualTo(tenants.get(jobs.tenant(j)).gpuLimit());
      assertThat(jobs.gpus(j) % jobs.scaleUpGroup(j)).isZero();
    }
  }

  @Test
  void sizesAreHeavyTailed() {
    Scenario s = Presets.load("fairwater");
    Jobs jobs = generate(s, 60L * 86400, 7);
    int small = 0;
    int mid = 0;
    int large = 0;
    for (int j = 0; j < jobs.size(); j++) {
      int g = jobs.gpus(j);
      if (g <= 8) {
        small++;
      } else if (g <= 2048) {
        mid++;
      } else if (g >= 4096) {
        large++;
      }
    }
    assertThat(small).isGreaterThan(mid * 3);
    assertThat(mid).isGreaterThan(large * 20);
    assertThat(large).isPositive();
  }

  @Test
  void aNewTenantDoesNotShiftAnotherTenantsDraws() {
    Scenario s = Presets.load("single-site");
    Jobs before = generate(s, 5L * 86400, 9);
    WorkloadSpec w = s.workload();
    // same spec, but team-b's mix removed: team-a's jobs must be unchanged
    WorkloadSpec onlyA = new WorkloadSpec(w.offeredLoad() * w.mixes().get(0).loadShare(), 0, w.classes(),
        List.of(new TenantMix(0, 1.0, w.mixes().get(0).classWeights())), null);
    Jobs after = generate(s.withWorkload(onlyA), 5L * 86400, 9);
    int a = 0;
    for (int j = 0; j < before.size(); j++) {
      if (before.tenant(j) == 0) {
        assertThat(after.submit(a)).isEqualTo(before.submit(j));
        assertThat(after.gpus(a)).isEqualTo(before.gpus(j));
        assertThat(after.durationSeconds(a)).isEqualTo(before.durationSeconds(j));
        a++;
      }
    }
    assertThat(a).isEqualTo(after.size());
  }
}
