package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.Simulation;
import dev.superfactory.sim.TinyScenarios;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Small cases whose FIFO and EASY-backfill schedules are worked out by hand, checked to the
 * second. Fleet: one block of 4 domains × 8 GPUs = 32 GPUs; one tenant with a limit (64) that never
 * binds. Jobs (submit s, GPUs, run s):
 *
 * <pre>
 *   J0  t=0   16 GPUs  100 s
 *   J1  t=10  32 GPUs   50 s   needs the whole fleet: waits for J0 (t=100)
 *   J2  t=20   8 GPUs   50 s
 *   J3  t=30   8 GPUs  200 s
 *   J4  t=40   8 GPUs   60 s
 * </pre>
 *
 * FIFO: J1 blocks everyone behind it. J0 [0,100]; J1 [100,150]; then J2, J3, J4 all fit (24 of
 * 32 GPUs): J2 [150,200], J3 [150,350], J4 [150,210].
 *
 * <p>EASY: J1 is reserved at T=100, when J0's 16 GPUs return (16 free + 16 = 32), with 0 spare.
 * J2 (t=20): 16 free, ends at 70 ≤ 100 → starts now, [20,70]. J3 (t=30): 8 free, would end at
 * 230 > 100 and spare is 0 → waits. J4 (t=40): 8 free, ends at 100 ≤ 100 → starts, [40,100].
 * At t=100 J0 and J4 end: J1 starts [100,150]; J3 still cannot (0 free) and starts when J1 ends:
 * [150,350].
 */
class HandWorkedScheduleTest {
  private static final long[][] JOBS = { // submit, gpus, duration
    {0, 16, 100}, {10, 32, 50}, {20, 8, 50}, {30, 8, 200}, {40, 8, 60}
  };

  private static Jobs run(String policy) {
    Scenario s = TinyScenarios.oneSite(1, 4, 8, policy, 64, 64, 10_000);
    Jobs jobs = new Jobs();
    for (long[] j : JOBS) {
      jobs.add(j[0], 0, (int) j[1], 8, false, j[2], j[2]);
    }
    List<Tenant> tenants = new ArrayList<>(s.tenants());
    new Simulation(s).checkInvariants(true).run(jobs, tenants);
    return jobs;
  }

  @Test
  void fifoStartsJobsStrictlyInOrder() {
    Jobs j = run("fifo");
    assertThat(startEnd(j, 0)).containsExactly(0, 100);
    assertThat(startEnd(j, 1)).containsExactly(100, 150);
    assertThat(startEnd(j, 2)).containsExactly(150, 200);
    assertThat(startEnd(j, 3)).containsExactly(150, 350);
    assertThat(startEnd(j, 4)).containsExactly(150, 210);
  }

  @Test
  void easyBackfillStartsShortJobsThatDoNotDelayTheHead() {
    Jobs j = run("fifo-backfill");
    assertThat(startEnd(j, 0)).containsExactly(0, 100);
    assertThat(startEnd(j, 1)).containsExactly(100, 150);
    assertThat(startEnd(j, 2)).containsExactly(20, 70);
    assertThat(startEnd(j, 3)).containsExactly(150, 350);
    assertThat(startEnd(j, 4)).containsExactly(40, 100);
  }

  /**
   * Tenant a's limit is 16. A1 (16 GPUs, t=0, 100 s) fills it, so A2 (8 GPUs, t=5) must wait
   * until t=100 although GPUs are free; B1 (tenant b, 8 GPUs, t=6, 10 s) is not held up by A2.
   */
  @Test
  void aTenantAtItsLimitWaitsWithoutBlockingOthers() {
    Scenario s = TinyScenarios.oneSite(1, 4, 8, "fifo", 16, 32, 10_000);
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 16, 8, false, 100, 100);
    jobs.add(5, 0, 8, 8, false, 10, 10);
    jobs.add(6, 1, 8, 8, false, 10, 10);
    new Simulation(s).checkInvariants(true).run(jobs, new ArrayList<>(s.tenants()));
    assertThat(startEnd(jobs, 1)).containsExactly(100, 110);
    assertThat(startEnd(jobs, 2)).containsExactly(6, 16);
  }

  /**
   * Under EASY the reservation uses expected durations: J1 claims 1 h but runs 10 s. J0 (32 GPUs,
   * t=0, 100 s) holds the fleet; J1 (t=1, 32 GPUs, runs 10 s, expected 3600 s) is reserved at
   * T=100; J2 (t=2, 8 GPUs, runs 50 s, expected 50 s) would end at 52 but no GPU is free, so it
   * waits; at t=100 J1 starts (head first), [100,110]; J2 follows at 110, [110,160].
   */
  @Test
  void headOfQueueGoesFirstWhenCapacityReturns() {
    Scenario s = TinyScenarios.oneSite(1, 4, 8, "fifo-backfill", 64, 64, 10_000);
    Jobs jobs = new Jobs();
    jobs.add(0, 0, 32, 8, false, 100, 100);
    jobs.add(1, 0, 32, 8, false, 10, 3600);
    jobs.add(2, 1, 8, 8, false, 50, 50);
    new Simulation(s).checkInvariants(true).run(jobs, new ArrayList<>(s.tenants()));
    assertThat(startEnd(jobs, 1)).containsExactly(100, 110);
    assertThat(startEnd(jobs, 2)).containsExactly(110, 160);
  }

  private static long[] startEnd(Jobs j, int id) {
    return new long[] {j.start(id), j.end(id)};
  }
}
