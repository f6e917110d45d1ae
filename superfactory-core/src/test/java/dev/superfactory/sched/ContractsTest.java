package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.report.result.EconomicsSummary;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.report.result.TenantSummary;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import org.junit.jupiter.api.Test;

class ContractsTest {
  /**
   * Adversarial: tenant greedy (no reservation, may borrow the whole 32-GPU fleet) fills it with
   * long jobs at t=0; tenant owner, who reserved 16 GPUs (reclaim within 10 min), then asks for
   * them at t=1,000. Under every policy owner's job starts within the bound (here at once, by
   * preempting greedy's borrowed jobs) and greedy bears the lost work.
   */
  @Test
  void aReservationIsGrantedWithinItsBoundUnderEveryPolicy() {
    for (String policy : QueuePolicies.names()) {
      Scenario s = TenancyScenarios.scenario(4, policy,
          "  - {name: greedy}\n  - {name: owner, reservedGpus: 16, borrowLimit: 0, reclaimWithin: 10m}\n", 100_000);
      Jobs jobs = new Jobs();
      for (int i = 0; i < 4; i++) {
        jobs.add(0, 0, 8, 8, false, 50_000, 50_000);
      }
      jobs.add(1000, 1, 16, 8, false, 3600, 3600);
      SimulationResult r = TenancyScenarios.run(s, jobs);
      assertThat(jobs.start(4) - jobs.submit(4)).as(policy).isLessThanOrEqualTo(600);
      assertThat(r.metrics().reservationMisses(1)).as(policy).isZero();
      assertThat(r.metrics().reservationRequests(1)).as(policy).isEqualTo(1);
      assertThat(r.metrics().tenantPreemptions(0)).as(policy).isGreaterThanOrEqualTo(2);
      assertThat(r.metrics().tenantPreemptedLostGpuSeconds(0)).as(policy).isPositive();
    }
  }

  /**
   * 32 GPUs. Tenant x (no reservation) runs X1 (16 GPUs, 1,000 s) from t=0; X2 (32 GPUs, t=1)
   * blocks the queue. Tenant y reserved 16 GPUs and submits Y1 (16 GPUs, 5,000 s) at t=2: the 16
   * free GPUs are its, so it starts at once, although under plain FIFO it would wait behind X2 and
   * under EASY it would delay X2's reservation (T = 1,000, no spare).
   */
  @Test
  void aReservationNeverWaitsBehindAnotherTenantsQueue() {
    for (String policy : new String[] {"fifo", "fifo-backfill"}) {
      Scenario s = TenancyScenarios.scenario(4, policy, "  - {name: x}\n  - {name: y, reservedGpus: 16}\n", 100_000);
      Jobs jobs = new Jobs();
      jobs.add(0, 0, 16, 8, false, 1000, 1000);
      jobs.add(1, 0, 32, 8, false, 1000, 1000);
      jobs.add(2, 1, 16, 8, false, 5000, 5000);
      SimulationResult r = TenancyScenarios.run(s, jobs);
      assertThat(jobs.start(2)).as(policy).isEqualTo(2);
      assertThat(r.preemptions()).as(policy).isZero();
      assertThat(jobs.start(1)).as(policy).isEqualTo(5002); // X2 waits for Y1's GPUs
    }
  }

  /** A non-preemptible borrower is never preempted: the reservation then waits. */
  @Test
  void preemptionNeverPicksANonPreemptibleJob() {
    for (String policy : QueuePolicies.names()) {
      Scenario s = TenancyScenarios.scenario(4, policy,
          "  - {name: greedy, preemptible: false, priority: low}\n"
              + "  - {name: owner, reservedGpus: 16, borrowLimit: 0, priority: high}\n", 100_000);
      Jobs jobs = new Jobs();
      for (int i = 0; i < 4; i++) {
        jobs.add(0, 0, 8, 8, false, 20_000, 20_000);
      }
      jobs.add(1000, 1, 16, 8, false, 3600, 3600);
      SimulationResult r = TenancyScenarios.run(s, jobs);
      assertThat(r.preemptions()).as(policy).isZero();
      assertThat(jobs.start(4)).as(policy).isEqualTo(20_000);
      assertThat(r.metrics().reservationMisses(1)).as(policy).isEqualTo(1);
    }
  }

  /** Borrowing stops at the limit: 8 reserved + 8 borrowable GPUs, never more than 16 at once. */
  @Test
  void borrowingNeverExceedsItsLimit() {
    Scenario s = TenancyScenarios.scenario(6, "fifo-backfill",
        "  - {name: a, reservedGpus: 8, borrowLimit: 8}\n  - {name: b, reservedGpus: 8}\n", 100_000);
    Jobs jobs = new Jobs();
    for (int i = 0; i < 40; i++) {
      jobs.add(i * 10L, 0, 8, 8, false, 1000, 1000);
    }
    TenancyScenarios.run(s, jobs);
    for (long t = 0; t < 20_000; t += 50) {
      int running = 0;
      for (int j = 0; j < jobs.size(); j++) {
        if (jobs.start(j) >= 0 && jobs.start(j) <= t && (jobs.end(j) < 0 || jobs.end(j) > t)) {
          running += jobs.gpus(j);
        }
      }
      assertThat(running).as("GPUs of tenant a at t=%d", t).isLessThanOrEqualTo(16);
    }
  }

  /** A tenant that does not lend keeps its idle reservation idle: others cannot borrow into it. */
  @Test
  void aReservationThatIsNotLentStaysFree() {
    Scenario s = TenancyScenarios.scenario(4, "fifo-backfill",
        "  - {name: keeper, reservedGpus: 16, lends: false}\n  - {name: other}\n", 10_000);
    Jobs jobs = new Jobs();
    for (int i = 0; i < 4; i++) {
      jobs.add(0, 1, 8, 8, false, 1000, 1000);
    }
    TenancyScenarios.run(s, jobs);
    // 32 GPUs, 16 kept for keeper: other runs 2 jobs at a time
    assertThat(jobs.start(2)).isEqualTo(1000);
    assertThat(jobs.start(3)).isEqualTo(1000);
  }

  /**
   * Three tenants with weights 1, 2, 3, each backlogged with 8-GPU one-hour jobs on a 48-GPU
   * fleet (1,000 jobs each; 200 hours give 1,200 slots, so nobody runs out): under fair share
   * their GPU-hours converge to 1/6, 2/6, 3/6, within 0.03.
   */
  @Test
  void fairShareConvergesToTheWeightsWhenEveryoneIsBacklogged() {
    Scenario s = TenancyScenarios.scenario(6, "fair-share",
        "  - {name: w1, weight: 1}\n  - {name: w2, weight: 2}\n  - {name: w3, weight: 3}\n", 200L * 3600);
    Jobs jobs = new Jobs();
    for (int i = 0; i < 3000; i++) {
      jobs.add(0, i % 3, 8, 8, false, 3600, 3600);
    }
    SimulationResult r = TenancyScenarios.run(s, jobs);
    double total = 0;
    for (int t = 0; t < 3; t++) {
      total += r.metrics().tenantGpuSeconds(t);
    }
    for (int t = 0; t < 3; t++) {
      assertThat(r.metrics().tenantGpuSeconds(t) / total).as("tenant w%d", t + 1)
          .isCloseTo((t + 1) / 6.0, org.assertj.core.api.Assertions.within(0.03));
    }
  }

  /** Revenue = Σ reserved GPUs × hours × reserved price + borrowed GPU-hours × on-demand price; margin = revenue − cost. */
  @Test
  void moneyAddsUp() {
    Scenario s = TenancyScenarios.scenario(4, "fifo-backfill",
        "  - {name: a, reservedGpus: 8, prices: {reservedUsdPerGpuHour: 2.5, onDemandUsdPerGpuHour: 4}}\n"
            + "  - {name: b, prices: {onDemandUsdPerGpuHour: 3}}\n", 10L * 3600);
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 16, 8, false, 3 * 3600, 3 * 3600); // a: 8 within its reservation + 8 borrowed, 3 h
    jobs.add(0, 1, 8, 8, false, 5 * 3600, 5 * 3600); // b: 8 on demand, 5 h
    SimulationResult r = TenancyScenarios.run(s, jobs);
    RunResult result = RunResults.from(r);
    TenantSummary a = result.tenants().get(0);
    TenantSummary b = result.tenants().get(1);
    // a: 8 reserved × 10 h × $2.5 = $200; borrowed 8 × 3 h × $4 = $96
    assertThat(a.reservedRevenueUsd()).isEqualTo(200.0);
    assertThat(a.borrowedGpuHours()).isEqualTo(24.0);
    assertThat(a.revenueUsd()).isEqualTo(296.0);
    // b: 8 × 5 h × $3 = $120
    assertThat(b.revenueUsd()).isEqualTo(120.0);
    EconomicsSummary e = result.economics();
    assertThat(e.revenueUsd()).isEqualTo(416.0);
    assertThat(e.costUsd()).isCloseTo(e.depreciationUsd() + e.powerUsd() + e.opexUsd(),
        org.assertj.core.api.Assertions.within(0.02));
    assertThat(e.marginUsd()).isCloseTo(e.revenueUsd() - e.costUsd(), org.assertj.core.api.Assertions.within(0.02));
    double quarters = 0;
    for (EconomicsSummary.Quarter q : e.quarters()) {
      quarters += q.revenueUsd();
    }
    assertThat(quarters).isCloseTo(416.0, org.assertj.core.api.Assertions.within(1e-6));
  }
}
