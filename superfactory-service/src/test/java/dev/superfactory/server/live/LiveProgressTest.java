package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.sched.JobRequest;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sched.SchedulerListener;
import dev.superfactory.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live kernel's progress: preemption takes the job that loses least, as in the twin. */
class LiveProgressTest {

    @Test
    void aHighPriorityJobPreemptsTheRunThatStartedLastBecauseItLosesLeast() {
        Scenario s = LiveTwinReplayTest.PRIORITIES; // tenants 0 alpha (low, 48), 1 beta (high, 32), 2 gamma (normal, 40)
        LiveProgress progress = new LiveProgress();
        List<String> preemptions = new ArrayList<>();
        SchedulerListener watch = new SchedulerListener() {
            @Override
            public void started(long job, Allocation allocation, long now) {
            }

            @Override
            public void preempted(long job, Allocation allocation, long byJob, long now) {
                preemptions.add(job + " by " + byJob + " at " + now);
            }
        };
        Scheduler kernel = new Scheduler(s.fleet(), s.tenants(), s.scheduler().newPolicy(null),
                Scheduler.Options.DEFAULT, progress.andThen(watch));
        kernel.progress(progress);
        run(kernel, 1, 0, 32, 0);     // alpha, 32 GPUs from t=0
        run(kernel, 2, 0, 16, 100);   // alpha, 16 GPUs from t=100
        run(kernel, 3, 2, 16, 200);   // gamma, 16 GPUs from t=200: the fleet's 64 GPUs are taken
        // at t=300 the runs would lose 300, 200 and 100 s of work per GPU: job 3 loses least
        // (without progress every victim costs 0 and the larger job 1 goes first)
        assertThat(progress.lostGpuSecondsIfStopped(2, 300)).isEqualTo(16 * 200.0);
        run(kernel, 4, 1, 16, 300);   // beta (high), 16 GPUs
        assertThat(preemptions).containsExactly("3 by 4 at 300");
        assertThat(progress.lostGpuSecondsIfStopped(3, 400)).isZero();
        assertThat(progress.attainedGpuSeconds(3, 400)).isEqualTo(16 * 100.0);
        kernel.finish(1, 500);
        kernel.schedule(500); // job 3 starts again on job 1's GPUs
        assertThat(progress.attainedGpuSeconds(3, 600)).isEqualTo(16 * (100.0 + 100));
        assertThat(progress.lostGpuSecondsIfStopped(3, 600)).isEqualTo(16 * 100.0);
        assertThat(progress.attainedGpuSeconds(1, 600)).as("a finished job is forgotten").isZero();
    }

    private static void run(Scheduler kernel, long job, int tenant, int gpus, long t) {
        kernel.submit(job, new JobRequest(tenant, gpus, 8, false, 3600), t);
        kernel.schedule(t);
        assertThat(kernel.state(job)).as("job %d", job).isEqualTo(Scheduler.JobState.RUNNING);
    }
}
