package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.JobRequest;
import dev.superfactory.sched.Scheduler;
import org.junit.jupiter.api.Test;

/**
 * The recorded kernel inputs on a kernel alone (no store): the two small sites of
 * {@link LiveTestBase} (32 GPUs each), shrink mode.
 */
class KernelInputTest {

    private static final Scenario SHRINK = TwoSites.scenarioWith("two-small-sites-shrink", 4,
            "reliability:\n  enabled: false\n  wanCut: shrink\n", "{name: alpha, gpuLimit: 48}",
            "{name: beta, gpuLimit: 24}");

    /**
     * Job 1 (40 GPUs) spans both sites; job 2 (8 GPUs) runs on one. The cut shrinks job 1 to 32
     * GPUs on one site; job 2 is then interrupted for a reason of its own (it waits for its
     * recovery, e.g. a drain or a failure being handled). The link coming back must recover only
     * the gang it shrank: job 1 requeues to regrow; job 2 stays interrupted.
     */
    @Test
    void aLinkBackRecoversOnlyTheGangsItsCutShrankNotAJobInterruptedForAnotherReason() {
        Scheduler kernel = new Scheduler(SHRINK.fleet(), SHRINK.tenants(), SHRINK.scheduler().newPolicy(null),
                new Scheduler.Options(true), (job, allocation, now) -> { });
        kernel.submit(1, new JobRequest(0, 40, 8, true, 86_400), 0);
        kernel.submit(2, new JobRequest(1, 8, 8, false, 86_400), 0);
        kernel.schedule(0);
        assertThat(kernel.state(1)).isEqualTo(Scheduler.JobState.RUNNING);
        assertThat(kernel.state(2)).isEqualTo(Scheduler.JobState.RUNNING);

        new KernelInput.WanCut(0, "east").apply(kernel, 10);
        assertThat(kernel.allocation(1).gpus()).as("shrunk to one site").isEqualTo(32);
        kernel.jobFailed(2, 20);
        assertThat(kernel.state(2)).isEqualTo(Scheduler.JobState.INTERRUPTED);

        new KernelInput.WanRestored(0, "east").apply(kernel, 30);
        assertThat(kernel.state(1)).as("requeued to regrow across sites").isEqualTo(Scheduler.JobState.PENDING);
        assertThat(kernel.state(2)).as("not the link's to recover").isEqualTo(Scheduler.JobState.INTERRUPTED);
    }
}
