package dev.superfactory.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random sequences of allocate, release, mark down and mark up on small fleets: no GPU is ever
 * handed out twice, none is lost, each domain gives its lowest-numbered free GPUs, and every
 * aggregate equals the sum of its parts after every step. Plans are made here, not by a placement
 * policy (those have their own properties in {@code sched}), so they reach any domain.
 */
class FleetStateProperties {
  /**
   * One step: kind 0 = up to {@code amount} GPUs of one domain, 1 = every free GPU of up to 7
   * consecutive domains, 2 = release the i-th held allocation, 3 = mark a run of GPUs down,
   * 4 = mark a run of GPUs up. {@code site} and {@code span} pick the first domain.
   */
  record Op(int kind, int amount, int site, boolean span) {}

  @Provide
  Arbitrary<Op> ops() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 4),
            Arbitraries.integers().between(1, 80),
            Arbitraries.integers().between(-1, 1),
            Arbitraries.of(true, false))
        .as(Op::new);
  }

  @Provide
  Arbitrary<List<Op>> opLists() {
    return ops().list().ofMaxSize(60);
  }

  @Provide
  Arbitrary<Fleet> fleets() {
    return Arbitraries.of(Fleets.mixed(), Fleets.uniform(3, 4, 8), Fleets.sites(2, 2, 3, 72), Fleets.uniform(2, 2, 130));
  }

  @Property(tries = 300)
  void allocationsNeverOverlapAndNothingIsLost(
      @ForAll("fleets") Fleet fleet, @ForAll("opLists") List<Op> ops) {
    FleetState state = new FleetState(fleet);
    boolean[] owned = new boolean[fleet.totalGpus()];
    boolean[] broken = new boolean[fleet.totalGpus()];
    List<Allocation> held = new ArrayList<>();
    PlacementPlan plan = new PlacementPlan();
    int ownedCount = 0;
    for (Op op : ops) {
      plan.clear();
      if (op.kind() >= 3) {
        int first = (op.amount() * 7919 + op.site() * 31) % fleet.totalGpus();
        int count = Math.min(1 + op.amount() % 80, fleet.totalGpus() - first);
        int changed = op.kind() == 3 ? state.markDown(first, count) : state.markUp(first, count);
        int expected = 0;
        for (int g = first; g < first + count; g++) {
          if (broken[g] != (op.kind() == 3)) {
            expected++;
          }
          broken[g] = op.kind() == 3;
        }
        assertThat(changed).isEqualTo(expected);
      } else if (op.kind() == 2) {
        if (held.isEmpty()) {
          continue;
        }
        Allocation a = held.remove(op.amount() % held.size());
        int[] released = {0};
        a.forEachGpu(fleet, g -> {
          assertThat(owned[g]).as("GPU %d released but not owned", g).isTrue();
          owned[g] = false;
          released[0]++;
        });
        state.release(a);
        ownedCount -= released[0];
        assertThat(released[0]).isEqualTo(a.gpus());
      } else {
        planHere(state, op, plan);
        if (plan.isEmpty()) {
          continue;
        }
        Allocation a = state.allocate(plan);
        assertThat(a.gpus()).isEqualTo(plan.gpus());
        assertThat(a.domainCount()).isEqualTo(plan.size());
        assertLowestFreeTaken(state, a);
        a.forEachGpu(fleet, g -> {
          assertThat(owned[g]).as("GPU %d handed out twice", g).isFalse();
          assertThat(broken[g]).as("GPU %d is down but was handed out", g).isFalse();
          owned[g] = true;
        });
        ownedCount += a.gpus();
        held.add(a);
      }
      int usable = 0;
      int downCount = 0;
      for (int g = 0; g < fleet.totalGpus(); g++) {
        if (!owned[g] && !broken[g]) {
          usable++;
        }
        if (broken[g]) {
          downCount++;
        }
      }
      assertThat(state.freeGpus()).isEqualTo(usable);
      assertThat(state.downGpus()).isEqualTo(downCount);
      assertThat(state.allocatedGpus()).isEqualTo(ownedCount);
      state.checkInvariants();
    }
    for (int g = 0; g < fleet.totalGpus(); g++) {
      assertThat(state.isFree(g)).isEqualTo(!owned[g] && !broken[g]);
      assertThat(state.isDown(g)).isEqualTo(broken[g]);
    }
  }

  /** Fills {@code plan} for a kind 0 or 1 step from the domains' free counts; leaves it empty if they have none. */
  private static void planHere(FleetState state, Op op, PlacementPlan plan) {
    int domains = state.fleet().domainCount();
    int first = Math.floorMod(op.amount() * 31 + op.site() * 7 + (op.span() ? 3 : 0), domains);
    if (op.kind() == 0) {
      int k = Math.min(op.amount(), state.domainFreeGpus(first));
      if (k > 0) {
        plan.add(first, k);
      }
      return;
    }
    for (int d = first; d < Math.min(domains, first + 1 + op.amount() % 7); d++) {
      if (state.domainFreeGpus(d) > 0) {
        plan.add(d, state.domainFreeGpus(d));
      }
    }
  }

  /** In each domain of {@code a}, every GPU below the highest one taken was taken or is not free. */
  private static void assertLowestFreeTaken(FleetState state, Allocation a) {
    Fleet fleet = state.fleet();
    for (int i = 0; i < a.domainCount(); i++) {
      int highest = -1;
      for (int local = 0; local < fleet.domainSize(a.domain(i)); local++) {
        highest = a.holds(i, local) ? local : highest;
      }
      for (int local = 0; local < highest; local++) {
        assertThat(state.isFree(fleet.domainFirstGpu(a.domain(i)) + local))
            .as("domain %d: GPU %d left free below a GPU taken", a.domain(i), local).isFalse();
      }
    }
  }

  @Property(tries = 100)
  void freeCountsOfSitesAddUpToTheFleet(
      @ForAll("fleets") Fleet fleet, @ForAll @IntRange(min = 1, max = 20) int steps) {
    FleetState state = new FleetState(fleet);
    PlacementPlan plan = new PlacementPlan();
    for (int i = 0; i < steps; i++) {
      plan.clear();
      int d = (i * 5) % fleet.domainCount();
      int k = Math.min(1 + (i * 7) % 9, state.domainFreeGpus(d));
      if (k > 0) {
        plan.add(d, k);
        state.allocate(plan);
      }
      int sum = 0;
      for (int s = 0; s < fleet.siteCount(); s++) {
        sum += state.siteFreeGpus(s);
      }
      assertThat(sum).isEqualTo(state.freeGpus());
    }
  }
}
