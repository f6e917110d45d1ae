package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.scenario.Presets;
import dev.superfactory.workload.Tenant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's "The scheduler kernel" example, run as written (keep the two in step): its output is the one shown there. */
class ReadmeKernelExampleTest {
  @Test
  void theReadmeExamplePrintsWhatTheReadmeShows() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Fleet fleet = Presets.load("single-site").fleet();                     // 4,096 H100
      Scheduler kernel = new Scheduler(fleet, List.of(new Tenant("a", "Team A", 2048)),
          QueuePolicies.create("fifo-backfill", null), Scheduler.Options.DEFAULT,
          (job, allocation, t) -> System.out.println("job " + job + " started on " + allocation.gpus() + " GPUs"));
      long now = 1_764_500_000L;                                              // epoch seconds
      kernel.submit(42, new JobRequest(0, 1024, 8, false, 3600), now);        // tenant 0, 1,024 GPUs, 1 h declared
      kernel.submit(43, new JobRequest(0, 2048, 8, false, 600), now);         // over the tenant's limit once 42 runs
      kernel.schedule(now);
      System.out.println(kernel.pendingReason(43).text());
    } finally {
      System.setOut(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8).split("\n"))
        .containsExactly("job 42 started on 1024 GPUs", "tenant at its GPU limit");
  }
}
