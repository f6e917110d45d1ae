package dev.superfactory.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.reliability.FailureCause;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.reliability.Scope;
import dev.superfactory.sched.JobRequest;
import dev.superfactory.sched.KernelDigest;
import dev.superfactory.sched.QueuePolicies;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sched.SchedulerListener;
import dev.superfactory.workload.LogNormal;
import dev.superfactory.workload.Tenant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forecasts on hand-worked cases (exact run times), their determinism, and the snapshot left untouched. */
class ForecasterTest {
  private static final SchedulerListener QUIET = new SchedulerListener() {
    @Override
    public void started(long job, Allocation allocation, long now) {}
  };

  private static Scheduler kernel(Fleet fleet, String policy) {
    return new Scheduler(fleet, List.of(new Tenant("a", "A", 4 * fleet.totalGpus())), QueuePolicies.create(policy, null),
        Scheduler.Options.DEFAULT, QUIET);
  }

  private static Forecast exact(Scheduler snapshot, long horizonSeconds) {
    return new Forecaster(new Forecaster.Settings(horizonSeconds, 0, 0, 1, RunTimeDraw.DEFAULT, ReliabilitySpec.off(), 1))
        .forecast(snapshot);
  }

  /**
   * One site, 2 domains × 8 GPUs = 16. A (16 GPUs, 100 s) runs from t = 0. At t = 10, B (8 GPUs,
   * 50 s), C (16, 30 s), D (8, 200 s) wait, in that order. At 100 A ends: B starts (8 free); C
   * cannot, so it is promised B's end, 150, with 16 − 16 = 0 spare; D would end at 300 > 150 and
   * needs 8 > 0 spare, so it waits. At 150 B ends: C starts, ends at 180; then D starts at 180.
   */
  @Test
  void fifoBackfillStartsEachJobWhenTheHandWorkedScheduleSays() {
    Scheduler k = fourJobs();
    Forecast f = exact(k, 86_400);
    assertThat(f.fromSeconds()).isEqualTo(10);
    assertThat(f.startOf(2).exactSeconds()).isEqualTo(100);
    assertThat(f.startOf(3).exactSeconds()).isEqualTo(150);
    assertThat(f.startOf(4).exactSeconds()).isEqualTo(180);
    assertThat(f.startOf(1)).as("a running job is not forecast").isNull();
  }

  /**
   * The same queue with passes only every 60 s from the fork at t = 10 (ticks 70, 130, 190, 250):
   * A ends at 100, the pass at 130 starts B (ends 180); the pass at 190 starts C (ends 220); the
   * pass at 250 starts D.
   */
  @Test
  void withAPassIntervalJobsStartOnTheNextTick() {
    Scheduler k = fourJobs();
    Forecast f = new Forecaster(new Forecaster.Settings(86_400, 60, 0, 1, RunTimeDraw.DEFAULT, ReliabilitySpec.off(), 1))
        .forecast(k);
    assertThat(f.startOf(2).exactSeconds()).isEqualTo(130);
    assertThat(f.startOf(3).exactSeconds()).isEqualTo(190);
    assertThat(f.startOf(4).exactSeconds()).isEqualTo(250);
  }

  /**
   * 8 GPUs. A (8 GPUs, 1,500 s) runs from t = 0; B (8 GPUs, 100 s) then C (8 GPUs) wait. With a
   * pass at every event B starts at 1,500 and C at 1,600. On the 100 s / 10% grid (ticks ...,
   * 1000, 1100, 1210, 1331, 1464, 1610, 1771) B starts at the tick after A's end, 1,610: 110 s late,
   * within max(100, 10% × 1,500); C at the tick after B's end (1,710), 1,771: 61 s after it, but
   * 171 s after its every-event start, more than 10% of its lead (160 s): delays add up along a
   * chain of starts.
   */
  @Test
  void onTheGrowingGridAStartWaitsForTheNextTickAndDelaysAddUp() {
    Scheduler k = kernel(Fleets.uniform(1, 1, 8), "fifo-backfill");
    k.submit(1, new JobRequest(0, 8, 1, false, 1_500), 0);
    k.schedule(0);
    k.submit(2, new JobRequest(0, 8, 1, false, 100), 0);
    k.submit(3, new JobRequest(0, 8, 1, false, 100), 0);
    k.schedule(0);
    Forecaster.Settings grid = new Forecaster.Settings(86_400, 100, 0, 1, RunTimeDraw.DEFAULT, ReliabilitySpec.off(), 1,
        0.1);
    Forecast f = new Forecaster(grid).forecast(k);
    assertThat(f.startOf(2).exactSeconds()).isEqualTo(1_610);
    assertThat(f.startOf(3).exactSeconds()).isEqualTo(1_771);
    Forecast fine = new Forecaster(grid.everyEvent()).forecast(k);
    assertThat(fine.startOf(2).exactSeconds()).isEqualTo(1_500);
    assertThat(fine.startOf(3).exactSeconds()).isEqualTo(1_600);
  }

  /** The default (60 s / 2% grid, 8 draws) is deterministic, whatever the threads, and runs far fewer passes than events. */
  @Test
  void theDefaultGridIsDeterministicAndRunsFewerPasses() {
    Scheduler k = busyKernel();
    Forecaster.Settings d = Forecaster.Settings.defaults(42);
    assertThat(d.passResolution()).isEqualTo(0.02);
    Forecaster one = new Forecaster(new Forecaster.Settings(d.horizonSeconds(), d.passIntervalSeconds(), d.draws(), 42,
        d.runTimes(), d.reliability(), 1, d.passResolution()));
    Forecaster two = new Forecaster(new Forecaster.Settings(d.horizonSeconds(), d.passIntervalSeconds(), d.draws(), 42,
        d.runTimes(), d.reliability(), 2, d.passResolution()));
    Forecast a = one.forecast(k);
    Forecast b = two.forecast(k);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.start(i)).as("job %d", a.job(i)).isEqualTo(a.start(i));
    }
    Forecaster fine = new Forecaster(new Forecaster.Settings(d.horizonSeconds(), 0, d.draws(), 42, d.runTimes(),
        d.reliability(), 2));
    fine.forecast(k);
    assertThat(one.lastPassesByTrajectory()).hasSize(9);
    assertThat(one.lastPasses()).isEqualTo(two.lastPasses()).isLessThan(fine.lastPasses());
  }

  /**
   * 16 GPUs. A (8 GPUs, 100 s) and E (8 GPUs, 300 s) run from t = 0. B (16 GPUs, 10 s) and C (8
   * GPUs, 50 s) wait. At 100 A ends: B cannot start (8 free), promised E's end, 300; C ends at
   * 150 ≤ 300, so it backfills at 100. B starts at 300. With a 200 s horizon B gets no start.
   */
  @Test
  void aShortJobBackfillsAheadOfTheHeadAndTheHorizonCutsOff() {
    Scheduler k = kernel(Fleets.uniform(1, 2, 8), "fifo-backfill");
    k.submit(1, new JobRequest(0, 8, 1, false, 100), 0);
    k.submit(5, new JobRequest(0, 8, 1, false, 300), 0);
    k.schedule(0);
    k.submit(2, new JobRequest(0, 16, 1, false, 10), 0);
    k.submit(3, new JobRequest(0, 8, 1, false, 50), 0);
    k.schedule(0);
    Forecast f = exact(k, 86_400);
    assertThat(f.startOf(2).exactSeconds()).isEqualTo(300);
    assertThat(f.startOf(3).exactSeconds()).isEqualTo(100);
    Forecast shortHorizon = exact(k, 200);
    assertThat(shortHorizon.startOf(2).exactSeconds()).isEqualTo(Forecast.NONE);
    assertThat(shortHorizon.startOf(3).exactSeconds()).isEqualTo(100);
  }

  /**
   * Two sites of 1 block × 2 domains × 8 GPUs; a running job's expected end counts from its
   * start: A (8 GPUs on one site, 1,000 s) started at t = 0 and the fork is at t = 400, so it
   * ends at 1,000. B (16 GPUs, one site) fills a site at t = 0 and runs 500 s. Pending at 400: C
   * (16 GPUs, one site only) starts at 500 on the site B frees.
   */
  @Test
  void runningJobsEndAtTheirStartPlusTheirDeclaredTime() {
    Scheduler k = kernel(Fleets.sites(2, 1, 2, 8), "fifo");
    k.submit(1, new JobRequest(0, 8, 1, false, 1_000), 0);
    k.submit(2, new JobRequest(0, 16, 1, false, 500), 0);
    k.schedule(0);
    k.submit(3, new JobRequest(0, 16, 1, false, 60), 400);
    k.schedule(400);
    assertThat(k.isPending(3)).isTrue();
    assertThat(exact(k, 86_400).startOf(3).exactSeconds()).isEqualTo(500);
  }

  /**
   * A job interrupted before the fork recovers at the fork and ends as much later as it stood
   * still. 2 domains × 8 GPUs. A (8 GPUs, 1,000 s) starts at 0 on one domain; its first GPU fails
   * at 100: A is interrupted. B (9 GPUs) waits from 400. At the fork (400) A recovers on the other
   * domain, expected to end at 1,000 + 300 = 1,300; its old domain keeps 7 usable GPUs, so B
   * starts at 1,300 (at 1,000 if the time A stood still were forgotten).
   */
  @Test
  void aJobInterruptedAtTheForkEndsAsMuchLaterAsItStoodStill() {
    Scheduler k = kernel(Fleets.uniform(1, 2, 8), "fifo-backfill");
    k.submit(1, new JobRequest(0, 8, 1, false, 1_000), 0);
    k.schedule(0);
    int d = k.allocation(1).domain(0);
    k.gpusDown(d * 8, 1, 100, false);
    k.submit(2, new JobRequest(0, 9, 1, false, 60), 400);
    k.schedule(400);
    assertThat(k.state(1)).isEqualTo(Scheduler.JobState.INTERRUPTED);
    assertThat(exact(k, 86_400).startOf(2).exactSeconds()).isEqualTo(1_300);
    assertThat(k.state(1)).as("the snapshot's job stays interrupted").isEqualTo(Scheduler.JobState.INTERRUPTED);
  }

  @Test
  void theSameSeedGivesTheSameForecastAndTheSnapshotIsUntouched() {
    Scheduler k = busyKernel();
    KernelDigest before = k.digest();
    Forecaster.Settings settings = new Forecaster.Settings(30 * 86_400L, 0, 8, 42, RunTimeDraw.DEFAULT,
        ReliabilitySpec.off(), 2);
    Forecast a = new Forecaster(settings).forecast(k);
    Forecast b = new Forecaster(settings).forecast(k);
    assertThat(k.digest().firstDifference(before)).as("the snapshot moved").isNull();
    assertThat(a.size()).isEqualTo(k.pendingCount()).isGreaterThan(50);
    int drawnEarlier = 0;
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.start(i)).as("job %d", a.job(i)).isEqualTo(a.start(i));
      assertThat(a.start(i).p50Seconds()).isLessThanOrEqualTo(a.start(i).p90Seconds());
      drawnEarlier += a.start(i).p50Seconds() < a.start(i).exactSeconds() ? 1 : 0;
    }
    assertThat(drawnEarlier).as("jobs ending before their limits let most jobs start earlier").isGreaterThan(a.size() / 2);
    Forecast other = new Forecaster(new Forecaster.Settings(30 * 86_400L, 0, 8, 43, RunTimeDraw.DEFAULT,
        ReliabilitySpec.off(), 2)).forecast(k);
    boolean differs = false;
    for (int i = 0; i < a.size() && !differs; i++) {
      differs = !other.start(i).equals(a.start(i));
    }
    assertThat(differs).as("another seed draws other run times").isTrue();
  }

  /**
   * With the reliability model on, the draws take failures too (GPUs, the WAN link, jobs' own
   * crashes, at rates high enough to hit this small fleet): the same seed gives the same
   * forecast, the snapshot does not move, and the p90 differs from the draws without failures.
   */
  @Test
  void failuresAreDrawnDeterministicallyAndMoveTheForecast() {
    Scheduler k = busyKernel();
    KernelDigest before = k.digest();
    LogNormal repair = new LogNormal(3_600, 14_400, 600, 86_400);
    ReliabilitySpec failures = new ReliabilitySpec(true, 8, List.of(
        new FailureCause("gpu", Scope.GPU, 0.2, 0, repair, "test"),
        new FailureCause("wan", Scope.WAN, 0, 48, repair, "test"),
        new FailureCause("software", Scope.JOB, 0.1, 0, null, "test")), List.of(), ReliabilitySpec.off().restart(),
        ReliabilitySpec.off().checkpoint(), 0, false);
    Forecaster.Settings with = new Forecaster.Settings(30 * 86_400L, 0, 8, 42, RunTimeDraw.DEFAULT, failures, 2);
    Forecast a = new Forecaster(with).forecast(k);
    Forecast b = new Forecaster(with).forecast(k);
    Forecast without = new Forecaster(new Forecaster.Settings(30 * 86_400L, 0, 8, 42, RunTimeDraw.DEFAULT,
        ReliabilitySpec.off(), 2)).forecast(k);
    assertThat(k.digest().firstDifference(before)).as("the snapshot moved").isNull();
    boolean differs = false;
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.start(i)).isEqualTo(a.start(i));
      assertThat(a.start(i).exactSeconds()).as("the exact run draws no failures").isEqualTo(without.start(i).exactSeconds());
      differs |= a.start(i).p90Seconds() != without.start(i).p90Seconds();
    }
    assertThat(differs).isTrue();
  }

  /** A (16 GPUs, 100 s) runs from t = 0 on 2 domains × 8 GPUs; B, C, D wait from t = 10 (see the first case). */
  private static Scheduler fourJobs() {
    Scheduler k = kernel(Fleets.uniform(1, 2, 8), "fifo-backfill");
    k.submit(1, new JobRequest(0, 16, 1, false, 100), 0);
    k.schedule(0);
    k.submit(2, new JobRequest(0, 8, 1, false, 50), 10);
    k.submit(3, new JobRequest(0, 16, 1, false, 30), 10);
    k.submit(4, new JobRequest(0, 8, 1, false, 200), 10);
    k.schedule(10);
    return k;
  }

  /** 2 sites × 2 blocks × 3 domains × 8 GPUs, full, with 100 jobs of 1–24 GPUs waiting. */
  private static Scheduler busyKernel() {
    Scheduler k = kernel(Fleets.sites(2, 2, 3, 8), "fifo-backfill");
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    for (int j = 0; j < 130; j++) {
      k.submit(j, new JobRequest(0, 1 + r.nextInt(24), 1, r.nextBoolean(), 600 + r.nextInt(7_200)), j);
    }
    k.schedule(130);
    return k;
  }
}
