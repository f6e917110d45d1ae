package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.sched.Scheduler.JobState;
import dev.superfactory.workload.Contract;
import dev.superfactory.workload.Tenant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pass refuses in O(1) a gang at least as large as one of the same shape that already failed on
 * the same sites, whatever those sites are: all of them, a tenant's contracted ones, or all but the
 * one the EASY reservation holds. Fleet: two sites, each one block of four 8-GPU domains.
 * Tenant a may use site 0 only; b may use both.
 */
class PassMemoTest {
  private static final long HOUR = 3600;
  private static final int QUEUED = 1000;

  private final Fleet fleet = Fleets.sites(2, 1, 4, 8);
  private final Contract siteZeroOnly = new Contract(0, 0, 64, true, 50, true, 1L, 1.0,
      Contract.DEFAULT_RESERVED_USD_PER_GPU_HOUR, Contract.DEFAULT_ON_DEMAND_USD_PER_GPU_HOUR, false);
  private final Scheduler kernel = new Scheduler(fleet,
      List.of(new Tenant("a", "A", 64, siteZeroOnly), new Tenant("b", "B", 64)),
      QueuePolicies.create("fifo-backfill", null), Scheduler.Options.DEFAULT, new KernelLog(0));

  @Test
  void aSiteRestrictedQueueOfGangsThatCannotFitIsRefusedWithoutPlanningEachOne() {
    // four 6-GPU jobs of a, one per domain of site 0: 8 GPUs free there, in pieces of 2
    for (int i = 1; i <= 4; i++) {
      kernel.submit(i, new JobRequest(0, 6, 1, false, HOUR), 0);
      kernel.schedule(0);
      assertThat(kernel.state(i)).isEqualTo(JobState.RUNNING);
      assertThat(fleet.domainSite(kernel.allocation(i).domain(0))).isZero();
    }
    // a's whole-domain gangs: site 0 has 8 free GPUs but no free domain, and a may not use site 1
    for (int i = 0; i < QUEUED; i++) {
      kernel.submit(100 + i, new JobRequest(0, 8, 8, false, HOUR), 10);
    }
    long before = kernel.placementsPlanned();
    kernel.schedule(10);
    long planned = kernel.placementsPlanned() - before;
    kernel.checkInvariants();

    for (int i = 0; i < QUEUED; i++) {
      assertThat(kernel.state(100 + i)).isEqualTo(JobState.PENDING);
    }
    assertThat(kernel.pendingReason(100)).isEqualTo(PendingReason.FRAGMENTED);
    assertThat(planned).as("placements planned for %d identical gangs", QUEUED).isLessThanOrEqualTo(4);

    // b's gang of the same shape is not refused by a's failures: site 1 has whole domains free
    kernel.submit(5000, new JobRequest(1, 8, 8, false, HOUR), 20);
    kernel.schedule(20);
    kernel.checkInvariants();
    assertThat(kernel.state(5000)).isEqualTo(JobState.RUNNING);
    assertThat(fleet.domainSite(kernel.allocation(5000).domain(0))).isEqualTo(1);
  }

  @Test
  void aFullPassOverTheQueueAfterCapacityIsFreedPlansEachShapeOnce() {
    for (int i = 1; i <= 4; i++) {
      kernel.submit(i, new JobRequest(0, 6, 1, false, HOUR), 0);
      kernel.schedule(0);
    }
    for (int i = 0; i < QUEUED; i++) {
      kernel.submit(100 + i, new JobRequest(0, 8, 8, false, HOUR), 10);
    }
    kernel.schedule(10);
    kernel.finish(1, 20); // a domain of site 0 is whole again: one gang starts, the rest fail again
    long before = kernel.placementsPlanned();
    kernel.schedule(20);
    long planned = kernel.placementsPlanned() - before;
    kernel.checkInvariants();

    assertThat(kernel.state(100)).isEqualTo(JobState.RUNNING);
    assertThat(kernel.state(101)).isEqualTo(JobState.PENDING);
    assertThat(planned).as("placements planned in a full pass over %d gangs", QUEUED).isLessThanOrEqualTo(4);
  }
}
