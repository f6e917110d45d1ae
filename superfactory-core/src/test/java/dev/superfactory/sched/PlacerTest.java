package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.fleet.PlacementPlan;
import org.junit.jupiter.api.Test;

class PlacerTest {
  private static Allocation place(FleetState state, int gpus, int group, boolean span) {
    PlacementPlan plan = new PlacementPlan();
    if (!new Placer(state).plan(gpus, group, span, -1L, plan)) {
      return null;
    }
    return state.allocate(plan);
  }

  @Test
  void smallJobGoesToTheFullestDomainThatHoldsIt() {
    FleetState state = new FleetState(Fleets.uniform(2, 4, 8));
    Allocation six = place(state, 6, 2, false);
    Allocation two = place(state, 2, 2, false);
    assertThat(two.domain(0)).isEqualTo(six.domain(0));
  }

  @Test
  void gangFillsWholeDomainsOfOneBlock() {
    // 3 blocks × 4 NVL72 racks; 200 GPUs in groups of 8: 72 per rack → 2 whole racks + 56 in a third
    FleetState state = new FleetState(Fleets.uniform(3, 4, 72));
    Allocation a = place(state, 200, 8, false);
    assertThat(a.gpus()).isEqualTo(200);
    assertThat(a.blockCount(state.fleet())).isEqualTo(1);
    assertThat(a.domainCount()).isEqualTo(3);
  }

  @Test
  void scaleUpGroupsNeverStraddleDomains() {
    // groups of 16 on 72-GPU racks: a rack holds 4 groups (64 GPUs); 8 GPUs per rack stay free
    FleetState state = new FleetState(Fleets.uniform(1, 4, 72));
    Allocation a = place(state, 256, 16, false);
    assertThat(a.domainCount()).isEqualTo(4);
    for (int i = 0; i < a.domainCount(); i++) {
      assertThat(a.gpusInDomain(i) % 16).isZero();
    }
    assertThat(state.freeGpus()).isEqualTo(4 * 8);
    // 16 more GPUs cannot be placed although 32 are free: no domain has 16 free
    assertThat(place(state, 16, 16, false)).isNull();
    assertThat(place(state, 8, 8, false)).isNotNull();
  }

  @Test
  void remainderOfAGangPrefersAPartlyUsedDomainInItsBlock() {
    FleetState state = new FleetState(Fleets.uniform(2, 4, 8));
    Allocation four = place(state, 4, 4, false); // one domain has 4 free now
    int partialBlock = state.fleet().domainBlock(four.domain(0));
    // 20 GPUs = 2 whole domains + 4: the block with the partly used domain has 3 whole domains
    // (best fit for 3), and the remainder goes into the partly used domain
    Allocation gang = place(state, 20, 4, false);
    assertThat(gang.blockCount(state.fleet())).isEqualTo(1);
    boolean usesPartial = false;
    for (int i = 0; i < gang.domainCount(); i++) {
      usesPartial |= gang.domain(i) == four.domain(0);
      assertThat(state.fleet().domainBlock(gang.domain(i))).isEqualTo(partialBlock);
    }
    assertThat(usesPartial).isTrue();
    assertThat(state.blockWholeFreeDomains(1 - partialBlock)).isEqualTo(4);
  }

  @Test
  void gangSpansSitesOnlyWhenAllowedAndReportsGpusPerSite() {
    Fleet fleet = Fleets.sites(2, 1, 4, 8); // two sites of 32 GPUs
    FleetState state = new FleetState(fleet);
    assertThat(place(state, 48, 8, false)).isNull();
    Allocation a = place(state, 48, 8, true);
    assertThat(a.siteCount()).isEqualTo(2);
    assertThat(a.gpusOnSite(0) + a.gpusOnSite(1)).isEqualTo(48);
    assertThat(Math.max(a.gpusOnSite(0), a.gpusOnSite(1))).isEqualTo(32);
  }

  @Test
  void nothingChangesWhenAGangCannotBePlaced() {
    FleetState state = new FleetState(Fleets.uniform(1, 2, 8));
    place(state, 4, 4, false);
    int free = state.freeGpus();
    assertThat(place(state, 16, 8, false)).isNull();
    assertThat(state.freeGpus()).isEqualTo(free);
    state.checkInvariants();
  }

  /** Six 8-GPU jobs on two sites of 4 × 8-GPU domains: the GPUs each site holds after them, by rule. */
  private static int[] siteUseAfterSixJobs(SiteChoice choice) {
    FleetState state = new FleetState(Fleets.sites(2, 1, 4, 8));
    Placer placer = new Placer(state, choice);
    int[] bySite = new int[2];
    for (int j = 0; j < 6; j++) {
      PlacementPlan plan = new PlacementPlan();
      assertThat(placer.plan(8, 8, false, -1L, plan)).isTrue();
      Allocation a = state.allocate(plan);
      for (int s = 0; s < 2; s++) {
        bySite[s] += a.gpusOnSite(s);
      }
    }
    return bySite;
  }

  @Test
  void bestFitFillsOneSiteBeforeTheOtherAndLeastLoadedBalancesThem() {
    // best fit: the fullest site that still holds the job, so the first site fills (32) before the second
    assertThat(siteUseAfterSixJobs(SiteChoice.BEST_FIT)).containsExactly(32, 16);
    // least loaded: the site with the larger free share, alternating
    assertThat(siteUseAfterSixJobs(SiteChoice.LEAST_LOADED)).containsExactly(24, 24);
  }

  @Test
  void leastLoadedStillSpansSitesWhenNoSiteHoldsTheGang() {
    FleetState state = new FleetState(Fleets.sites(2, 1, 4, 8));
    PlacementPlan plan = new PlacementPlan();
    assertThat(new Placer(state, SiteChoice.LEAST_LOADED).plan(48, 8, false, -1L, plan)).isFalse();
    assertThat(new Placer(state, SiteChoice.LEAST_LOADED).plan(48, 8, true, -1L, plan)).isTrue();
    Allocation a = state.allocate(plan);
    assertThat(a.gpusOnSite(0) + a.gpusOnSite(1)).isEqualTo(48);
    assertThat(a.gpusOnSite(0)).isPositive();
    assertThat(a.gpusOnSite(1)).isPositive();
  }
}
