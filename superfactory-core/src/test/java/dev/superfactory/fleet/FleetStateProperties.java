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
 * Random sequences of allocate and release on small fleets: no GPU is ever handed out twice, none
 * is lost, and every aggregate equals the sum of its parts after every step.
 */
class FleetStateProperties {
  /**
   * One step: kind 0 = k GPUs in one domain, 1 = n whole domains, 2 = release the i-th held
   * allocation, 3 = mark a run of GPUs down, 4 = mark a run of GPUs up.
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
      int site = op.site() < fleet.siteCount() ? op.site() : -1;
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
        boolean found = op.kind() == 0
            ? state.planInOneDomain(site, op.amount(), plan)
            : state.planWholeDomains(1 + op.amount() % 7, site, op.span(), plan);
        if (!found) {
          assertThat(plan.isEmpty()).isTrue();
          continue;
        }
        Allocation a = state.allocate(plan);
        assertThat(a.gpus()).isEqualTo(plan.gpus());
        if (op.kind() == 0) {
          assertThat(a.domainCount()).isEqualTo(1);
        } else if (!op.span()) {
          assertThat(a.siteCount()).isEqualTo(1);
        }
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

  @Property(tries = 100)
  void freeCountsOfSitesAddUpToTheFleet(
      @ForAll("fleets") Fleet fleet, @ForAll @IntRange(min = 1, max = 20) int steps) {
    FleetState state = new FleetState(fleet);
    PlacementPlan plan = new PlacementPlan();
    for (int i = 0; i < steps; i++) {
      plan.clear();
      if (state.planInOneDomain(-1, 1 + (i * 7) % 9, plan)) {
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
