package dev.superfactory.fleet;

import static dev.superfactory.fleet.AllocationCheck.agrees;
import static dev.superfactory.fleet.AllocationCheck.held;
import static dev.superfactory.fleet.AllocationCheck.minus;
import static dev.superfactory.fleet.AllocationCheck.union;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of allocate, release, repair by substitute, spare-style exchange and
 * split/merge round trips on small fleets, against a naive model: each held allocation's GPUs as a
 * plain set. After every step each allocation reads exactly its model set through every read
 * method ({@link AllocationCheck}), the allocations together hold exactly the GPUs the fleet
 * state counts as taken, and the state's invariants hold.
 */
class AllocationProperties {
  /**
   * One step: kind 0 = allocate up to 4 domains from a domain picked by {@code at} (each in full
   * if wholly free, else {@code amount} GPUs), 1 = release, 2 = repair: give up the positions
   * picked by the bits of {@code amount} and substitute as many new domains (fewer if none are
   * free), 3 = exchange up to {@code amount} GPUs of a partial position for free ones of its
   * domain, 4 = subset/without/merge and split round trips. {@code at} picks the allocation.
   */
  record Op(int kind, int amount, int at) {}

  /** A held allocation and its model: the GPUs it should hold. */
  private record Held(Allocation a, boolean[] gpus) {}

  @Provide
  Arbitrary<List<Op>> opLists() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 4),
            Arbitraries.integers().between(1, 200),
            Arbitraries.integers().between(0, 1000))
        .as(Op::new).list().ofMaxSize(50);
  }

  @Provide
  Arbitrary<Fleet> fleets() {
    return Arbitraries.of(Fleets.twoRackSizes(), Fleets.mixed(), Fleets.uniform(2, 2, 130), Fleets.uniform(3, 4, 8));
  }

  @Property(tries = 200)
  void allocationsReadExactlyTheirModelGpus(@ForAll("fleets") Fleet fleet, @ForAll("opLists") List<Op> ops) {
    FleetState state = new FleetState(fleet);
    List<Held> held = new ArrayList<>();
    for (Op op : ops) {
      step(state, held, op);
      boolean[] all = new boolean[fleet.totalGpus()];
      for (Held h : held) {
        agrees(fleet, h.a(), h.gpus());
        all = union(all, h.gpus());
      }
      assertThat(AllocationCheck.notFree(state)).isEqualTo(all);
      state.checkInvariants();
    }
  }

  private static void step(FleetState state, List<Held> held, Op op) {
    if (op.kind() == 0) {
      Held h = allocate(state, op);
      if (h != null) {
        held.add(h);
      }
      return;
    }
    if (held.isEmpty()) {
      return;
    }
    int k = op.at() % held.size();
    Held h = held.get(k);
    switch (op.kind()) {
      case 1 -> {
        state.release(held.remove(k).a());
        return;
      }
      case 2 -> held.set(k, repair(state, h, op.amount()));
      case 3 -> held.set(k, exchange(state, h, op.amount()));
      default -> roundTrips(state.fleet(), h);
    }
  }

  private static Held allocate(FleetState state, Op op) {
    Fleet fleet = state.fleet();
    PlacementPlan plan = new PlacementPlan();
    int first = op.at() % fleet.domainCount();
    for (int d = first; d < Math.min(fleet.domainCount(), first + 1 + op.amount() % 4); d++) {
      int free = state.domainFreeGpus(d);
      if (free > 0) {
        plan.add(d, free == fleet.domainSize(d) && op.amount() % 3 != 0 ? free : Math.min(free, op.amount()));
      }
    }
    return plan.isEmpty() ? null : take(state, plan);
  }

  private static Held take(FleetState state, PlacementPlan plan) {
    boolean[] before = AllocationCheck.notFree(state);
    Allocation a = state.allocate(plan);
    return new Held(a, minus(AllocationCheck.notFree(state), before));
  }

  /** Gives up the positions picked by {@code bits} and takes as many GPUs in other domains, as a repair does. */
  private static Held repair(FleetState state, Held h, int bits) {
    Allocation a = h.a();
    int[] broken = picked(a.domainCount(), bits);
    Allocation gone = a.subset(state.fleet(), broken);
    state.release(gone);
    boolean[] kept = minus(h.gpus(), held(state.fleet(), gone));
    PlacementPlan plan = new PlacementPlan();
    int d = bits % state.fleet().domainCount();
    for (int j = 0; j < broken.length && plan.gpus() < gone.gpus(); j++) {
      d = nextWithFree(state, d);
      if (d < 0) {
        break;
      }
      plan.add(d, Math.min(state.domainFreeGpus(d), a.gpusInDomain(broken[j])));
      d++;
    }
    if (plan.isEmpty()) {
      return new Held(a.without(state.fleet(), broken), kept);
    }
    Held added = take(state, plan);
    return new Held(a.substitute(state.fleet(), broken, added.a()), union(kept, added.gpus()));
  }

  /** Ascending positions whose bit is set in {@code bits} (at least one). */
  private static int[] picked(int n, int bits) {
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if ((bits >>> (i % 8) & 1) != 0) {
        out[k++] = i;
      }
    }
    return k == 0 ? new int[] {n - 1} : java.util.Arrays.copyOf(out, k);
  }

  /** The first domain from {@code from} (wrapping) with a free GPU, or -1. */
  private static int nextWithFree(FleetState state, int from) {
    int n = state.fleet().domainCount();
    for (int k = 0; k < n; k++) {
      int d = (from + k) % n;
      if (state.domainFreeGpus(d) > 0) {
        return d;
      }
    }
    return -1;
  }

  /**
   * Swaps up to {@code amount} GPUs of the first partial position whose domain has free GPUs for
   * free ones of that domain, as the spare pool does: the free ones are taken by a helper
   * allocation that gets the given-up GPUs in exchange and is released.
   */
  private static Held exchange(FleetState state, Held h, int amount) {
    Allocation a = h.a();
    for (int i = 0; i < a.domainCount(); i++) {
      int d = a.domain(i);
      int m = Math.min(amount, Math.min(a.gpusInDomain(i), state.domainFreeGpus(d)));
      if (!a.isWhole(i) && m > 0) {
        return swapIn(state, h, i, m);
      }
    }
    return h;
  }

  private static Held swapIn(FleetState state, Held h, int i, int m) {
    Allocation a = h.a();
    int d = a.domain(i);
    PlacementPlan plan = new PlacementPlan();
    plan.add(d, m);
    Held spare = take(state, plan);
    long[] out = new long[a.words(i)];
    long[] in = new long[a.words(i)];
    for (int local = 0, n = 0; n < m; local++) {
      if (a.holds(i, local)) {
        out[local >>> 6] |= 1L << local;
        n++;
      }
    }
    for (int w = 0; w < in.length; w++) {
      in[w] = spare.a().mask(0, w);
    }
    long[][] remove = new long[a.domainCount()][];
    long[][] add = new long[a.domainCount()][];
    remove[i] = out;
    add[i] = in;
    Allocation swapped = a.exchange(remove, add);
    Allocation back = spare.a().exchange(new long[][] {in}, new long[][] {out});
    boolean[] given = minus(h.gpus(), held(state.fleet(), swapped));
    agrees(state.fleet(), back, given);
    state.release(back);
    return new Held(swapped, union(minus(h.gpus(), given), spare.gpus()));
  }

  private static void roundTrips(Fleet fleet, Held h) {
    Allocation a = h.a();
    int[] some = picked(a.domainCount(), a.gpus());
    Allocation sub = a.subset(fleet, some);
    Allocation rest = a.without(fleet, some);
    assertThat(sub.domainCount() + rest.domainCount()).isEqualTo(a.domainCount());
    agrees(fleet, sub.merge(rest), h.gpus());
    agrees(fleet, rest, minus(h.gpus(), held(fleet, sub)));
    Allocation[] parts = a.splitBySite(fleet, fleet.siteCount() - 1);
    agrees(fleet, parts[0], minus(h.gpus(), held(fleet, parts[1])));
    agrees(fleet, parts[1].merge(parts[0]), h.gpus());
  }
}
