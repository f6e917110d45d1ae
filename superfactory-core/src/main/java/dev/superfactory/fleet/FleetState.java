package dev.superfactory.fleet;

import java.util.Arrays;

/**
 * Which GPUs are free, allocated or out of service: the only mutable fleet state, and the exact
 * mutations on it. It owns a {@link CapacityIndex} that it updates on every mutation; the read
 * methods below (free counts, best-fit searches) delegate to that index and are the read-only
 * view the scheduler's placement policies search.
 *
 * <p>Storage: three bit sets, one bit per GPU in a {@code long[]} each, where each domain starts
 * on a word boundary: allocated, down, and free = ¬allocated ∧ ¬down. Plus down counts per site
 * and fleet. Every array, the index's included, is counted by {@link #footprintBytes}:
 * 1,002,240 GPUs in NVL72 racks take ≈ 0.9 MB; in 8-GPU servers ≈ 5 MB.
 *
 * <p>Costs (S = GPUs per domain, D = domains touched):
 * <ul>
 *   <li>every read method: O(1), except the searches, which cost what {@link CapacityIndex}
 *       states (O(S / 64) or O(P / 64) per group, P = domains per block);
 *   <li>{@link #allocate} and {@link #release}: O(D · ⌈S / 64⌉), each domain's index update O(1);
 *       a domain taken in full is recorded in the {@link Allocation} as whole, without mask
 *       words, and its bits are rebuilt from its size on release;
 *   <li>{@link #markDown} and {@link #markUp}: O(words touched + domains touched).
 * </ul>
 * Nothing here is O(fleet) except construction and {@link #checkInvariants()} (tests and
 * end-of-run checks; see {@link FleetStateChecker}).
 *
 * <p>Exactness: {@link #allocate} takes specific free bits (the lowest-numbered in each planned
 * domain) and {@link #release} returns exactly those bits; releasing a GPU that is not allocated
 * throws, so no GPU is handed out twice or lost.
 *
 * <p>Failures: {@link #markDown} takes GPUs out of service (a failed GPU, host, rack, site) and
 * {@link #markUp} returns them after repair. A down GPU that a job still holds stays allocated
 * until the job is released, and is not freed then.
 */
public final class FleetState {
  private final Fleet fleet;
  final int[] domainWord; // domains + 1: first word of each domain in the bit sets
  final long[] free;
  final long[] allocated;
  final long[] down;
  final int[] siteDown;
  int totalDown;
  int allocatedDownCount; // down GPUs that a job still holds (it has not been released yet)
  final CapacityIndex index;

  /** A state with every GPU free. O(fleet / 64 + domains). */
  public FleetState(Fleet fleet) {
    this.scratch = new long[(fleet.maxDomainGpus() + 63) >>> 6];
    this.fleet = fleet;
    int domains = fleet.domainCount();
    domainWord = new int[domains + 1];
    for (int d = 0; d < domains; d++) {
      domainWord[d + 1] = domainWord[d] + (fleet.domainSize(d) + 63) / 64;
    }
    free = new long[domainWord[domains]];
    allocated = new long[free.length];
    down = new long[free.length];
    siteDown = new int[fleet.siteCount()];
    for (int d = 0; d < domains; d++) {
      for (int w = domainWord[d], left = fleet.domainSize(d); left > 0; w++, left -= 64) {
        free[w] = left >= 64 ? -1L : (1L << left) - 1;
      }
    }
    index = new CapacityIndex(fleet);
  }

  private FleetState(FleetState from) {
    this.fleet = from.fleet;
    this.scratch = new long[from.scratch.length];
    this.domainWord = from.domainWord; // never written after construction
    this.free = from.free.clone();
    this.allocated = from.allocated.clone();
    this.down = from.down.clone();
    this.siteDown = from.siteDown.clone();
    this.totalDown = from.totalDown;
    this.allocatedDownCount = from.allocatedDownCount;
    this.index = new CapacityIndex(from.index);
  }

  /**
   * An independent copy: the same free, allocated and down GPUs and the same index (bucket order
   * included, so best-fit ties resolve alike), sharing only the fleet. O(fleet / 64 + domains +
   * blocks) array copies, a few hundred kilobytes for fairwater's 338,688 GPUs.
   */
  public FleetState copy() {
    return new FleetState(this);
  }

  public Fleet fleet() {
    return fleet;
  }

  /** Bytes held by this state's arrays and its index's (excluding the fleet and array headers): for footprint reports. */
  public long footprintBytes() {
    long ints = domainWord.length + siteDown.length;
    long words = free.length + allocated.length + down.length + scratch.length;
    return 4L * ints + 8L * words + index.footprintBytes();
  }

  /**
   * Everything this state holds, as lines for a test's digest: per domain its free count and its
   * free, allocated and down words (only domains not wholly free and up), the down counts, and
   * the index (buckets in their order, which best-fit ties follow). O(fleet / 64 + domains).
   */
  public void describe(java.util.function.Consumer<String> out) {
    out.accept("fleet down " + totalDown + " held-down " + allocatedDownCount + " sites " + Arrays.toString(siteDown));
    for (int d = 0; d < fleet.domainCount(); d++) {
      int from = domainWord[d];
      int to = domainWord[d + 1];
      boolean plain = index.domainFree[d] == fleet.domainSize(d);
      for (int w = from; w < to && plain; w++) {
        plain = allocated[w] == 0 && down[w] == 0;
      }
      if (!plain) {
        out.accept("domain " + d + " free " + index.domainFree[d] + " words " + Arrays.toString(Arrays.copyOfRange(free, from, to))
            + " " + Arrays.toString(Arrays.copyOfRange(allocated, from, to)) + " "
            + Arrays.toString(Arrays.copyOfRange(down, from, to)));
      }
    }
    index.describe(out);
  }

  // ---- free capacity: O(1) ----

  public int freeGpus() {
    return index.freeGpus();
  }

  public int siteFreeGpus(int s) {
    return index.siteFreeGpus(s);
  }

  public int groupFreeGpus(int g) {
    return index.groupFreeGpus(g);
  }

  public int blockFreeGpus(int b) {
    return index.blockFreeGpus(b);
  }

  public int domainFreeGpus(int d) {
    return index.domainFreeGpus(d);
  }

  public int siteWholeFreeDomains(int s) {
    return index.siteWholeFreeDomains(s);
  }

  public int groupWholeFreeDomains(int g) {
    return index.groupWholeFreeDomains(g);
  }

  public int blockWholeFreeDomains(int b) {
    return index.blockWholeFreeDomains(b);
  }

  public int allocatedGpus() {
    return fleet.totalGpus() - index.freeGpus() - totalDown + allocatedDownCount;
  }

  /** GPUs out of service (failed or in maintenance), whether or not a job still holds them. */
  public int downGpus() {
    return totalDown;
  }

  public int siteDownGpus(int s) {
    return siteDown[s];
  }

  /** Whether GPU {@code gpu} (fleet-wide index) is free. O(log groups). */
  /** GPUs of domain {@code d} out of service that no job holds. O(words of the domain). */
  public int domainDownUnheldGpus(int d) {
    int n = 0;
    for (int at = domainWord[d]; at < domainWord[d + 1]; at++) {
      n += Long.bitCount(down[at] & ~allocated[at]);
    }
    return n;
  }

  public boolean isFree(int gpu) {
    return bit(free, gpu);
  }

  /** Whether fleet-wide GPU {@code gpu} is out of service. O(log groups). */
  public boolean isDown(int gpu) {
    return bit(down, gpu);
  }

  /** Whether the i-th domain of {@code a} holds a GPU that is out of service. O(words of the domain). */
  public boolean holdsDown(Allocation a, int i) {
    int d = a.domain(i);
    for (int w = 0; w < domainWord[d + 1] - domainWord[d]; w++) {
      if ((down[domainWord[d] + w] & a.mask(i, w)) != 0) {
        return true;
      }
    }
    return false;
  }

  private boolean bit(long[] set, int gpu) {
    int d = fleet.gpuDomain(gpu);
    int local = gpu - fleet.domainFirstGpu(d);
    return (set[domainWord[d] + (local >>> 6)] & (1L << local)) != 0;
  }

  // ---- searches: read-only, see CapacityIndex for costs ----

  /** The domain of group {@code g} with the fewest free GPUs that still has ≥ k, or -1. */
  public int bestFitDomain(int g, int k) {
    return index.bestFitDomain(g, k);
  }

  /** Best fit over the groups of one site (ties: lower group index), or -1. */
  public int bestFitDomainInSite(int s, int k) {
    return index.bestFitDomainInSite(s, k);
  }

  /** The block of group {@code g} with the fewest wholly free domains that still has ≥ n, or -1. */
  public int bestFitBlock(int g, int n) {
    return index.bestFitBlock(g, n);
  }

  /** Largest free count ≤ {@code atMost} held by some domain of group g, or -1. O(S / 64). */
  public int largestDomainFreeAtMost(int g, int atMost) {
    return index.largestDomainFreeAtMost(g, atMost);
  }

  /** First domain of group g with exactly {@code freeGpus} free, or -1; continue with {@link #nextDomainSameFree}. */
  public int firstDomainWithFree(int g, int freeGpus) {
    return index.firstDomainWithFree(g, freeGpus);
  }

  public int nextDomainSameFree(int d) {
    return index.nextDomainSameFree(d);
  }

  /** Number of domains of group g with exactly {@code freeGpus} free GPUs. O(1). */
  public int domainsWithFree(int g, int freeGpus) {
    return index.domainsWithFree(g, freeGpus);
  }

  /** Largest wholly-free-domain count ≤ {@code atMost} held by some block of group g, or -1. */
  public int largestBlockWholeAtMost(int g, int atMost) {
    return index.largestBlockWholeAtMost(g, atMost);
  }

  /** First block of group g with exactly {@code whole} wholly free domains, or -1; continue with {@link #nextBlockSameWhole}. */
  public int firstBlockWithWhole(int g, int whole) {
    return index.firstBlockWithWhole(g, whole);
  }

  public int nextBlockSameWhole(int b) {
    return index.nextBlockSameWhole(b);
  }

  // ---- mutation ----

  /**
   * Takes the planned GPUs: in each planned domain the lowest-numbered free GPUs. Throws
   * {@link IllegalStateException} and changes nothing if a domain has fewer free than planned.
   */
  private final long[] scratch; // one domain's mask words, reused by allocate

  public Allocation allocate(PlacementPlan plan) {
    int n = plan.size();
    AllocationBuilder taken = builderFor(plan);
    long[] words = scratch;
    for (int i = 0; i < n; i++) {
      int d = plan.domain(i);
      if (plan.count(i) > index.domainFree[d]) { // the same domain planned twice beyond its capacity
        giveBack(taken.build());
        throw new IllegalStateException("plan over-commits domain " + d);
      }
      int domainWords = domainWord[d + 1] - domainWord[d];
      Arrays.fill(words, 0, domainWords, 0L);
      takeLowest(d, plan.count(i), words, 0);
      if (plan.count(i) == fleet.domainSize(d)) {
        taken.addWhole(d);
      } else {
        taken.addPartial(d, words, 0, domainWords);
      }
    }
    return taken.build();
  }

  /**
   * Checks that each planned domain has as many free GPUs as planned and sizes the allocation:
   * a domain planned in full is recorded whole, without mask words.
   */
  private AllocationBuilder builderFor(PlacementPlan plan) {
    int partials = 0;
    int partialWords = 0;
    for (int i = 0; i < plan.size(); i++) {
      int d = plan.domain(i);
      if (plan.count(i) > index.domainFree[d]) {
        throw new IllegalStateException(String.format(
            "plan asks %d GPUs of domain %d which has %d free", plan.count(i), d, index.domainFree[d]));
      }
      if (plan.count(i) < fleet.domainSize(d)) {
        partials++;
        partialWords += domainWord[d + 1] - domainWord[d];
      }
    }
    return new AllocationBuilder(fleet, plan.size(), partials, partialWords);
  }

  /** Takes the {@code want} lowest-numbered free GPUs of domain d (want ≤ its free count), recording them from {@code masks[k]}. */
  private void takeLowest(int d, int want, long[] masks, int k) {
    int left = want;
    for (int w = domainWord[d]; left > 0; w++, k++) {
      if (w == domainWord[d + 1]) {
        throw new IllegalStateException("domain " + d + " has fewer than " + want + " free GPUs in its bits");
      }
      long bits = free[w];
      long take;
      int available = Long.bitCount(bits);
      if (available <= left) {
        take = bits; // the whole word: the common case for gangs taking whole domains
        left -= available;
      } else {
        take = 0;
        while (left > 0) {
          long low = bits & -bits;
          take |= low;
          bits ^= low;
          left--;
        }
      }
      free[w] &= ~take;
      allocated[w] |= take;
      masks[k] = take;
    }
    index.setDomainFree(d, index.domainFree[d] - want);
  }

  /**
   * Returns an allocation's GPUs; those marked down meanwhile stay out of service. Throws if any
   * of them is not allocated (a double release), changing nothing.
   */
  public void release(Allocation a) {
    requireAllocated(a);
    for (int i = 0; i < a.domainCount(); i++) {
      int d = a.domain(i);
      int words = domainWord[d + 1] - domainWord[d];
      int returned = 0;
      for (int w = 0; w < words; w++) {
        int at = domainWord[d] + w;
        long m = a.mask(i, w);
        allocated[at] &= ~m;
        long back = m & ~down[at];
        allocatedDownCount -= Long.bitCount(m & down[at]);
        free[at] |= back;
        returned += Long.bitCount(back);
      }
      if (returned > 0) {
        index.setDomainFree(d, index.domainFree[d] + returned);
      }
    }
  }

  /**
   * Takes back exactly the GPUs of {@code a} after it was released (a tentative release undone,
   * nothing allocated meanwhile): they are allocated again, those out of service stay out of
   * service. Throws and changes nothing if any of them is allocated. O(words of a's domains).
   */
  public void reacquire(Allocation a) {
    for (int i = 0; i < a.domainCount(); i++) {
      int d = a.domain(i);
      for (int w = 0; w < domainWord[d + 1] - domainWord[d]; w++) {
        if ((allocated[domainWord[d] + w] & a.mask(i, w)) != 0) {
          throw new IllegalStateException("reacquire: a GPU of domain " + d + " is allocated");
        }
      }
    }
    for (int i = 0; i < a.domainCount(); i++) {
      int d = a.domain(i);
      int taken = 0;
      for (int w = 0; w < domainWord[d + 1] - domainWord[d]; w++) {
        int at = domainWord[d] + w;
        long m = a.mask(i, w);
        allocated[at] |= m;
        allocatedDownCount += Long.bitCount(m & down[at]);
        taken += Long.bitCount(m & free[at]);
        free[at] &= ~m;
      }
      if (taken > 0) {
        index.setDomainFree(d, index.domainFree[d] - taken);
      }
    }
  }

  private void requireAllocated(Allocation a) {
    for (int i = 0; i < a.domainCount(); i++) {
      int d = a.domain(i);
      int words = domainWord[d + 1] - domainWord[d];
      for (int w = 0; w < words; w++) {
        long m = a.mask(i, w);
        if ((allocated[domainWord[d] + w] & m) != m) {
          throw new IllegalStateException("double release: a GPU of domain " + d + " is not allocated");
        }
      }
    }
  }

  /**
   * Takes {@code count} GPUs starting at fleet-wide GPU {@code firstGpu} out of service (they may
   * span domains). Returns how many were newly marked down. GPUs a job holds stay allocated.
   */
  public int markDown(int firstGpu, int count) {
    return mark(firstGpu, count, true);
  }

  /** Returns GPUs to service; those no job holds become free. Returns how many came back. */
  public int markUp(int firstGpu, int count) {
    return mark(firstGpu, count, false);
  }

  private int mark(int firstGpu, int count, boolean goDown) {
    int changed = 0;
    int gpu = firstGpu;
    int end = firstGpu + count;
    while (gpu < end) {
      int d = fleet.gpuDomain(gpu);
      int first = fleet.domainFirstGpu(d);
      int to = Math.min(fleet.domainSize(d), end - first);
      int changedHere = markInDomain(d, gpu - first, to, goDown);
      siteDown[fleet.domainSite(d)] += goDown ? changedHere : -changedHere;
      totalDown += goDown ? changedHere : -changedHere;
      changed += changedHere;
      gpu = first + to;
    }
    return changed;
  }

  /** Marks local GPUs [from, to) of domain d down or up; returns how many changed. */
  private int markInDomain(int d, int from, int to, boolean goDown) {
    int freed = 0;
    int changed = 0;
    for (int local = from; local < to; ) {
      int w = local >>> 6;
      int hi = Math.min(to, (w + 1) << 6);
      long m = rangeMask(local & 63, hi - (w << 6));
      int at = domainWord[d] + w;
      if (goDown) {
        long newly = m & ~down[at];
        down[at] |= newly;
        freed += Long.bitCount(newly & free[at]);
        free[at] &= ~newly;
        allocatedDownCount += Long.bitCount(newly & allocated[at]);
        changed += Long.bitCount(newly);
      } else {
        long back = m & down[at];
        down[at] &= ~back;
        long nowFree = back & ~allocated[at];
        allocatedDownCount -= Long.bitCount(back & allocated[at]);
        free[at] |= nowFree;
        freed -= Long.bitCount(nowFree);
        changed += Long.bitCount(back);
      }
      local = hi;
    }
    if (freed != 0) {
      index.setDomainFree(d, index.domainFree[d] - freed);
    }
    return changed;
  }

  /** Bits lo (inclusive) to hi (exclusive) of a word, 0 ≤ lo < hi ≤ 64. */
  private static long rangeMask(int lo, int hi) {
    long upper = hi == 64 ? -1L : (1L << hi) - 1;
    return upper & (-1L << lo);
  }

  /** Undoes a part-built allocation: its GPUs were free and none went down since. */
  private void giveBack(Allocation a) {
    for (int i = 0; i < a.domainCount(); i++) {
      int d = a.domain(i);
      int returned = 0;
      for (int w = 0; w < domainWord[d + 1] - domainWord[d]; w++) {
        long m = a.mask(i, w);
        free[domainWord[d] + w] |= m;
        allocated[domainWord[d] + w] &= ~m;
        returned += Long.bitCount(m);
      }
      index.setDomainFree(d, index.domainFree[d] + returned);
    }
  }

  // ---- checks ----

  /**
   * Recounts everything from the bit sets and compares with every counter and the index.
   * O(fleet): for tests and end-of-run checks. Throws {@link IllegalStateException} on the first
   * mismatch. See {@link FleetStateChecker}.
   */
  public void checkInvariants() {
    FleetStateChecker.check(this);
  }
}
