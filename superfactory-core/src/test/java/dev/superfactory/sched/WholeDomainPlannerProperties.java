package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.fleet.PlacementPlan;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of plans, releases and failures on small fleets: every plan the
 * {@link WholeDomainPlanner} returns can be allocated and has the promised shape (one domain; n
 * wholly free domains; one site unless spanning is allowed; the requested site), and it refuses
 * only when no such placement exists, leaving the plan empty.
 */
class WholeDomainPlannerProperties {
  /** kind 0 = k GPUs in one domain, 1 = n whole domains, 2 = release the i-th held allocation, 3 = mark GPUs down. */
  record Op(int kind, int amount, int site, boolean span) {}

  @Provide
  Arbitrary<List<Op>> opLists() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(1, 80),
            Arbitraries.integers().between(-1, 1),
            Arbitraries.of(true, false))
        .as(Op::new).list().ofMaxSize(60);
  }

  @Provide
  Arbitrary<Fleet> fleets() {
    return Arbitraries.of(Fleets.mixed(), Fleets.uniform(3, 4, 8), Fleets.sites(2, 2, 3, 72), Fleets.uniform(2, 2, 130));
  }

  @Property(tries = 300)
  void plansHaveThePromisedShapeAndRefusalsAreJustified(
      @ForAll("fleets") Fleet fleet, @ForAll("opLists") List<Op> ops) {
    FleetState state = new FleetState(fleet);
    WholeDomainPlanner planner = new WholeDomainPlanner(state);
    List<Allocation> held = new ArrayList<>();
    PlacementPlan plan = new PlacementPlan();
    for (Op op : ops) {
      plan.clear();
      int site = op.site() < fleet.siteCount() ? op.site() : -1;
      if (op.kind() == 3) {
        int first = (op.amount() * 7919 + op.site() * 31) % fleet.totalGpus();
        state.markDown(first, Math.min(1 + op.amount() % 20, fleet.totalGpus() - first));
      } else if (op.kind() == 2) {
        if (!held.isEmpty()) {
          state.release(held.remove(op.amount() % held.size()));
        }
      } else if (op.kind() == 0) {
        oneDomain(state, planner, site, op.amount(), plan, held);
      } else {
        wholeDomains(state, planner, 1 + op.amount() % 7, site, op.span(), plan, held);
      }
      state.checkInvariants();
    }
  }

  private static void oneDomain(FleetState state, WholeDomainPlanner planner, int site, int k,
      PlacementPlan plan, List<Allocation> held) {
    Fleet fleet = state.fleet();
    int fewestSpare = Integer.MAX_VALUE; // the best fit, found by scanning every allowed domain
    for (int d = 0; d < fleet.domainCount(); d++) {
      if ((site < 0 || fleet.domainSite(d) == site) && state.domainFreeGpus(d) >= k) {
        fewestSpare = Math.min(fewestSpare, state.domainFreeGpus(d));
      }
    }
    if (!planner.planInOneDomain(site, k, plan)) {
      assertThat(plan.isEmpty()).isTrue();
      assertThat(fewestSpare).as("refused %d GPUs although a domain has them", k).isEqualTo(Integer.MAX_VALUE);
      return;
    }
    assertThat(plan.size()).isEqualTo(1);
    assertThat(plan.count(0)).isEqualTo(k);
    assertThat(state.domainFreeGpus(plan.domain(0))).isEqualTo(fewestSpare);
    assertThat(site < 0 || fleet.domainSite(plan.domain(0)) == site).isTrue();
    held.add(state.allocate(plan));
  }

  private static void wholeDomains(FleetState state, WholeDomainPlanner planner, int n, int site, boolean span,
      PlacementPlan plan, List<Allocation> held) {
    Fleet fleet = state.fleet();
    int allowedWhole = 0;
    int mostOnOneSite = 0;
    for (int s = 0; s < fleet.siteCount(); s++) {
      if (site < 0 || s == site) {
        allowedWhole += state.siteWholeFreeDomains(s);
        mostOnOneSite = Math.max(mostOnOneSite, state.siteWholeFreeDomains(s));
      }
    }
    if (!planner.planWholeDomains(n, site, span, plan)) {
      assertThat(plan.isEmpty()).isTrue();
      assertThat(span ? allowedWhole : mostOnOneSite).as("refused %d whole domains", n).isLessThan(n);
      return;
    }
    assertThat(plan.size()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      int d = plan.domain(i);
      assertThat(plan.count(i)).isEqualTo(fleet.domainSize(d));
      assertThat(state.domainFreeGpus(d)).isEqualTo(fleet.domainSize(d));
      assertThat(site < 0 || fleet.domainSite(d) == site).isTrue();
    }
    Allocation a = state.allocate(plan);
    assertThat(a.domainCount()).isEqualTo(n);
    if (!span || mostOnOneSite >= n) {
      assertThat(a.siteCount()).isEqualTo(1);
    }
    held.add(a);
  }
}
