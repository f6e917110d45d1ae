package dev.superfactory.fleet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference for an {@link Allocation}'s reads: the set of fleet-wide GPUs it should hold,
 * compared with what {@code forEachGpu}, {@code mask}, {@code holds}, {@code gpusInDomain},
 * {@code isWhole}, {@code words}, {@code gpus} and {@code gpusOnSite} each say.
 */
final class AllocationCheck {
  private AllocationCheck() {}

  /** The GPUs {@code a} holds, by {@code forEachGpu}; fails if one is visited twice. */
  static boolean[] held(Fleet fleet, Allocation a) {
    boolean[] seen = new boolean[fleet.totalGpus()];
    a.forEachGpu(fleet, g -> {
      assertThat(seen[g]).as("GPU %d visited twice", g).isFalse();
      seen[g] = true;
    });
    return seen;
  }

  /** GPUs of the fleet that are not free in {@code state}. */
  static boolean[] notFree(FleetState state) {
    boolean[] taken = new boolean[state.fleet().totalGpus()];
    for (int g = 0; g < taken.length; g++) {
      taken[g] = !state.isFree(g);
    }
    return taken;
  }

  /** {@code a} holds exactly {@code expected}, by every read method. */
  static void agrees(Fleet fleet, Allocation a, boolean[] expected) {
    assertThat(held(fleet, a)).as("forEachGpu").isEqualTo(expected);
    boolean[] viaMasks = new boolean[fleet.totalGpus()];
    int[] bySite = new int[fleet.siteCount()];
    int total = 0;
    for (int i = 0; i < a.domainCount(); i++) {
      int n = domainAgrees(fleet, a, i, viaMasks);
      bySite[fleet.domainSite(a.domain(i))] += n;
      total += n;
    }
    assertThat(viaMasks).as("mask words").isEqualTo(expected);
    assertThat(a.gpus()).isEqualTo(total);
    for (int s = 0; s < fleet.siteCount(); s++) {
      assertThat(a.gpusOnSite(s)).as("GPUs on site %d", s).isEqualTo(bySite[s]);
    }
  }

  /** Position i's mask, holds, counts and kind agree; marks its GPUs in {@code into}; returns their number. */
  private static int domainAgrees(Fleet fleet, Allocation a, int i, boolean[] into) {
    int d = a.domain(i);
    int size = fleet.domainSize(d);
    int first = fleet.domainFirstGpu(d);
    assertThat(a.words(i)).isEqualTo((size + 63) / 64);
    int n = 0;
    for (int local = 0; local < a.words(i) * 64; local++) {
      boolean bit = (a.mask(i, local >>> 6) & (1L << local)) != 0;
      if (local >= size) {
        assertThat(bit).as("domain %d: bit %d beyond its %d GPUs", d, local, size).isFalse();
        continue;
      }
      assertThat(a.holds(i, local)).as("holds(%d, %d)", i, local).isEqualTo(bit);
      if (bit) {
        assertThat(into[first + local]).as("GPU %d held at two positions", first + local).isFalse();
        into[first + local] = true;
        n++;
      }
    }
    assertThat(a.gpusInDomain(i)).as("gpusInDomain(%d)", i).isEqualTo(n);
    assertThat(a.isWhole(i)).as("isWhole(%d) with %d of %d GPUs", i, n, size).isEqualTo(n == size);
    long groupBit = 1L << fleet.domainGroup(d);
    assertThat(a.groupMask() & groupBit).as("group mask names group of domain %d", d).isNotZero();
    return n;
  }

  /** The union of two GPU sets (which must be disjoint). */
  static boolean[] union(boolean[] x, boolean[] y) {
    boolean[] u = new boolean[x.length];
    for (int g = 0; g < x.length; g++) {
      assertThat(x[g] && y[g]).as("GPU %d in both", g).isFalse();
      u[g] = x[g] || y[g];
    }
    return u;
  }

  /** {@code x} without the GPUs of {@code y}. */
  static boolean[] minus(boolean[] x, boolean[] y) {
    boolean[] m = new boolean[x.length];
    for (int g = 0; g < x.length; g++) {
      m[g] = x[g] && !y[g];
    }
    return m;
  }
}
