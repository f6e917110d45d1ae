package dev.superfactory.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.forecast.ReservationPlan.Shape;
import dev.superfactory.sched.JobRequest;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sim.TinyScenarios;
import dev.superfactory.scenario.Scenario;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import org.junit.jupiter.api.Test;

/** The squeue --start-like baseline on hand-worked plans. */
class ReservationPlanTest {
  private static final long ALL = -1;

  /**
   * One site of 16 GPUs, 8 free at 0; a running job frees its 8 at 100.
   * A (16 GPUs, 50 s) needs all 16: from 100, held [100, 150).
   * B (4 GPUs, 200 s): [0, 200) crosses [100, 150) where A holds all 16: from 150.
   * C (4 GPUs, 100 s): [0, 100) has 8 free: backfills at 0, delaying no one.
   * D (8 GPUs, 100 s): at 0 only 4 are left (C); at 150, 16 − 4 (B) = 12: from 150.
   */
  @Test
  void eachJobTakesTheEarliestWindowThatDelaysNoEarlierReservation() {
    ReservationPlan plan = new ReservationPlan(0, new int[] {8});
    plan.release(100, new int[] {8});
    assertThat(plan.reserve(new Shape(16, ALL, false, 50))).isEqualTo(100);
    assertThat(plan.reserve(new Shape(4, ALL, false, 200))).isEqualTo(150);
    assertThat(plan.reserve(new Shape(4, ALL, false, 100))).isEqualTo(0);
    assertThat(plan.reserve(new Shape(8, ALL, false, 100))).isEqualTo(150);
    assertThat(plan.freeAt(0, 0)).isEqualTo(4);
    assertThat(plan.freeAt(0, 120)).isEqualTo(0);
    assertThat(plan.freeAt(0, 160)).isEqualTo(4); // 16 − B 4 − D 8
    assertThat(plan.freeAt(0, 400)).isEqualTo(16);
  }

  /**
   * Two sites: s0 has 8 free, s1 has 4 free and 8 more at 300. A job of 8 allowed only on s1
   * (mask 0b10) waits for s1: 300, held [300, 400). One of 8 for 500 s allowed anywhere takes s0
   * at 0 (s1 has 8 only from 400), held [0, 500). A job of 12 for 100 s that may span sites: at 0
   * s0 0 + s1 4; at 300 s0 0 + s1 12 − 8 = 4; at 400 s0 0 + s1 12 = 12: it starts at 400, all on s1.
   */
  @Test
  void aJobUsesOnlyItsSitesAndASpanningJobAddsThemUp() {
    ReservationPlan plan = new ReservationPlan(0, new int[] {8, 4});
    plan.release(300, new int[] {0, 8});
    assertThat(plan.reserve(new Shape(8, 0b10, false, 100))).isEqualTo(300);
    assertThat(plan.reserve(new Shape(8, ALL, false, 500))).isEqualTo(0);
    assertThat(plan.reserve(new Shape(12, ALL, true, 100))).isEqualTo(400);
    assertThat(plan.freeAt(0, 450)).isEqualTo(0);
    assertThat(plan.freeAt(1, 450)).isEqualTo(0);
    assertThat(plan.freeAt(1, 500)).isEqualTo(12);
  }

  /** A job larger than every site it may use never fits when it may not span: nothing is held. */
  @Test
  void aJobThatNeverFitsHasNoStartAndHoldsNothing() {
    ReservationPlan plan = new ReservationPlan(0, new int[] {8, 8});
    assertThat(plan.reserve(new Shape(12, ALL, false, 100))).isEqualTo(ReservationPlan.NONE);
    assertThat(plan.reserve(new Shape(12, 0b01, true, 100))).isEqualTo(ReservationPlan.NONE);
    assertThat(plan.reserve(new Shape(8, ALL, false, 100))).isEqualTo(0);
    assertThat(plan.reserve(new Shape(16, ALL, true, 100))).isEqualTo(100);
  }

  /**
   * From a kernel: 16 GPUs, job 0 (16 GPUs, declared 1,000 s) running since 0; job 1 (8 GPUs, 500 s)
   * and job 2 (8 GPUs, 2,000 s) queued. At 200 the plan puts both at 1,000 (job 0's declared end);
   * with a horizon ending at 900 both are beyond it.
   */
  @Test
  void aKernelsPlanEndsRunningJobsAtTheirDeclaredEnds() {
    Scenario s = TinyScenarios.oneSite(1, 2, 8, "fifo-backfill", 16, 16, 86_400);
    Scheduler k = new Scheduler(s.fleet(), s.tenants(), s.scheduler().newPolicy(null),
        new Scheduler.Options(false, s.scheduler().siteChoice()), (job, a, now) -> { });
    k.submit(0, new JobRequest(0, 16, 8, false, 1000), 0);
    k.schedule(0);
    k.submit(1, new JobRequest(0, 8, 8, false, 500), 100);
    k.submit(2, new JobRequest(1, 8, 8, false, 2000), 100);
    k.schedule(100);
    ReservationPlan.Shapes shapes = job -> new Shape(8, ALL, false, job == 1 ? 500 : 2000);
    Long2LongOpenHashMap starts = ReservationPlan.startsOf(k, 200, 200 + 86_400, shapes);
    assertThat(starts).containsOnlyKeys(1L, 2L);
    assertThat(starts.get(1L)).isEqualTo(1000);
    assertThat(starts.get(2L)).isEqualTo(1000);
    Long2LongOpenHashMap early = ReservationPlan.startsOf(k, 200, 900, shapes);
    assertThat(early.get(1L)).isEqualTo(ReservationPlan.NONE);
  }
}
