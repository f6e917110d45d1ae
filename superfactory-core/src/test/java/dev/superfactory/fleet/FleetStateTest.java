package dev.superfactory.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FleetStateTest {
  @Test
  void kGpusGoToTheDomainWithTheFewestSpare() {
    FleetState state = new FleetState(Fleets.uniform(2, 4, 8));
    PlacementPlan plan = new PlacementPlan();
    state.planInOneDomain(-1, 5, plan);
    Allocation five = state.allocate(plan);
    int d = five.domain(0);
    assertThat(state.domainFreeGpus(d)).isEqualTo(3);
    // 3 GPUs fit exactly in the leftover of that domain: best fit picks it, not a whole domain
    plan.clear();
    assertThat(state.planInOneDomain(-1, 3, plan)).isTrue();
    assertThat(plan.domain(0)).isEqualTo(d);
    // 4 GPUs do not fit there: a whole domain is used
    plan.clear();
    state.planInOneDomain(-1, 4, plan);
    assertThat(plan.domain(0)).isNotEqualTo(d);
    assertThat(state.domainFreeGpus(plan.domain(0))).isEqualTo(8);
    state.checkInvariants();
  }

  @Test
  void wholeDomainsComeFromOneBlockWhenOneCanHoldThem() {
    // 3 blocks of 4 domains; take 2 domains from block 0 so it has 2 whole left
    FleetState state = new FleetState(Fleets.uniform(3, 4, 8));
    PlacementPlan plan = new PlacementPlan();
    plan.add(0, 8);
    plan.add(1, 8);
    state.allocate(plan);
    plan.clear();
    // 2 whole domains: block 0 is the best fit (exactly 2 left), keeping blocks 1 and 2 whole
    assertThat(state.planWholeDomains(2, -1, false, plan)).isTrue();
    assertThat(plan.size()).isEqualTo(2);
    for (int i = 0; i < plan.size(); i++) {
      assertThat(state.fleet().domainBlock(plan.domain(i))).isZero();
    }
    // 3 whole domains: block 0 cannot hold them, a full block can
    plan.clear();
    state.planWholeDomains(3, -1, false, plan);
    int block = state.fleet().domainBlock(plan.domain(0));
    assertThat(block).isNotZero();
    for (int i = 0; i < plan.size(); i++) {
      assertThat(state.fleet().domainBlock(plan.domain(i))).isEqualTo(block);
    }
  }

  @Test
  void wholeDomainsSpanBlocksLargestFirstThenSitesOnlyWhenAllowed() {
    FleetState state = new FleetState(Fleets.sites(2, 2, 4, 8)); // 2 sites × 2 blocks × 4 domains
    PlacementPlan plan = new PlacementPlan();
    // 6 domains: no block holds them; one site (8 whole) does, in 2 blocks
    assertThat(state.planWholeDomains(6, -1, false, plan)).isTrue();
    Allocation six = state.allocate(plan);
    assertThat(six.blockCount(state.fleet())).isEqualTo(2);
    assertThat(six.siteCount()).isEqualTo(1);
    // 4 more: the other site's 8 whole domains hold them in one block
    plan.clear();
    assertThat(state.planWholeDomains(4, -1, false, plan)).isTrue();
    plan.clear();
    // 9: no site has 9 whole domains; refused unless the job may span sites
    assertThat(state.planWholeDomains(9, -1, false, plan)).isFalse();
    assertThat(plan.isEmpty()).isTrue();
    assertThat(state.planWholeDomains(10, -1, true, plan)).isTrue();
    Allocation ten = state.allocate(plan);
    assertThat(ten.siteCount()).isEqualTo(2);
    assertThat(ten.gpusOnSite(0) + ten.gpusOnSite(1)).isEqualTo(80);
    assertThat(state.freeGpus()).isZero();
    state.checkInvariants();
  }

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
    // 40 GPUs in one domain on site 0: only an NVL72 rack can hold them
    assertThat(state.planInOneDomain(0, 40, plan)).isTrue();
    assertThat(state.fleet().domainSize(plan.domain(0))).isEqualTo(72);
    state.allocate(plan);
    assertThat(state.siteFreeGpus(0)).isEqualTo(48 + 144 - 40);
    assertThat(state.groupWholeFreeDomains(1)).isEqualTo(1);
    assertThat(state.siteWholeFreeDomains(0)).isEqualTo(6 + 1);
    plan.clear();
    // on site 1 there are only 8-GPU domains
    assertThat(state.planInOneDomain(1, 9, plan)).isFalse();
    state.checkInvariants();
  }
}
