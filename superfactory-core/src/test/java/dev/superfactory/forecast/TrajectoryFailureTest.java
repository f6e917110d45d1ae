package dev.superfactory.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.reliability.CheckpointPolicy;
import dev.superfactory.reliability.FailureCause;
import dev.superfactory.reliability.FailureDraws;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.reliability.RestartCosts;
import dev.superfactory.reliability.Scope;
import dev.superfactory.sched.JobRequest;
import dev.superfactory.sched.QueuePolicies;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sched.SchedulerListener;
import dev.superfactory.workload.LogNormal;
import dev.superfactory.workload.Tenant;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A drawn trajectory charges a failure what the twin charges it, on hand-worked cases with one
 * scripted failure. One site, one domain of 8 GPUs. A (8 GPUs, 10,000 s) runs from t = 0; B (8
 * GPUs, 100 s) waits from the fork at t = 10. Checkpoints: fixed every 3,600 s of work, synchronous,
 * 1 GB per GPU at 0.1 GB/s per GPU: 10 s a write. Restart: detection 300 s, init 240 s, load
 * max(30 s floor, 10 s) = 30 s: 270 s of overhead.
 *
 * <p>The scripted cases' rate (10⁻⁹ per GPU-day) is only there to turn the model on: A's likely
 * losses before the fork are nil. With no failure A writes ⌈10,000 / 3,600⌉ − 1 = 2 checkpoints: it ends, and B starts, at
 * 10,020. A failure at 5,000: a cycle is 3,610 s, so 1 checkpoint (3,600 s of work) is durable and
 * the 1,390 s since it are lost; 6,400 s of work are left.
 */
class TrajectoryFailureTest {
  private static final long FAILS_AT = 5_000;

  private static final SchedulerListener QUIET = new SchedulerListener() {
    @Override
    public void started(long job, Allocation allocation, long now) {}
  };

  private static final Trajectory.RunTimes EXACT = new Trajectory.RunTimes() {
    @Override
    public long pendingSeconds(long job, long declaredSeconds) {
      return declaredSeconds;
    }

    @Override
    public long runningSeconds(long job, long declaredSeconds, long elapsedSeconds) {
      return declaredSeconds;
    }
  };

  /**
   * A's own crash: it holds its GPUs until the failure is detected (5,300), restarts in place after
   * 270 s, reruns its 6,400 s with one checkpoint write: ends at 5,300 + 270 + 6,400 + 10 = 11,980,
   * 1,960 s = 300 + 270 + 1,390 later than without the failure; B starts then.
   */
  @Test
  void aCrashCostsDetectionRestartAndTheWorkSinceTheLastCheckpoint() {
    Scheduler k = twoJobs(10);
    long without = startOfB(k, Scope.JOB, Double.POSITIVE_INFINITY, 0);
    long with = startOfB(k, Scope.JOB, FAILS_AT - 10, 0);
    assertThat(without).as("A writes 2 checkpoints of 10 s").isEqualTo(10_020);
    assertThat(with).isEqualTo(11_980);
    assertThat(with - without).isEqualTo(300 + 270 + 1_390);
    assertThat(startOfB(k, Scope.JOB, FAILS_AT - 10, 0)).as("the same draws, the same starts").isEqualTo(with);
  }

  /**
   * A GPU of A fails: at 5,300 A cannot restart on 7 GPUs and requeues; the GPU is repaired at
   * 5,000 + 2,000 = 7,000, when A starts again (the front of the queue), runs 270 + 6,400 + 10 s and
   * ends at 13,680; B starts then.
   */
  @Test
  void aGpuFailureRequeuesTheJobUntilTheRepairThenItRerunsFromItsCheckpoint() {
    Scheduler k = twoJobs(10);
    assertThat(startOfB(k, Scope.GPU, FAILS_AT - 10, 2_000)).isEqualTo(13_680);
  }

  /**
   * A's own crashes at 1 per GPU-day on 8 GPUs: an MTBF of 10,800 s. Forked at 5,400, A has likely
   * been interrupted 0.5 times, each costing 270 s of restart and (3,600 + 10) ÷ 2 = 1,805 s of lost
   * work: round(0.5 × 2,075) = 1,038 s more work. With no failure after the fork it runs 11,038 s of
   * work with 3 writes from t = 0: it ends, and B starts, at 11,068.
   */
  @Test
  void aJobRunningAtTheForkCarriesItsLikelyEarlierLosses() {
    Scheduler k = twoJobs(5_400);
    assertThat(startOfB(k, Scope.JOB, 1, Double.POSITIVE_INFINITY, 0)).isEqualTo(11_068);
  }

  /** The same seed draws the same forecast with the failure charges on (real draws, a high crash rate). */
  @Test
  void drawnFailuresGiveTheSameForecastForTheSameSeed() {
    Scheduler k = twoJobs(10);
    ReliabilitySpec spec = spec(Scope.JOB, 2);
    Forecaster.Settings s = new Forecaster.Settings(30 * 86_400L, 0, 8, 9, RunTimeDraw.EXACT, spec, 2);
    Forecast a = new Forecaster(s).forecast(k);
    Forecast b = new Forecaster(s).forecast(k);
    assertThat(a.startOf(2)).isEqualTo(b.startOf(2));
    assertThat(a.startOf(2).p90Seconds()).as("crashes every half day or so delay A").isGreaterThan(10_020);
  }

  /** B's start in a trajectory where one failure of {@code scope} hits GPU 0 {@code gapSeconds} after the fork. */
  private static long startOfB(Scheduler k, Scope scope, double gapSeconds, long repairSeconds) {
    return startOfB(k, scope, 1e-9, gapSeconds, repairSeconds);
  }

  /** As above, with the cause's rate {@code perGpuDay} (the model's MTBF; the failure is scripted). */
  private static long startOfB(Scheduler k, Scope scope, double perGpuDay, double gapSeconds, long repairSeconds) {
    Long2IntOpenHashMap index = new Long2IntOpenHashMap();
    index.put(2, 0);
    Trajectory t = new Trajectory(k, index, EXACT, spec(scope, perGpuDay), fork -> new Trajectory.Failures() {
      private boolean drawn;

      @Override
      public double nextGap(int c) {
        boolean first = !drawn;
        drawn = true;
        return first ? gapSeconds : Double.POSITIVE_INFINITY;
      }

      @Override
      public FailureDraws.Hit pick(int c) {
        return new FailureDraws.Hit(0, 1, 0, -1);
      }

      @Override
      public long repairSeconds(int c) {
        return repairSeconds;
      }
    });
    return t.run(k.now() + 30 * 86_400L, new PassGrid(k.now(), 0, 0))[0];
  }

  private static ReliabilitySpec spec(Scope scope, double perGpuDay) {
    LogNormal repair = new LogNormal(3_600, 14_400, 600, 86_400);
    FailureCause cause = new FailureCause("x", scope, perGpuDay, 0, scope == Scope.JOB ? null : repair, "test");
    return new ReliabilitySpec(true, 8, List.of(cause), List.of(), new RestartCosts(300, 240, 30),
        new CheckpointPolicy(false, 3_600, false, 0.02, 1e9, 1e8, 1e12), 0, false);
  }

  /** A runs from 0; B is submitted at {@code forkAt}, the snapshot's time. */
  private static Scheduler twoJobs(long forkAt) {
    Scheduler k = new Scheduler(Fleets.uniform(1, 1, 8), List.of(new Tenant("a", "A", 32)),
        QueuePolicies.create("fifo-backfill", null), Scheduler.Options.DEFAULT, QUIET);
    k.submit(1, new JobRequest(0, 8, 1, false, 10_000), 0);
    k.schedule(0);
    k.submit(2, new JobRequest(0, 8, 1, false, 100), forkAt);
    k.schedule(forkAt);
    return k;
  }
}
