package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.fleet.PlacementPlan;
import org.junit.jupiter.api.Test;

class WholeDomainPlannerTest {
  @Test
  void kGpusGoToTheDomainWithTheFewestSpare() {
    FleetState state = new FleetState(Fleets.uniform(2, 4, 8));
    WholeDomainPlanner planner = new WholeDomainPlanner(state);
    PlacementPlan plan = new PlacementPlan();
    planner.planInOneDomain(-1, 5, plan);
    Allocation five = state.allocate(plan);
    int d = five.domain(0);
    assertThat(state.domainFreeGpus(d)).isEqualTo(3);
    // 3 GPUs fit exactly in the leftover of that domain: best fit picks it, not a whole domain
    plan.clear();
    assertThat(planner.planInOneDomain(-1, 3, plan)).isTrue();
    assertThat(plan.domain(0)).isEqualTo(d);
    // 4 GPUs do not fit there: a whole domain is used
    plan.clear();
    planner.planInOneDomain(-1, 4, plan);
    assertThat(plan.domain(0)).isNotEqualTo(d);
    assertThat(state.domainFreeGpus(plan.domain(0))).isEqualTo(8);
    state.checkInvariants();
  }

  @Test
  void oneDomainPlansRespectTheSiteAndItsDomainSizes() {
    FleetState state = new FleetState(Fleets.mixed());
    WholeDomainPlanner planner = new WholeDomainPlanner(state);
    PlacementPlan plan = new PlacementPlan();
    // 40 GPUs in one domain on site 0: only an NVL72 rack can hold them
    assertThat(planner.planInOneDomain(0, 40, plan)).isTrue();
    assertThat(state.fleet().domainSize(plan.domain(0))).isEqualTo(72);
    assertThat(plan.count(0)).isEqualTo(40);
    plan.clear();
    // on site 1 there are only 8-GPU domains: 9 GPUs do not fit, and the plan stays empty
    assertThat(planner.planInOneDomain(1, 9, plan)).isFalse();
    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void wholeDomainsComeFromOneBlockWhenOneCanHoldThem() {
    // 3 blocks of 4 domains; take 2 domains from block 0 so it has 2 whole left
    FleetState state = new FleetState(Fleets.uniform(3, 4, 8));
    WholeDomainPlanner planner = new WholeDomainPlanner(state);
    PlacementPlan plan = new PlacementPlan();
    plan.add(0, 8);
    plan.add(1, 8);
    state.allocate(plan);
    plan.clear();
    // 2 whole domains: block 0 is the best fit (exactly 2 left), keeping blocks 1 and 2 whole
    assertThat(planner.planWholeDomains(2, -1, false, plan)).isTrue();
    assertThat(plan.size()).isEqualTo(2);
    for (int i = 0; i < plan.size(); i++) {
      assertThat(state.fleet().domainBlock(plan.domain(i))).isZero();
    }
    // 3 whole domains: block 0 cannot hold them, a full block can
    plan.clear();
    planner.planWholeDomains(3, -1, false, plan);
    int block = state.fleet().domainBlock(plan.domain(0));
    assertThat(block).isNotZero();
    for (int i = 0; i < plan.size(); i++) {
      assertThat(state.fleet().domainBlock(plan.domain(i))).isEqualTo(block);
    }
  }

  @Test
  void wholeDomainsSpanBlocksLargestFirstThenSitesOnlyWhenAllowed() {
    FleetState state = new FleetState(Fleets.sites(2, 2, 4, 8)); // 2 sites × 2 blocks × 4 domains
    WholeDomainPlanner planner = new WholeDomainPlanner(state);
    PlacementPlan plan = new PlacementPlan();
    // 6 domains: no block holds them; one site (8 whole) does, in 2 blocks
    assertThat(planner.planWholeDomains(6, -1, false, plan)).isTrue();
    Allocation six = state.allocate(plan);
    assertThat(six.blockCount(state.fleet())).isEqualTo(2);
    assertThat(six.siteCount()).isEqualTo(1);
    // 4 more: the other site's 8 whole domains hold them in one block
    plan.clear();
    assertThat(planner.planWholeDomains(4, -1, false, plan)).isTrue();
    plan.clear();
    // 9: no site has 9 whole domains; refused unless the job may span sites
    assertThat(planner.planWholeDomains(9, -1, false, plan)).isFalse();
    assertThat(plan.isEmpty()).isTrue();
    assertThat(planner.planWholeDomains(10, -1, true, plan)).isTrue();
    Allocation ten = state.allocate(plan);
    assertThat(ten.siteCount()).isEqualTo(2);
    assertThat(ten.gpusOnSite(0) + ten.gpusOnSite(1)).isEqualTo(80);
    assertThat(state.freeGpus()).isZero();
    state.checkInvariants();
  }
}
