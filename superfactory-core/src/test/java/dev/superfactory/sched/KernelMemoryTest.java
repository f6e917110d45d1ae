package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.workload.Tenant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded over an unbounded stream of jobs: slots are reused, so 10,000,000 jobs
 * passing through with at most 10,000 live at once leave the kernel's arrays exactly as large as
 * after the first 10,000.
 */
class KernelMemoryTest {
  private static final int LIVE = 10_000;
  private static final int ROUNDS = 1_000; // 10,000,000 jobs

  /** Counts starts, so the test knows every job really ran. */
  private static final class Starts implements SchedulerListener {
    long started;

    @Override
    public void started(long job, Allocation allocation, long now) {
      started++;
    }
  }

  /**
   * Each round submits 10,000 one-GPU jobs (ids keep growing), starts them in one pass, cancels
   * one in ten while pending and finishes the rest. Bound: the job table's arrays reach 16,384
   * slots (the power of two above 10,000) and stay there; the kernel's arrays without the fleet
   * state stay under 2 MiB (≈ 80 bytes per slot plus the id map).
   */
  @Test
  void tenMillionJobsThroughTenThousandSlotsKeepTheArraysBounded() {
    Starts starts = new Starts();
    Scheduler kernel = new Scheduler(Fleets.uniform(1, 1280, 8), List.of(new Tenant("a", "A", 10_240)),
        QueuePolicies.create("fifo-backfill", null), Scheduler.Options.DEFAULT, starts);
    JobRequest oneGpu = new JobRequest(0, 1, 1, false, 60);
    long fleetBytes = kernel.fleetState().footprintBytes();
    long id = 0;
    int capacityAfterFirstRound = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long t = round * 100L;
      long first = id;
      for (int i = 0; i < LIVE; i++) {
        kernel.submit(id++, oneGpu, t);
      }
      for (long j = first; j < id; j += 10) {
        kernel.cancel(j, t);
      }
      kernel.schedule(t);
      for (long j = first; j < id; j++) {
        if (j % 10 != first % 10) {
          kernel.finish(j, t + 60);
        }
      }
      kernel.schedule(t + 60);
      if (round == 0) {
        capacityAfterFirstRound = kernel.jobCapacity();
        kernel.checkInvariants();
      }
    }
    kernel.checkInvariants();
    assertThat(id).isEqualTo(10_000_000L);
    assertThat(starts.started).isEqualTo(9_000_000L);
    assertThat(kernel.runningCount() + kernel.pendingCount()).isZero();
    assertThat(capacityAfterFirstRound).isEqualTo(16_384);
    assertThat(kernel.jobCapacity()).isEqualTo(capacityAfterFirstRound);
    assertThat(kernel.footprintBytes() - fleetBytes).isLessThan(2L << 20);
  }
}
