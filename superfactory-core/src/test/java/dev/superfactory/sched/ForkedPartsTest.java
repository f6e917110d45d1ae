package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Fleets;
import dev.superfactory.workload.Tenant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parts that random histories rarely exercise after a fork, worked by hand: the EASY promise
 * (a backfill in the fork spends its spare GPUs), the stalled gangs of a cut WAN link (the fork
 * resumes them), and an interrupted job's failed domains (a second failure in the fork adds
 * one). In each, the original's digest must not move.
 */
class ForkedPartsTest {
  @Test
  void aBackfillInTheForkSpendsOnlyTheForksSpareGpus() {
    // one site, 4 domains × 8 GPUs = 32 GPUs. A (24 GPUs, 1,000 s) runs; B (28 GPUs) waits with a
    // promise at t = 1,000 s, when 32 will be free: 4 spare. C (4 GPUs, 5,000 s) arrives in the fork
    // only: it ends after the promise, but fits in the 4 spare GPUs, so it backfills and spends them.
    Scheduler original = new Scheduler(Fleets.uniform(1, 4, 8), List.of(new Tenant("a", "A", 64)),
        QueuePolicies.create("fifo-backfill", null), Scheduler.Options.DEFAULT, new KernelDriver.Recorder());
    original.submit(1, new JobRequest(0, 24, 1, false, 1_000), 0);
    original.schedule(0);
    original.submit(2, new JobRequest(0, 28, 1, false, 100), 10);
    original.schedule(10);
    assertThat(original.reservation()).isEqualTo(new Scheduler.Promise(2, 1_000, 0));
    KernelDigest before = original.digest();

    KernelDriver.Recorder forkLog = new KernelDriver.Recorder();
    Scheduler fork = original.fork(forkLog);
    fork.submit(3, new JobRequest(0, 4, 1, false, 5_000), 20);
    fork.schedule(20);

    assertThat(fork.isRunning(3)).as("C backfilled in the fork").isTrue();
    assertThat(fork.digest().lines()).contains("promise job 2 at 1000 site 0 spare 0");
    assertThat(original.digest().lines()).contains("promise job 2 at 1000 site 0 spare 4");
    assertThat(original.digest().firstDifference(before)).isNull();
  }

  @Test
  void restoringTheLinkInTheForkResumesOnlyTheForksStalledGang() {
    Scheduler original = new Scheduler(Fleets.sites(2, 1, 2, 8), List.of(new Tenant("a", "A", 64)),
        QueuePolicies.create("fifo-backfill", null), Scheduler.Options.DEFAULT, new KernelDriver.Recorder());
    original.submit(1, new JobRequest(0, 24, 1, true, 1_000), 0); // 24 GPUs: more than one site's 16
    original.schedule(0);
    original.wanCut(0, 10);
    assertThat(original.state(1)).isEqualTo(Scheduler.JobState.STALLED);
    KernelDigest before = original.digest();
    Scheduler fork = original.fork(new KernelDriver.Recorder());
    fork.wanRestored(0, 20);
    assertThat(fork.state(1)).isEqualTo(Scheduler.JobState.RUNNING);
    assertThat(original.digest().firstDifference(before)).isNull();
  }

  @Test
  void aSecondFailureInTheForkIsNotedOnlyInTheFork() {
    Scheduler original = new Scheduler(Fleets.uniform(1, 2, 8), List.of(new Tenant("a", "A", 64)),
        QueuePolicies.create("fifo-backfill", null), Scheduler.Options.DEFAULT, new KernelDriver.Recorder());
    original.submit(1, new JobRequest(0, 16, 1, false, 1_000), 0);
    original.schedule(0);
    original.gpusDown(0, 1, 10, false); // GPU 0 of domain 0: the job is interrupted, domain 0 noted
    KernelDigest before = original.digest();
    Scheduler fork = original.fork(new KernelDriver.Recorder());
    fork.gpusDown(8, 1, 20, false); // GPU 0 of domain 1: noted in the fork's copy
    assertThat(fork.digest().lines()).contains("failed domains of slot 0 [0, 1]");
    assertThat(original.digest().firstDifference(before)).isNull();
  }

  @Test
  void aSpareSwappedInTheForkLeavesTheOriginalsPoolAsItWas() {
    Scheduler original = new Scheduler(Fleets.uniform(1, 2, 8), List.of(new Tenant("a", "A", 64)),
        QueuePolicies.create("fifo-backfill", null), Scheduler.Options.DEFAULT, new KernelDriver.Recorder());
    original.holdSpares(1, 0); // GPU 0 of each domain
    original.submit(1, new JobRequest(0, 7, 1, false, 1_000), 0); // GPUs 1–7 of a domain
    original.schedule(0);
    int first = original.allocation(1).domain(0) * 8;
    KernelDigest before = original.digest();
    KernelDriver.Recorder forkLog = new KernelDriver.Recorder();
    Scheduler fork = original.fork(forkLog);
    fork.gpusDown(first + 1, 1, 10, false); // the job's GPU 1 fails: the spare (GPU 0) takes its place
    assertThat(forkLog.lines).anyMatch(l -> l.startsWith("swapped 1"));
    assertThat(original.digest().firstDifference(before)).isNull();
  }
}
