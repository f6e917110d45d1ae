package dev.superfactory.fleet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The checker is only worth running if it fails: each test corrupts one field the way a bug would. */
class FleetStateCheckerTest {
  /** 3 blocks × 4 domains × 8 GPUs, with some GPUs allocated and some down. */
  private static FleetState busyState() {
    FleetState state = new FleetState(Fleets.uniform(3, 4, 8));
    PlacementPlan plan = new PlacementPlan();
    plan.add(1, 5);
    plan.add(4, 8);
    state.allocate(plan);
    state.markDown(40, 3);
    state.checkInvariants();
    return state;
  }

  private static void assertCheckFails(Consumer<FleetState> corrupt, String message) {
    FleetState state = busyState();
    corrupt.accept(state);
    assertThatThrownBy(state::checkInvariants).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aFreeBitLostWithoutAnAllocationIsCaught() {
    assertCheckFails(s -> s.free[0] &= ~1L, "domain 0: free bits are not the GPUs neither allocated nor down");
  }

  @Test
  void aDomainCountThatDisagreesWithItsBitsIsCaught() {
    assertCheckFails(s -> s.index.domainFree[2]--, "domain 2 counts 7 free, bits say 8");
  }

  @Test
  void aWrongDownCounterIsCaught() {
    assertCheckFails(s -> s.siteDown[0]++, "down counters disagree with the down bits");
  }

  @Test
  void aWrongBlockAggregateIsCaught() {
    assertCheckFails(s -> s.index.blockWhole[2]--, "block aggregates disagree with domains");
  }

  @Test
  void aWrongSiteAggregateIsCaught() {
    assertCheckFails(s -> s.index.siteFree[0]++, "group, site or fleet aggregates disagree with blocks");
  }

  @Test
  void aDomainInTheWrongBucketIsCaught() {
    // domain 0 has 8 free; filing it under 7 leaves bucket 7 with one domain too many
    assertCheckFails(s -> s.index.domainsByFree.move(0, 0, 8, 7), "group 0 bucket 7 holds 1 domains, expected 0");
  }

  @Test
  void aBlockInTheWrongBucketIsCaught() {
    // block 2 has 4 wholly free domains
    assertCheckFails(s -> s.index.blocksByWhole.move(2, 0, 4, 3), "block 2 misfiled under 3 whole free domains");
  }
}
