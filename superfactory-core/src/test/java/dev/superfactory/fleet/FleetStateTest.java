package dev.superfactory.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FleetStateTest {
  @Test
  void releaseReturnsExactlyTheGpusTaken() {
    FleetState state = new FleetState(Fleets.uniform(1, 2, 72));
    PlacementPlan plan = new PlacementPlan();
    plan.add(0, 70);
    Allocation a = state.allocate(plan);
    plan.clear();
    plan.add(0, 2);
    Allocation b = state.allocate(plan);
    assertThat(state.domainFreeGpus(0)).isZero();
    // b holds GPUs 70 and 71: the second word of the domain's mask
    assertThat(b.holds(0, 70)).isTrue();
    assertThat(b.holds(0, 71)).isTrue();
    assertThat(b.holds(0, 0)).isFalse();
    state.release(a);
    assertThat(state.domainFreeGpus(0)).isEqualTo(70);
    assertThat(state.isFree(70)).isFalse();
    assertThat(state.isFree(0)).isTrue();
    state.checkInvariants();
  }

  /** Domain 0 of 72 GPUs (two words): a job holds GPUs 0–69; GPUs 60–71 go down; 70 and 71 are down and held by none. */
  @Test
  void downGpusNoJobHoldsAreCountedPerDomainAcrossWords() {
    FleetState state = new FleetState(Fleets.uniform(1, 2, 72));
    PlacementPlan plan = new PlacementPlan();
    plan.add(0, 70);
    Allocation a = state.allocate(plan);
    state.markDown(60, 12);
    assertThat(state.domainDownUnheldGpus(0)).isEqualTo(2);
    assertThat(state.domainDownUnheldGpus(1)).isZero();
    state.release(a);
    assertThat(state.domainDownUnheldGpus(0)).isEqualTo(12);
    state.markUp(60, 12);
    assertThat(state.domainDownUnheldGpus(0)).isZero();
    state.checkInvariants();
  }

  @Test
  void doubleReleaseIsRefusedAndChangesNothing() {
    FleetState state = new FleetState(Fleets.uniform(1, 2, 8));
    PlacementPlan plan = new PlacementPlan();
    plan.add(1, 8);
    Allocation a = state.allocate(plan);
    state.release(a);
    assertThatThrownBy(() -> state.release(a)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("double release");
    assertThat(state.freeGpus()).isEqualTo(16);
    state.checkInvariants();
  }

  @Test
  void overAskingPlanIsRefusedAndChangesNothing() {
    FleetState state = new FleetState(Fleets.uniform(1, 2, 8));
    PlacementPlan plan = new PlacementPlan();
    plan.add(0, 6);
    plan.add(0, 6);
    assertThatThrownBy(() -> state.allocate(plan)).isInstanceOf(IllegalStateException.class);
    assertThat(state.freeGpus()).isEqualTo(16);
    plan.clear();
    plan.add(1, 9);
    assertThatThrownBy(() -> state.allocate(plan)).isInstanceOf(IllegalStateException.class);
    state.checkInvariants();
  }

  @Test
  void aggregatesFollowMixedDomainSizes() {
    FleetState state = new FleetState(Fleets.mixed());
    PlacementPlan plan = new PlacementPlan();
    // domain 6 is the first NVL72 rack (group 1, block 2) on site 0
    plan.add(6, 40);
    state.allocate(plan);
    assertThat(state.domainFreeGpus(6)).isEqualTo(72 - 40);
    assertThat(state.blockFreeGpus(2)).isEqualTo(144 - 40);
    assertThat(state.groupFreeGpus(1)).isEqualTo(144 - 40);
    assertThat(state.siteFreeGpus(0)).isEqualTo(48 + 144 - 40);
    assertThat(state.freeGpus()).isEqualTo(240 - 40);
    assertThat(state.blockWholeFreeDomains(2)).isEqualTo(1);
    assertThat(state.groupWholeFreeDomains(1)).isEqualTo(1);
    assertThat(state.siteWholeFreeDomains(0)).isEqualTo(6 + 1);
    assertThat(state.siteWholeFreeDomains(1)).isEqualTo(6);
    state.checkInvariants();
  }

  @Test
  void searchesFindTheBestFittingDomainAndBlock() {
    // 3 blocks × 4 domains × 8 GPUs: domain 0 keeps 3 free, domain 5 keeps 6, domains 8 and 9 none
    FleetState state = new FleetState(Fleets.uniform(3, 4, 8));
    PlacementPlan plan = new PlacementPlan();
    plan.add(0, 5);
    plan.add(5, 2);
    plan.add(8, 8);
    plan.add(9, 8);
    state.allocate(plan);
    assertThat(state.bestFitDomain(0, 3)).isZero();
    assertThat(state.bestFitDomain(0, 4)).isEqualTo(5);
    assertThat(state.domainFreeGpus(state.bestFitDomain(0, 7))).isEqualTo(8);
    assertThat(state.bestFitDomain(0, 9)).isEqualTo(-1);
    assertThat(state.bestFitDomainInSite(0, 4)).isEqualTo(5);
    assertThat(state.largestDomainFreeAtMost(0, 7)).isEqualTo(6);
    assertThat(state.largestDomainFreeAtMost(0, 2)).isZero();
    assertThat(state.domainsWithFree(0, 8)).isEqualTo(12 - 4);
    assertThat(state.firstDomainWithFree(0, 3)).isZero();
    assertThat(state.nextDomainSameFree(0)).isEqualTo(-1);
    // whole free domains per block: 3, 3, 2
    assertThat(state.bestFitBlock(0, 2)).isEqualTo(2);
    assertThat(state.bestFitBlock(0, 3)).isIn(0, 1);
    assertThat(state.bestFitBlock(0, 4)).isEqualTo(-1);
    assertThat(state.largestBlockWholeAtMost(0, Integer.MAX_VALUE)).isEqualTo(3);
    int first = state.firstBlockWithWhole(0, 3);
    int second = state.nextBlockSameWhole(first);
    assertThat(new int[] {first, second}).containsExactlyInAnyOrder(0, 1);
    assertThat(state.nextBlockSameWhole(second)).isEqualTo(-1);
  }

  @Test
  void allocationTakesTheLowestNumberedFreeGpusOfEachDomain() {
    FleetState state = new FleetState(Fleets.uniform(1, 2, 72));
    state.markDown(1, 2); // GPUs 1 and 2 of domain 0 are out of service
    PlacementPlan plan = new PlacementPlan();
    plan.add(0, 66);
    Allocation a = state.allocate(plan);
    // 0, then 3..67: 66 GPUs across both words of the domain
    assertThat(a.holds(0, 0)).isTrue();
    assertThat(a.holds(0, 1)).isFalse();
    assertThat(a.holds(0, 3)).isTrue();
    assertThat(a.holds(0, 67)).isTrue();
    assertThat(a.holds(0, 68)).isFalse();
    assertThat(state.isFree(68)).isTrue();
    state.checkInvariants();
  }
}
