package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.Scheduler;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationSamplingTest {
  /**
   * Two days of single-site (offered load 1.5) after one of warm-up, sampled every 6 h: the samples come at 24 h,
   * 30 h, ..., 66 h, each with a fork whose clock is at or before the sample time; the callback
   * drives each fork hard (it finishes its running jobs, cancels its pending ones and runs a
   * pass), and the run's result is byte for byte the run without samples.
   */
  @Test
  void samplesComeOnTheGridAsForksAndTheRunIsUnchangedWhateverTheCallbackDoes() {
    Scenario base = Presets.load("single-site").withHorizonSeconds(2 * 86_400).withWarmupSeconds(86_400);
    Scenario s = base.withWorkload(base.workload().withOfferedLoad(1.5)); // a queue to see
    String alone = ResultJson.pretty(RunResults.from(new Simulation(s).run()));
    List<Long> times = new ArrayList<>();
    long[] pendingSeen = new long[1];
    String sampled = ResultJson.pretty(RunResults.from(new Simulation(s).sample(6 * 3600, (at, fork) -> {
      assertThat(fork.now()).isLessThanOrEqualTo(at);
      times.add(at);
      pendingSeen[0] += fork.pendingCount();
      drive(fork, at);
    }).run()));
    assertThat(times).containsExactly(86_400L, 108_000L, 129_600L, 151_200L, 172_800L, 194_400L, 216_000L,
        237_600L);
    assertThat(pendingSeen[0]).isPositive();
    assertThat(sampled).isEqualTo(alone);
  }

  private static void drive(Scheduler fork, long at) {
    LongArrayList running = new LongArrayList();
    fork.forEachRunning(running::add);
    LongArrayList pending = new LongArrayList();
    fork.forEachPending(pending::add);
    for (int i = 0; i < running.size(); i++) {
      fork.finish(running.getLong(i), at);
    }
    for (int i = 0; i < pending.size() / 2; i++) {
      fork.cancel(pending.getLong(i), at);
    }
    fork.schedule(at);
  }

  @Test
  void noSampleComesAtOrAfterItsEnd() {
    Scenario s = Presets.load("single-site").withHorizonSeconds(2 * 86_400).withWarmupSeconds(86_400);
    List<Long> times = new ArrayList<>();
    new Simulation(s).sample(6 * 3600, 129_600, (at, fork) -> times.add(at)).run();
    assertThat(times).containsExactly(86_400L, 108_000L);
  }

  @Test
  void aSampleIntervalOfZeroIsRefused() {
    Scenario s = Presets.load("single-site");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Simulation(s).sample(0, (at, fork) -> { }))
        .hasMessageContaining("everySeconds must be > 0, got 0");
  }
}
