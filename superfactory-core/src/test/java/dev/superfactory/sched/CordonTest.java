package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.sched.Scheduler.JobState;
import dev.superfactory.workload.Tenant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Cordon against drain (Kubernetes' semantics), one hand-worked case each, invariants checked
 * after every command. Fleet: one block of four 8-GPU domains, domain d = GPUs 8d..8d+7 (32 GPUs).
 * A first job lands in domain 3 (best-fit ties at the start: the highest-numbered domain); a
 * 4-GPU job would best-fit next to it (4 free, the fewest that hold it) unless domain 3 is
 * cordoned.
 */
class CordonTest {
  private static final long HOUR = 3600;

  private final Fleet fleet = Fleets.uniform(1, 4, 8);
  private final KernelLog log = new KernelLog(0);
  private final Scheduler kernel = new Scheduler(fleet, List.of(new Tenant("a", "A", 64)),
      QueuePolicies.create("fifo-backfill", null), Scheduler.Options.DEFAULT, log);

  private void step(Runnable command) {
    command.run();
    kernel.checkInvariants();
  }

  private void start(long job, int gpus, long t) {
    step(() -> kernel.submit(job, new JobRequest(0, gpus, 1, false, HOUR), t));
    step(() -> kernel.schedule(t));
  }

  private int domainOf(long job) {
    return kernel.allocation(job).domain(0);
  }

  private void cordon(int domain, long t) {
    step(() -> kernel.cordon(8 * domain, 8, t));
  }

  private int downIn(int domain) {
    return (int) IntStream.range(8 * domain, 8 * domain + 8).filter(kernel.fleetState()::isDown).count();
  }

  @Test
  void aCordonedDomainKeepsItsJobRunningTakesNoNewOneAndStaysOutAfterTheJobEnds() {
    start(1, 4, 0);
    assertThat(domainOf(1)).isEqualTo(3);
    Allocation before = kernel.allocation(1);
    cordon(3, 10);
    assertThat(kernel.state(1)).isEqualTo(JobState.RUNNING);
    assertThat(kernel.allocation(1)).isSameAs(before);
    assertThat(kernel.fleetState().domainFreeGpus(3)).isZero();
    start(2, 4, 20); // would best-fit the 4 free GPUs of domain 3
    assertThat(domainOf(2)).isNotEqualTo(3);
    step(() -> kernel.finish(1, 30));
    assertThat(kernel.fleetState().domainFreeGpus(3)).as("released, still cordoned").isZero();
    assertThat(downIn(3)).isEqualTo(8);
    assertThat(kernel.domainCordonedGpus(3)).isEqualTo(8);
    assertThat(kernel.siteCordonedGpus(0)).isEqualTo(8);
    assertThat(kernel.fleetState().freeGpus()).isEqualTo(32 - 8 - 4);
    step(() -> assertThat(kernel.uncordon(24, 8, 40)).isEqualTo(8));
    assertThat(kernel.fleetState().domainFreeGpus(3)).isEqualTo(8);
    start(3, 8, 50); // a whole domain: 3 is the only one wholly free
    assertThat(domainOf(3)).isEqualTo(3);
  }

  @Test
  void cordoningTwiceOrUncordoningWhatIsNotCordonedChangesNothing() {
    step(() -> assertThat(kernel.cordon(0, 8, 0)).isEqualTo(8));
    step(() -> assertThat(kernel.cordon(4, 8, 0)).isEqualTo(4)); // GPUs 8..11 are new
    step(() -> assertThat(kernel.uncordon(16, 16, 0)).isZero());
    assertThat(kernel.fleetState().downGpus()).isEqualTo(12);
    step(() -> assertThat(kernel.uncordon(0, 12, 0)).isEqualTo(12));
    assertThat(kernel.fleetState().downGpus()).isZero();
  }

  @Test
  void aGpuCordonedAndFailedStaysDownUntilBothEnd() {
    cordon(1, 0);
    step(() -> kernel.gpusDown(8, 2, 0, false));
    step(() -> kernel.uncordon(8, 8, 10));
    assertThat(downIn(1)).as("the failed pair is still down").isEqualTo(2);
    cordon(1, 20);
    step(() -> kernel.gpusUp(8, 2, 30));
    assertThat(downIn(1)).as("repaired, still cordoned").isEqualTo(8);
    step(() -> kernel.uncordon(8, 8, 40));
    assertThat(downIn(1)).isZero();
  }

  @Test
  void drainingACordonedDomainStopsItsJobAndUncordonLeavesItDrained() {
    start(1, 8, 0);
    cordon(3, 10);
    step(() -> kernel.gpusDown(24, 8, 20, true));
    assertThat(kernel.state(1)).isEqualTo(JobState.INTERRUPTED);
    step(() -> kernel.recover(1, 20));
    assertThat(domainOf(1)).isNotEqualTo(3);
    step(() -> kernel.uncordon(24, 8, 30));
    assertThat(downIn(3)).as("still drained").isEqualTo(8);
    step(() -> kernel.gpusUp(24, 8, 40));
    assertThat(downIn(3)).isZero();
  }

  @Test
  void aJobOnACordonedDomainThatFailsRestartsElsewhere() {
    start(1, 4, 0);
    cordon(3, 10);
    step(() -> kernel.jobFailed(1, 20));
    step(() -> kernel.recover(1, 20));
    assertThat(kernel.state(1)).isEqualTo(JobState.RUNNING);
    assertThat(domainOf(1)).as("a restart is a new start: not on the cordoned domain").isNotEqualTo(3);
    assertThat(log.take()).anyMatch(l -> l.startsWith("restarted 1"));
    assertThat(kernel.fleetState().domainFreeGpus(3)).isZero();
    assertThat(downIn(3)).isEqualTo(8);
  }

  @Test
  void aJobWithNowhereElseToRestartGoesBackToTheQueue() {
    start(1, 32, 0);
    cordon(0, 10);
    step(() -> kernel.jobFailed(1, 20));
    step(() -> kernel.recover(1, 20));
    assertThat(kernel.state(1)).isEqualTo(JobState.PENDING);
    step(() -> kernel.schedule(20));
    assertThat(kernel.pendingReason(1)).isEqualTo(PendingReason.NO_CAPACITY);
    assertThat(kernel.fleetState().freeGpus()).isEqualTo(24);
  }

  @Test
  void theHeadsPromiseDoesNotCountOnCordonedGpusComingBack() {
    start(1, 16, 0);      // two domains, until 3600
    start(2, 16, 1800);   // the other two, until 5400
    cordon(domainOf(1), 1900);
    start(3, 16, 2000);   // job 1's end frees only its other 8 GPUs: job 2's end is the promise
    assertThat(kernel.reservation().startSeconds()).isEqualTo(5400);
  }
}
