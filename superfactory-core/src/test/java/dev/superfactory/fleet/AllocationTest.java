package dev.superfactory.fleet;

import static dev.superfactory.fleet.AllocationCheck.agrees;
import static dev.superfactory.fleet.AllocationCheck.held;
import static dev.superfactory.fleet.AllocationCheck.minus;
import static dev.superfactory.fleet.AllocationCheck.union;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Allocations mixing whole domains (no mask stored) and partial ones, on {@link
 * Fleets#twoRackSizes()}: domains 0–2 have 72 GPUs (GPUs 0–215), 3–4 have 100 (216–415), both
 * two mask words; 5–7 have 8 (416–439) on site 1. Every result is checked against the GPUs the
 * fleet state handed out, through every read method ({@link AllocationCheck}).
 */
class AllocationTest {
  private final Fleet fleet = Fleets.twoRackSizes();
  private final FleetState state = new FleetState(fleet);

  /** An allocation and the GPUs the fleet state handed out for it. */
  private record Taken(Allocation a, boolean[] gpus) {}

  /** Allocates (domain, count) pairs. */
  private Taken take(int... pairs) {
    boolean[] before = AllocationCheck.notFree(state);
    PlacementPlan plan = new PlacementPlan();
    for (int k = 0; k < pairs.length; k += 2) {
      plan.add(pairs[k], pairs[k + 1]);
    }
    Allocation a = state.allocate(plan);
    return new Taken(a, minus(AllocationCheck.notFree(state), before));
  }

  private static boolean[] range(int size, int from, int to) {
    boolean[] gpus = new boolean[size];
    for (int g = from; g < to; g++) {
      gpus[g] = true;
    }
    return gpus;
  }

  private int[] domains(Allocation a) {
    int[] d = new int[a.domainCount()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.domain(i);
    }
    return d;
  }

  @Test
  void wholeAndPartialDomainsReadLikeTheGpusHandedOut() {
    Taken t = take(0, 72, 1, 10, 3, 100, 4, 70, 5, 8, 6, 3);
    Allocation a = t.a();
    assertThat(new boolean[] {a.isWhole(0), a.isWhole(1), a.isWhole(2), a.isWhole(3), a.isWhole(4), a.isWhole(5)})
        .containsExactly(true, false, true, false, true, false);
    agrees(fleet, a, t.gpus());
    // 6 domains: 24 B; layout: 1 whole word 8 B + 1 rank int 4 B + 4 word starts 16 B = 28 B;
    // masks of the 3 partial domains only: 2 + 2 + 1 words = 40 B; 2 sites: 8 B. Total 100 B
    // (one mask per domain would be 2 + 2 + 2 + 2 + 1 + 1 words = 80 B, and 7 word starts).
    assertThat(a.footprintBytes()).isEqualTo(100);
  }

  @Test
  void aWholeDomainsMaskIsBuiltFromItsSize() {
    Allocation a = take(3, 100).a();
    assertThat(a.isWhole(0)).isTrue();
    assertThat(a.words(0)).isEqualTo(2);
    assertThat(a.mask(0, 0)).isEqualTo(-1L);
    assertThat(a.mask(0, 1)).isEqualTo((1L << 36) - 1); // GPUs 64..99
    assertThat(a.holds(0, 99)).isTrue();
    assertThat(a.holds(0, 100)).isFalse();
    assertThat(a.gpusInDomain(0)).isEqualTo(100);
    assertThat(a.footprintBytes()).isEqualTo(4 + (8 + 4 + 4) + 0 + 8);
  }

  @Test
  void substitutingWholeForWholeKeepsEveryPositionAndTheOriginal() {
    Taken t = take(0, 72, 1, 10, 3, 100);
    Allocation broken = t.a().subset(fleet, new int[] {0});
    state.release(broken);
    Taken replacement = take(2, 72);
    Allocation repaired = t.a().substitute(fleet, new int[] {0}, replacement.a());
    assertThat(domains(repaired)).containsExactly(2, 1, 3);
    agrees(fleet, repaired, union(minus(t.gpus(), range(fleet.totalGpus(), 0, 72)), replacement.gpus()));
    agrees(fleet, t.a(), t.gpus());
    // a 100-GPU rack for a 72-GPU one: both whole, both two words, so it takes its place too
    state.release(repaired.subset(fleet, new int[] {2}));
    Taken smaller = take(0, 72);
    Allocation shrunk = repaired.substitute(fleet, new int[] {2}, smaller.a());
    assertThat(domains(shrunk)).containsExactly(2, 1, 0);
    assertThat(shrunk.gpus()).isEqualTo(72 + 10 + 72);
    agrees(fleet, shrunk, union(minus(held(fleet, repaired), range(fleet.totalGpus(), 216, 316)), smaller.gpus()));
    state.release(shrunk);
    assertThat(state.freeGpus()).isEqualTo(fleet.totalGpus());
    state.checkInvariants();
  }

  @Test
  void substitutingPartialForPartialTakesItsPlace() {
    Taken t = take(0, 72, 1, 10);
    state.release(t.a().subset(fleet, new int[] {1}));
    take(2, 5);
    Taken replacement = take(2, 10); // locals 5..14 where the old domain had 0..9
    Allocation repaired = t.a().substitute(fleet, new int[] {1}, replacement.a());
    assertThat(domains(repaired)).containsExactly(0, 2);
    agrees(fleet, repaired, union(minus(t.gpus(), range(fleet.totalGpus(), 72, 82)), replacement.gpus()));
    agrees(fleet, t.a(), t.gpus());
  }

  @Test
  void substitutingAWholeRackByPartOfALargerOneKeepsPositions() {
    Taken t = take(0, 72, 1, 72, 5, 8);
    state.release(t.a().subset(fleet, new int[] {0}));
    Taken replacement = take(3, 72); // 72 of a 100-GPU rack: partial, same two words
    Allocation repaired = t.a().substitute(fleet, new int[] {0}, replacement.a());
    assertThat(domains(repaired)).containsExactly(3, 1, 5);
    assertThat(repaired.isWhole(0)).isFalse();
    agrees(fleet, repaired, union(minus(t.gpus(), range(fleet.totalGpus(), 0, 72)), replacement.gpus()));
  }

  @Test
  void substitutingWithOtherWordCountsPutsTheNewDomainsWhereTheFirstRemovedOneWas() {
    Taken t = take(0, 72, 1, 72, 3, 100);
    state.release(t.a().subset(fleet, new int[] {1}));
    Taken servers = take(5, 8, 6, 8); // two one-word domains for one two-word rack
    Allocation repaired = t.a().substitute(fleet, new int[] {1}, servers.a());
    assertThat(domains(repaired)).containsExactly(0, 5, 6, 3);
    agrees(fleet, repaired, union(minus(t.gpus(), range(fleet.totalGpus(), 72, 144)), servers.gpus()));
    assertThat(repaired.gpusOnSite(1)).isEqualTo(16);
  }

  @Test
  void exchangeSwapsGpusWithinPartialDomainsAndLeavesTheOriginal() {
    Taken mine = take(0, 72, 1, 40); // rack 0 whole, GPUs 72..111
    Taken spares = take(1, 10); // GPUs 112..121
    long[][] giveUp = {null, {0x3FFL, 0}}; // locals 0..9
    long[][] takeOn = {null, {0x3FFL << 40, 0}}; // locals 40..49
    Allocation swapped = mine.a().exchange(giveUp, takeOn);
    Allocation pool = spares.a().exchange(new long[][] {takeOn[1]}, new long[][] {giveUp[1]});
    boolean[] n = range(fleet.totalGpus(), 0, 72);
    agrees(fleet, swapped, union(n, range(fleet.totalGpus(), 82, 122)));
    agrees(fleet, pool, range(fleet.totalGpus(), 72, 82));
    agrees(fleet, mine.a(), mine.gpus());
    state.release(swapped);
    state.release(pool);
    assertThat(state.freeGpus()).isEqualTo(fleet.totalGpus());
    state.checkInvariants();
  }

  @Test
  void exchangeNamingAWholeDomainWithoutChangingItKeepsItWhole() {
    Taken mine = take(0, 72, 1, 40);
    Taken spares = take(1, 10);
    long[][] giveUp = {{1, 0}, {0x3FFL, 0}}; // GPU 0 of the whole rack for itself
    long[][] takeOn = {{1, 0}, {0x3FFL << 40, 0}};
    Allocation swapped = mine.a().exchange(giveUp, takeOn);
    assertThat(swapped.isWhole(0)).isTrue();
    agrees(fleet, swapped, union(range(fleet.totalGpus(), 0, 72), range(fleet.totalGpus(), 82, 122)));
    assertThat(spares.a().gpus()).isEqualTo(10);
  }

  @Test
  void exchangeMustKeepEachDomainsGpuCount() {
    Allocation a = take(1, 40).a();
    long[][] giveUp = {{1, 0}};
    long[][] takeOn = {{0, 3}}; // one GPU out, two in (in the second word)
    assertThatThrownBy(() -> a.exchange(giveUp, takeOn)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("domain 1: removes 1, adds 2");
  }

  @Test
  void subsetWithoutAndMergeGiveBackTheSameGpus() {
    Taken t = take(0, 72, 1, 10, 3, 100, 4, 70, 5, 8, 6, 3);
    int[] picked = {1, 2, 5};
    Allocation sub = t.a().subset(fleet, picked);
    Allocation rest = t.a().without(fleet, picked);
    assertThat(domains(sub)).containsExactly(1, 3, 6);
    assertThat(domains(rest)).containsExactly(0, 4, 5);
    assertThat(new boolean[] {sub.isWhole(0), sub.isWhole(1), sub.isWhole(2)}).containsExactly(false, true, false);
    agrees(fleet, sub, minus(t.gpus(), held(fleet, rest)));
    agrees(fleet, rest, minus(t.gpus(), held(fleet, sub)));
    assertThat(rest.groupMask()).isEqualTo(t.a().groupMask());
    Allocation merged = sub.merge(rest);
    assertThat(domains(merged)).containsExactly(1, 3, 6, 0, 4, 5);
    agrees(fleet, merged, t.gpus());
    state.release(merged);
    assertThat(state.freeGpus()).isEqualTo(fleet.totalGpus());
  }

  @Test
  void splitPartsMergeBackToTheSameGpus() {
    Taken t = take(0, 72, 1, 10, 3, 100, 4, 70, 5, 8, 6, 3);
    Allocation[] bySite = t.a().splitBySite(fleet, 1);
    assertThat(domains(bySite[0])).containsExactly(5, 6);
    assertThat(domains(bySite[1])).containsExactly(0, 1, 3, 4);
    agrees(fleet, bySite[0], union(range(fleet.totalGpus(), 416, 424), range(fleet.totalGpus(), 424, 427)));
    agrees(fleet, bySite[1], minus(t.gpus(), held(fleet, bySite[0])));
    assertThat(bySite[0].siteCount()).isEqualTo(1);
    Allocation[] evenOdd = t.a().split(fleet, i -> i % 2 == 0);
    assertThat(domains(evenOdd[0])).containsExactly(0, 3, 5);
    agrees(fleet, evenOdd[0].merge(evenOdd[1]), t.gpus());
  }

  @Test
  void anAllocationRefusesAnotherFleet() {
    Allocation a = take(0, 72).a();
    assertThatThrownBy(() -> a.subset(Fleets.twoRackSizes(), new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void releasingAWholeRackWithAFailedGpuKeepsThatGpuOutOfService() {
    Allocation a = take(0, 72).a();
    state.markDown(5, 1);
    assertThat(state.holdsDown(a, 0)).isTrue();
    state.release(a);
    assertThat(state.domainFreeGpus(0)).isEqualTo(71);
    assertThat(state.isDown(5)).isTrue();
    assertThat(state.isFree(5)).isFalse();
    state.checkInvariants();
  }
}
