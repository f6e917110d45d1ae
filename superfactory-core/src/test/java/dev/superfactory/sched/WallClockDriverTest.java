package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.workload.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel driven as a live service drives it: no simulation anywhere, commands one at a time
 * at wall-clock times in epoch milliseconds (converted to the kernel's seconds by the driver, as
 * the service will), every decision checked. Fleet: two sites s0 and s1, each one block of two
 * 8-GPU domains (GPUs 0–15 on s0, 16–31 on s1). Tenants a (limit 32 GPUs) and b (limit 16).
 */
class WallClockDriverTest {
  /** 2025-11-30T10:13:20Z in epoch milliseconds. */
  static final long EPOCH_MS = 1_764_497_600_000L;
  static final long T0 = EPOCH_MS / 1000;

  private final Fleet fleet = Fleets.sites(2, 1, 2, 8);
  private KernelLog log;
  private Scheduler kernel;
  private long clockMs;

  @BeforeEach
  void start() {
    log = new KernelLog(T0);
    kernel = new Scheduler(fleet, List.of(new Tenant("a", "A", 32), new Tenant("b", "B", 16)),
        QueuePolicies.create("fifo-backfill", null), Scheduler.Options.DEFAULT, log);
    clockMs = EPOCH_MS;
  }

  /** The wall clock moves to {@code T0 + seconds} plus {@code millis}; returns the kernel's time. */
  private long at(long seconds, long millis) {
    clockMs = EPOCH_MS + seconds * 1000 + millis;
    return Math.floorDiv(clockMs, 1000);
  }

  private long at(long seconds) {
    return at(seconds, 0);
  }

  private void submit(long job, int tenant, int gpus, long expectedSeconds, long now) {
    kernel.submit(job, new JobRequest(tenant, gpus, 8, false, expectedSeconds), now);
  }

  private void schedule(long now) {
    kernel.schedule(now);
    kernel.checkInvariants();
  }

  /**
   * t0: 101 (a, 8 GPUs, declared 100 s) and 102 (a, 16, 1 h) start; 103 (b, 16, 10 min) finds only
   * 8 free on s0 and reserves s0 at t0 + 100 s, when 101 is expected to end (the probe's bug: with
   * packed epoch-millisecond keys this came back at now + 1 ms). t0 + 1.25 s: 104 (b, 8, 50 s)
   * ends by then and backfills; 105 (a, 8, 1,000 s) would not, and the reserved site s0 has no
   * spare GPUs then, so it may only go to s1, which is full; cancelled while pending.
   */
  @Test
  void startsReservesBackfillsAndCancels() {
    long t = at(0, 400);
    submit(101, 0, 8, 100, t);
    submit(102, 0, 16, 3600, t);
    submit(103, 1, 16, 600, t);
    schedule(t);
    assertThat(log.take()).containsExactly(
        "queued 101 @+0", "queued 102 @+0", "queued 103 @+0",
        "started 101 s0=8 s1=0 @+0", "started 102 s0=0 s1=16 @+0", "deferred 103 NO_CAPACITY @+0");
    assertThat(kernel.reservation()).isEqualTo(new Scheduler.Promise(103, T0 + 100, 0));
    assertThat(kernel.pendingReason(103)).isEqualTo(PendingReason.NO_CAPACITY);

    t = at(1, 250);
    submit(104, 1, 8, 50, t);
    submit(105, 0, 8, 1000, t);
    schedule(t);
    assertThat(log.take()).containsExactly(
        "queued 104 @+1", "queued 105 @+1", "started 104 s0=8 s1=0 @+1", "deferred 105 NO_CAPACITY @+1");
    assertThat(kernel.cancel(105, at(2))).isTrue();
    assertThat(kernel.cancel(105, at(2))).isFalse();
    assertThat(log.take()).containsExactly("cancelled 105 pending @+2");
    assertThat(kernel.isPending(105)).isFalse();
    kernel.checkInvariants();
  }

  /**
   * Continuing: 104 finishes on time (t0 + 51); at t0 + 60 domain 2 (GPUs 16–23, half of 102's
   * gang on s1) fails: 102 is interrupted and holds its GPUs. At t0 + 90 it recovers: it may not
   * span sites, and s1 has no other healthy domain, so it releases its 16 GPUs and goes to the
   * front of the queue, ahead of 103; neither fits (8 free on each site): 102 reserves s0 for
   * t0 + 100 and 103, which would end later, may not use s0 meanwhile. 101 finishes at t0 + 100:
   * 102 starts on s0; 103 waits for s1 until domain 2 is repaired at t0 + 200, then starts there.
   */
  @Test
  void failureRequeuesAtTheFrontAndARepairLetsTheQueueMove() {
    startsReservesBackfillsAndCancels();
    long t = at(51);
    kernel.finish(104, t);
    schedule(t);
    assertThat(log.take()).containsExactly("finished 104 @+51");

    t = at(60, 5);
    kernel.gpusDown(16, 8, t, false);
    schedule(t);
    assertThat(log.take()).containsExactly("interrupted 102 FAILURE @+60");
    assertThat(kernel.state(102)).isEqualTo(Scheduler.JobState.INTERRUPTED);
    assertThat(kernel.fleetState().downGpus()).isEqualTo(8);

    t = at(90);
    kernel.recover(102, t);
    schedule(t);
    assertThat(log.take()).containsExactly("requeued 102 released 16 @+90",
        "deferred 102 FRAGMENTED @+90", "deferred 103 RESERVATION @+90");
    assertThat(kernel.pendingCount()).isEqualTo(2);
    assertThat(kernel.reservation()).isEqualTo(new Scheduler.Promise(102, T0 + 100, 0)); // 101's end frees s0

    t = at(100);
    kernel.finish(101, t);
    schedule(t);
    assertThat(log.take()).containsExactly("finished 101 @+100", "started 102 s0=16 s1=0 @+100",
        "deferred 103 NO_CAPACITY @+100");

    t = at(200);
    kernel.gpusUp(16, 8, t);
    schedule(t);
    assertThat(log.take()).containsExactly("started 103 s0=0 s1=16 @+200");

    t = at(300);
    assertThat(kernel.cancel(103, t)).isTrue();
    kernel.finish(102, t);
    schedule(t);
    assertThat(log.take()).containsExactly("cancelled 103 released 16 @+300", "finished 102 @+300");
    assertThat(kernel.fleetState().freeGpus()).isEqualTo(32);
    assertThat(kernel.runningCount() + kernel.pendingCount()).isZero();
    kernel.checkInvariants();
  }

  /** A gang larger than its tenant's limit can never run: rejected at once, never queued. */
  @Test
  void aJobLargerThanItsTenantLimitIsRejected() {
    submit(7, 1, 24, 60, at(0));
    assertThat(log.take()).containsExactly("rejected 7 TOO_LARGE @+0");
    assertThat(kernel.state(7)).isEqualTo(Scheduler.JobState.GONE);
  }

  /**
   * The kernel's arithmetic does not depend on small times: the same first step with every time
   * and duration in epoch milliseconds (values near 1.8e12) gives the reservation at exactly
   * now + 100,000.
   */
  @Test
  void arithmeticHoldsAtEpochMillisecondMagnitudes() {
    long t = EPOCH_MS;
    submit(1, 0, 8, 100_000, t);
    submit(2, 0, 16, 3_600_000, t);
    submit(3, 1, 16, 600_000, t);
    schedule(t);
    assertThat(kernel.reservation().startSeconds()).isEqualTo(EPOCH_MS + 100_000);
    submit(4, 1, 8, Long.MAX_VALUE - 5, t + 1); // an end beyond Long range saturates instead of wrapping
    schedule(t + 1);
    assertThat(kernel.isPending(4)).isTrue();
    assertThat(kernel.pendingReason(4)).isEqualTo(PendingReason.RESERVATION); // 8 free, but on the reserved site
  }

  @Test
  void commandsOutOfTimeOrderAreRefusedWithBothTimes() {
    schedule(at(10));
    assertThatThrownBy(() -> kernel.schedule(at(9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Long.toString(T0 + 9)).hasMessageContaining(Long.toString(T0 + 10));
  }

  @Test
  void unknownAndDuplicateJobsAreRefusedByName() {
    submit(5, 0, 8, 60, at(0));
    assertThatThrownBy(() -> submit(5, 0, 8, 60, at(0))).hasMessageContaining("job 5 is already");
    assertThatThrownBy(() -> kernel.finish(6, at(0))).hasMessageContaining("job 6 is not in the scheduler");
    assertThatThrownBy(() -> kernel.finish(5, at(0))).hasMessageContaining("job 5 is not running");
    assertThatThrownBy(() -> kernel.gpusDown(30, 8, at(0), false)).hasMessageContaining("[30, 38)");
  }
}
