package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;

/**
 * Hot spares: {@code perDomain} GPUs of every scale-up domain (as many as are free when the pool
 * is set up, and never a whole domain) held out of scheduling. When a
 * failure hits a job's GPUs in a domain whose spares are healthy and numerous enough, the job's
 * failed GPUs are exchanged for spares (same domain, so NVLink groups stay whole); the failed GPUs
 * join the pool and serve as spares again once repaired (a spare is usable when it is not down). No GPU changes state in the
 * {@link FleetState}: spares and the job's GPUs are all allocated; only ownership moves.
 *
 * <p>Memory: one bit per GPU (the pool's masks) plus, per domain, its count of healthy spares.
 * Cost of a swap: O(domains of the job) to rebuild its allocation.
 */
final class SparePool {
  private final Fleet fleet;
  private final Allocation held;
  private final long[][] pool; // per domain, mask of GPUs owned by the pool
  private final java.util.function.IntPredicate isDown;

  SparePool(Fleet fleet, FleetState state, int perDomain, java.util.function.IntPredicate isDown) {
    this.fleet = fleet;
    this.isDown = isDown;
    PlacementPlan plan = new PlacementPlan();
    for (int d = 0; d < fleet.domainCount(); d++) {
      int n = Math.min(Math.min(perDomain, fleet.domainSize(d) - 1), state.domainFreeGpus(d));
      if (n > 0) {
        plan.add(d, n);
      }
    }
    this.held = plan.isEmpty() ? null : state.allocate(plan);
    this.pool = new long[fleet.domainCount()][];
    if (held != null) {
      for (int i = 0; i < held.domainCount(); i++) {
        int d = held.domain(i);
        int words = (fleet.domainSize(d) + 63) / 64;
        pool[d] = new long[words];
        for (int local = 0; local < fleet.domainSize(d); local++) {
          if (held.holds(i, local)) {
            pool[d][local >>> 6] |= 1L << local;
          }
        }
      }
    }
  }

  /** A copy whose spares are usable unless {@code isDown} (the copy's outages) says so. O(domains + pool words). */
  SparePool(SparePool from, java.util.function.IntPredicate isDown) {
    this.fleet = from.fleet;
    this.isDown = isDown;
    this.held = from.held;
    this.pool = new long[from.pool.length][];
    for (int d = 0; d < pool.length; d++) {
      pool[d] = from.pool[d] == null ? null : from.pool[d].clone();
    }
  }

  int gpus() {
    return held == null ? 0 : held.gpus();
  }

  /** The pool's GPUs per domain ({@link KernelDigest}). O(domains). */
  void describe(java.util.function.Consumer<String> out) {
    out.accept("spares held " + KernelDigest.text(held));
    for (int d = 0; d < pool.length; d++) {
      if (pool[d] != null) {
        out.accept("spares domain " + d + " " + java.util.Arrays.toString(pool[d]));
      }
    }
  }

  /** Spares held in domain {@code d} (swaps move which GPUs, never how many). */
  int heldIn(int d) {
    if (pool[d] == null) {
      return 0;
    }
    int n = 0;
    for (long w : pool[d]) {
      n += Long.bitCount(w);
    }
    return n;
  }

  long footprintBytes() {
    long words = 0;
    for (long[] p : pool) {
      words += p == null ? 0 : p.length;
    }
    return 8L * pool.length + 8 * words;
  }

  /**
   * Whether spare {@code local} of domain {@code d} was already picked for an earlier position of
   * {@code a} (an allocation may list a domain at two positions). O(positions) per call, only for
   * domains the failure touches.
   */
  private static boolean pickedBefore(Allocation a, long[][] add, int i, int d, int local) {
    for (int j = 0; j < i; j++) {
      if (add[j] != null && a.domain(j) == d && (add[j][local >>> 6] & (1L << local)) != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * A copy of {@code a} with its GPUs inside [first, first + n) exchanged for healthy spares of
   * the same domains, or null if some domain lacks them.
   */
  Allocation swap(Allocation a, int first, int n) {
    int end = first + n;
    long[][] remove = new long[a.domainCount()][];
    long[][] add = new long[a.domainCount()][];
    for (int i = 0; i < a.domainCount(); i++) {
      int d = a.domain(i);
      int base = fleet.domainFirstGpu(d);
      int size = fleet.domainSize(d);
      if (base >= end || base + size <= first) {
        continue;
      }
      int need = 0;
      long[] rm = new long[(size + 63) / 64];
      for (int local = Math.max(0, first - base); local < Math.min(size, end - base); local++) {
        if (a.holds(i, local)) {
          rm[local >>> 6] |= 1L << local;
          need++;
        }
      }
      if (need == 0) {
        continue;
      }
      if (pool[d] == null) {
        return null;
      }
      long[] ad = new long[rm.length];
      int found = 0;
      for (int local = 0; local < size && found < need; local++) {
        boolean inPool = (pool[d][local >>> 6] & (1L << local)) != 0;
        boolean failing = base + local >= first && base + local < end;
        if (inPool && !failing && !isDown.test(base + local) && !pickedBefore(a, add, i, d, local)) {
          ad[local >>> 6] |= 1L << local;
          found++;
        }
      }
      if (found < need) {
        return null;
      }
      remove[i] = rm;
      add[i] = ad;
    }
    // commit: the failed GPUs join the pool (usable once repaired), the spares leave it
    for (int i = 0; i < a.domainCount(); i++) {
      if (remove[i] == null) {
        continue;
      }
      int d = a.domain(i);
      for (int w = 0; w < remove[i].length; w++) {
        pool[d][w] = (pool[d][w] & ~add[i][w]) | remove[i][w];
      }
    }
    return a.exchange(remove, add);
  }
}
