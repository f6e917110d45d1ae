package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.report.result.GoldenScenarios;
import org.junit.jupiter.api.Test;

/** The console summary of pinned results (see {@link GoldenScenarios}), whose numbers are in the golden files. */
class ConsoleSummaryTest {
  @Test
  void aRunWithFailuresShowsTheHeadlineTheCausesAndTheMoney() {
    String text = ConsoleSummary.render(GoldenScenarios.result("two-sites-failures"));
    assertThat(text).startsWith("Simulated two-sites: 4 days (after 1 days of warm-up), 64 GPUs on 2 sites, policy"
        + " fifo-backfill (site choice best-fit), seed 11, workload synthetic at 90.0% offered load\n\n");
    // pendingReasons in the file's order; 9 interruptions in 4 days = 2.25 a day
    assertThat(text).containsPattern("jobs pending at end \\(no-capacity 16, tenant-limit 5\\) +21\n")
        .containsPattern("interruptions \\(per day\\) +9 \\(2\\.3\\)\n")
        .containsPattern("\ngpu +3 +2 +10 +4 +5 +24\n")
        // requeue wait counts only the wait after a drain sent a job back to the queue (not later requeues by preemption)
        .containsPattern("\nmaintenance:firmware +2 +4 +0 +1 +0 +1,510\n")
        .containsPattern("\nstartup +65 +7 +2,979 +48\\.5% +0 +64 +95\\.4% +0 s +19\\.3 h +46\\.7 h +63\\.0 h +7 +0\\.0\n")
        // the load figures and the idle share's parts, which add up to it
        .containsPattern("\n  demand \\(GPUs allocated \\+ asked for by pending jobs\\) +392\\.7%\n")
        .containsPattern("\n  idle: no job waiting \\+ tenant limit \\+ does not fit \\+ queue order +27\\.6% = 2\\.1 \\+ 12\\.0 \\+ 8\\.2 \\+ 5\\.4\n")
        // waits with the jobs left pending, per job and per GPU
        .containsPattern("\n  with pending jobs at their age +0 s / 19\\.3 h / 63\\.0 h\n")
        .containsPattern("\n  per GPU, with pending jobs at their age +4\\.8 h / 63\\.0 h / 68\\.8 h\n")
        .containsPattern("\non-demand revenue not billed: provider downtime +\\$61\n")
        .containsPattern("preemptions / Jain fairness over tenants +7 / 0\\.638\n")
        .containsPattern("\n65-1024 +0 +- +- +-\n");
  }

  @Test
  void aRunWithoutFailuresHasNoFailureLines() {
    String text = ConsoleSummary.render(GoldenScenarios.result("two-sites-no-failures"));
    assertThat(text).contains("  allocated (GPU utilization)").doesNotContain("interruptions")
        .doesNotContain("failure cause").doesNotContain("fleet in service");
  }

  @Test
  void aReplayedTraceNamesItAndHasNoOfferedLoad() {
    String text = ConsoleSummary.render(GoldenScenarios.result("openb-tiny"));
    assertThat(text).startsWith("Simulated openb: 0.08 days, 10 GPUs on 1 site, policy fifo-backfill, seed 1,"
        + " workload openb:" + GoldenScenarios.OPENB_TRACE + "\n").doesNotContain("offered load")
        .doesNotContain("carried over");
  }
}
