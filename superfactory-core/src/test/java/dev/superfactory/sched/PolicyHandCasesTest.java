package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import org.junit.jupiter.api.Test;

/**
 * One small case per policy, worked by hand. No failures. A restarted job pays the default
 * restart overhead: init 240 s + checkpoint load max(30 s floor, 8 × 400 MB ÷ 8 GB/s = 0.4 s) =
 * 270 s; without failures nothing checkpoints, so a preempted job loses all its work.
 */
class PolicyHandCasesTest {
  private static final long OVERHEAD = 270;

  private static long[] startEnd(Jobs j, int id) {
    return new long[] {j.start(id), j.end(id)};
  }

  /**
   * Priority: 16 GPUs. Tenant low (priority low) runs L (16 GPUs, 1,000 s) from t=0. Tenant high
   * submits H (8 GPUs, 100 s) at t=10: H preempts L, runs [10, 110]. L restarts at 110 with all
   * work lost: 110 + 270 + 1,000 = 1,380.
   */
  @Test
  void priorityPreemptsLowerPriorityJobs() {
    Scenario s = TenancyScenarios.scenario(2, "priority",
        "  - {name: low, priority: low}\n  - {name: high, priority: high}\n", 10_000);
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 16, 8, false, 1000, 1000);
    jobs.add(10, 1, 8, 8, false, 100, 100);
    SimulationResult r = TenancyScenarios.run(s, jobs);
    assertThat(startEnd(jobs, 1)).containsExactly(10, 110);
    assertThat(startEnd(jobs, 0)).containsExactly(0, 110 + OVERHEAD + 1000);
    assertThat(r.preemptions()).isEqualTo(1);
    assertThat(r.metrics().tenantPreemptions(0)).isEqualTo(1);
    // the low tenant bears the lost work: 10 s on 16 GPUs
    assertThat(r.metrics().tenantPreemptedLostGpuSeconds(0)).isEqualTo(160.0);
  }

  /**
   * Priority never preempts inside a reservation. 16 GPUs. Tenant high (priority high, no
   * reservation) runs H (16 GPUs, 1,000 s) from t=0 on capacity owner lends. Owner (priority low,
   * 8 GPUs reserved) submits O (8 GPUs, 500 s) at t=10: within its reservation it reclaims, so H
   * is preempted and O runs [10, 510]. H may not take O back by priority (O holds owner's reserved
   * capacity; before, H did, O reclaimed again, and the two preempted each other on every pass):
   * H waits, restarts at 510 with all work lost: 510 + 270 + 1,000 = 1,780. One preemption. Tenant
   * noise submits a 1-GPU, 10 s job every 10 s from t=20 (they run beside O), so there is a pass
   * every 10 s in which H could try again.
   */
  @Test
  void priorityDoesNotPreemptAJobInsideItsTenantsReservation() {
    Scenario s = TenancyScenarios.scenario(2, "priority", "  - {name: high, priority: high}\n"
        + "  - {name: owner, reservedGpus: 8, borrowLimit: 0, priority: low}\n  - {name: noise, priority: low}\n",
        10_000);
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 16, 8, false, 1000, 1000);
    jobs.add(10, 1, 8, 8, false, 500, 500);
    for (int t = 20; t < 500; t += 10) {
      jobs.add(t, 2, 1, 1, false, 10, 10);
    }
    SimulationResult r = TenancyScenarios.run(s, jobs);
    assertThat(startEnd(jobs, 1)).containsExactly(10, 510);
    assertThat(startEnd(jobs, 0)).containsExactly(0, 510 + OVERHEAD + 1000);
    assertThat(r.preemptions()).isEqualTo(1);
  }

  /**
   * Fair share vs FIFO: 16 GPUs, tenants a and b of equal weight; a submits four 8-GPU 100 s jobs
   * at t=0, b one at t=1. FIFO: a1, a2 at 0; a3, a4 at 100; b1 at 200. Fair share: at 100 both
   * tenants use nothing, a (first) gets one slot, then b has the lower share: a3 and b1 at 100,
   * a4 at 200.
   */
  @Test
  void fairShareInterleavesTenantsWhereFifoDoesNot() {
    String tenants = "  - {name: a}\n  - {name: b}\n";
    Jobs fifo = jobsForFairShare();
    TenancyScenarios.run(TenancyScenarios.scenario(2, "fifo", tenants, 10_000), fifo);
    assertThat(fifo.start(4)).isEqualTo(200);
    assertThat(fifo.start(3)).isEqualTo(100);
    Jobs fair = jobsForFairShare();
    TenancyScenarios.run(TenancyScenarios.scenario(2, "fair-share", tenants, 10_000), fair);
    assertThat(fair.start(4)).isEqualTo(100);
    assertThat(fair.start(2)).isEqualTo(100);
    assertThat(fair.start(3)).isEqualTo(200);
  }

  private static Jobs jobsForFairShare() {
    Jobs jobs = new Jobs();
    for (int i = 0; i < 4; i++) {
      jobs.add(0, 0, 8, 8, false, 100, 100);
    }
    jobs.add(1, 1, 8, 8, false, 100, 100);
    return jobs;
  }

  /**
   * LAS: 8 GPUs. A (8 GPUs, 10,000 s) from t=0; at t=5,000 it has 8 × 5,000 s ≈ 11.1 GPU-hours
   * (queue 2). B (8 GPUs, 100 s) arrives then with none (queue 0): B preempts A and runs
   * [5,000, 5,100]; A restarts at 5,100 with all work lost: 5,100 + 270 + 10,000 = 15,370.
   */
  @Test
  void lasLetsANewJobPreemptOneWithMoreService() {
    Scenario s = TenancyScenarios.scenario(1, "las", "  - {name: a}\n  - {name: b}\n", 100_000);
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 8, 8, false, 10_000, 10_000);
    jobs.add(5000, 1, 8, 8, false, 100, 100);
    TenancyScenarios.run(s, jobs);
    assertThat(startEnd(jobs, 1)).containsExactly(5000, 5100);
    assertThat(startEnd(jobs, 0)).containsExactly(0, 5100 + OVERHEAD + 10_000);
  }

  /**
   * SJF (oracle): 8 GPUs; three whole-fleet jobs at t=0 of 300, 100 and 200 s. SJF: the 100 s job
   * [0, 100], the 200 s job [100, 300], the 300 s job [300, 600]. FIFO would run them 0, 300, 400.
   */
  @Test
  void sjfRunsTheShortestFirst() {
    Scenario s = TenancyScenarios.scenario(1, "sjf", "  - {name: a}\n", 10_000);
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 8, 8, false, 300, 300);
    jobs.add(0, 0, 8, 8, false, 100, 100);
    jobs.add(0, 0, 8, 8, false, 200, 200);
    TenancyScenarios.run(s, jobs);
    assertThat(startEnd(jobs, 1)).containsExactly(0, 100);
    assertThat(startEnd(jobs, 2)).containsExactly(100, 300);
    assertThat(startEnd(jobs, 0)).containsExactly(300, 600);
  }
}
