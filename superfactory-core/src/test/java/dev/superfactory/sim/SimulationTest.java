package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.fleet.Allocation;
import dev.superfactory.sched.SchedulerListener;
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

  @Test
  void aWatcherSeesEveryDecisionTheTwinBooksAndChangesNothing() {
    Scenario s = Presets.load("single-site").withHorizonSeconds(2 * 86400);
    String alone = ResultJson.pretty(RunResults.from(new Simulation(s).run()));
    java.util.Map<Long, Long> firstStarts = new java.util.HashMap<>();
    long[] finishes = {0};
    SchedulerListener watcher = new SchedulerListener() {
      @Override
      public void started(long job, Allocation allocation, long now) {
        firstStarts.putIfAbsent(job, now);
      }

      @Override
      public void finished(long job, Allocation allocation, long now) {
        finishes[0]++;
      }
    };
    SimulationResult watched = new Simulation(s).watch(watcher).run();
    assertThat(firstStarts).isNotEmpty();
    firstStarts.forEach((job, t) -> assertThat(watched.jobs().start(job.intValue())).as("job %d", job).isEqualTo(t));
    assertThat(firstStarts).hasSize((int) java.util.stream.IntStream.range(0, watched.jobs().size())
        .filter(j -> watched.jobs().start(j) >= 0).count());
    assertThat(finishes[0]).isEqualTo(java.util.stream.IntStream.range(0, watched.jobs().size())
        .filter(j -> watched.jobs().end(j) >= 0).count()).isPositive();
    assertThat(ResultJson.pretty(RunResults.from(watched))).isEqualTo(alone);
  }
}
