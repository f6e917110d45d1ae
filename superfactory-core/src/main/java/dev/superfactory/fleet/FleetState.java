package dev.superfactory.fleet;

import java.util.Arrays;

/**
 * Which GPUs are free, with the indices the scheduler searches. The only mutable fleet state.
 *
 * <p>Storage: one bit per GPU (free = 1) in a {@code long[]} where each domain starts on a word
 * boundary; per domain its free count; per block its free count and its number of wholly free
 * domains; per group and site the same aggregates. Domains are filed per group in buckets by free
 * count and blocks per group in buckets by wholly-free-domain count ({@link BucketIndex}), so the
 * best-fitting domain or block is found without scanning. 1,000,000 GPUs in NVL72 racks take
 * ≈ 0.5 MB; in 8-GPU servers ≈ 3.5 MB.
 *
 * <p>Costs (S = GPUs per domain, P = domains per block, D = domains touched):
 * <ul>
 *   <li>free GPUs of a domain, block, group, site or the fleet: O(1);
 *   <li>{@link #bestFitDomain} (k free GPUs inside one domain, fewest spare): O(S / 64) per group;
 *   <li>{@link #bestFitBlock} (n wholly free domains inside one block): O(P / 64) per group;
 *   <li>{@link #allocate} and {@link #release}: O(D · ⌈S / 64⌉), each domain update O(1).
 * </ul>
 * Nothing here is O(fleet) except construction and {@link #checkInvariants()} (tests only).
 *
 * <p>Exactness: {@link #allocate} takes specific free bits and {@link #release} returns exactly
 * those bits; releasing a GPU that is already free throws, so no GPU is handed out twice or lost.
 *
 * <p>Failures: {@link #markDown} takes GPUs out of service (a failed GPU, host, rack, site) and
 * {@link #markUp} returns them after repair. Three bit sets keep this exact: allocated, down, and
 * free = ¬allocated ∧ ¬down. A down GPU that a job still holds stays allocated until the job is
 * released, and is not freed then. O(words touched) per call.
 */
public final class FleetState {
  private final Fleet fleet;
  private final int[] domainWord; // domains + 1: first word of each domain in free
  private final long[] free;
  private final long[] allocated;
  private final long[] down;
  private final int[] siteDown;
  private int totalDown;
  private final int[] groupDomainSize;
  private final int[] domainFree;
  private final int[] blockFree;
  private final int[] blockWhole;
  private final int[] groupFree;
  private final int[] groupWhole;
  private final int[] siteFree;
  private final int[] siteWhole;
  private int totalFree;
  private final BucketIndex domainsByFree;
  private final BucketIndex blocksByWhole;

  /** A state with every GPU free. O(fleet). */
  public FleetState(Fleet fleet) {
    this.fleet = fleet;
    int domains = fleet.domainCount();
    int groups = fleet.groupCount();
    groupDomainSize = new int[groups];
    int[] maxFree = new int[groups];
    int[] maxWhole = new int[groups];
    for (int g = 0; g < groups; g++) {
      groupDomainSize[g] = fleet.group(g).gpusPerDomain();
      maxFree[g] = groupDomainSize[g];
      maxWhole[g] = fleet.group(g).domainsPerBlock();
    }
    domainWord = new int[domains + 1];
    for (int d = 0; d < domains; d++) {
      domainWord[d + 1] = domainWord[d] + (groupDomainSize[fleet.domainGroup(d)] + 63) / 64;
    }
    free = new long[domainWord[domains]];
    allocated = new long[free.length];
    down = new long[free.length];
    siteDown = new int[fleet.siteCount()];
    domainFree = new int[domains];
    blockFree = new int[fleet.blockCount()];
    blockWhole = new int[fleet.blockCount()];
    groupFree = new int[groups];
    groupWhole = new int[groups];
    siteFree = new int[fleet.siteCount()];
    siteWhole = new int[fleet.siteCount()];
    domainsByFree = new BucketIndex(domains, maxFree);
    blocksByWhole = new BucketIndex(fleet.blockCount(), maxWhole);
    for (int d = 0; d < domains; d++) {
      int g = fleet.domainGroup(d);
      int size = groupDomainSize[g];
      for (int w = domainWord[d], left = size; left > 0; w++, left -= 64) {
        free[w] = left >= 64 ? -1L : (1L << left) - 1;
      }
      domainFree[d] = size;
      blockFree[fleet.domainBlock(d)] += size;
      blockWhole[fleet.domainBlock(d)]++;
      domainsByFree.add(d, g, size);
    }
    for (int b = 0; b < fleet.blockCount(); b++) {
      int g = fleet.blockGroup(b);
      blocksByWhole.add(b, g, blockWhole[b]);
      groupFree[g] += blockFree[b];
      groupWhole[g] += blockWhole[b];
    }
    for (int g = 0; g < groups; g++) {
      siteFree[fleet.groupSite(g)] += groupFree[g];
      siteWhole[fleet.groupSite(g)] += groupWhole[g];
    }
    totalFree = fleet.totalGpus();
  }

  public Fleet fleet() {
    return fleet;
  }

  /** Bytes held by this state's arrays (excluding the fleet): for footprint reports. */
  public long footprintBytes() {
    long ints = domainWord.length + groupDomainSize.length + domainFree.length + blockFree.length
        + blockWhole.length + groupFree.length + groupWhole.length + siteFree.length + siteWhole.length;
    return 8L * free.length + 4L * ints + domainsByFree.footprintBytes() + blocksByWhole.footprintBytes();
  }

  // ---- free capacity: O(1) ----

  public int freeGpus() {
    return totalFree;
  }

  public int siteFreeGpus(int s) {
    return siteFree[s];
  }

  public int groupFreeGpus(int g) {
    return groupFree[g];
  }

  public int blockFreeGpus(int b) {
    return blockFree[b];
  }

  public int domainFreeGpus(int d) {
    return domainFree[d];
  }

  public int allocatedGpus() {
    return fleet.totalGpus() - totalFree - totalDown + allocatedDownCount;
  }

  /** GPUs out of service (failed or in maintenance), whether or not a job still holds them. */
  public int downGpus() {
    return totalDown;
  }

  public int siteDownGpus(int s) {
    return siteDown[s];
  }

  /** Down GPUs that a job still holds (it has not been released yet). */
  private int allocatedDownCount;

  public int siteWholeFreeDomains(int s) {
    return siteWhole[s];
  }

  public int groupWholeFreeDomains(int g) {
    return groupWhole[g];
  }

  public int blockWholeFreeDomains(int b) {
    return blockWhole[b];
  }

  /** Whether GPU {@code gpu} (fleet-wide index) is free. O(log groups). */
  public boolean isFree(int gpu) {
    int d = fleet.gpuDomain(gpu);
    int local = gpu - fleet.domainFirstGpu(d);
    return (free[domainWord[d] + (local >>> 6)] & (1L << local)) != 0;
  }

  // ---- searches: read-only ----

  /** The domain of group {@code g} with the fewest free GPUs that still has ≥ k, or -1. */
  public int bestFitDomain(int g, int k) {
    int key = domainsByFree.atLeast(g, Math.max(k, 1));
    return key < 0 ? -1 : domainsByFree.first(g, key);
  }

  /** Best fit over the groups of one site (ties: lower group index), or -1. */
  public int bestFitDomainInSite(int s, int k) {
    int best = -1;
    int bestFree = Integer.MAX_VALUE;
    for (int g = fleet.siteFirstGroup(s); g < fleet.siteFirstGroup(s + 1); g++) {
      int key = domainsByFree.atLeast(g, Math.max(k, 1));
      if (key >= 0 && key < bestFree) {
        bestFree = key;
        best = domainsByFree.first(g, key);
      }
    }
    return best;
  }

  /** The block of group {@code g} with the fewest wholly free domains that still has ≥ n, or -1. */
  public int bestFitBlock(int g, int n) {
    int key = blocksByWhole.atLeast(g, Math.max(n, 1));
    return key < 0 ? -1 : blocksByWhole.first(g, key);
  }

  /** Largest free count ≤ {@code atMost} held by some domain of group g, or -1. O(S / 64). */
  public int largestDomainFreeAtMost(int g, int atMost) {
    return domainsByFree.atMost(g, atMost);
  }

  /** First domain of group g with exactly {@code freeGpus} free, or -1; continue with {@link #nextDomainSameFree}. */
  public int firstDomainWithFree(int g, int freeGpus) {
    return domainsByFree.first(g, freeGpus);
  }

  public int nextDomainSameFree(int d) {
    return domainsByFree.next(d);
  }

  /** Number of domains of group g with exactly {@code freeGpus} free GPUs. O(1). */
  public int domainsWithFree(int g, int freeGpus) {
    return domainsByFree.size(g, freeGpus);
  }

  /** Largest wholly-free-domain count ≤ {@code atMost} held by some block of group g, or -1. */
  public int largestBlockWholeAtMost(int g, int atMost) {
    return blocksByWhole.atMost(g, atMost);
  }

  public int firstBlockWithWhole(int g, int whole) {
    return blocksByWhole.first(g, whole);
  }

  public int nextBlockSameWhole(int b) {
    return blocksByWhole.next(b);
  }

  // ---- mutation ----

  /**
   * Takes the planned GPUs: in each planned domain the lowest-numbered free GPUs. Throws
   * {@link IllegalStateException} and changes nothing if a domain has fewer free than planned.
   */
  public Allocation allocate(PlacementPlan plan) {
    int n = plan.size();
    for (int i = 0; i < n; i++) {
      int d = plan.domain(i);
      if (plan.count(i) > domainFree[d]) {
        throw new IllegalStateException(String.format(
            "plan asks %d GPUs of domain %d which has %d free", plan.count(i), d, domainFree[d]));
      }
    }
    int[] domains = new int[n];
    int[] wordStart = new int[n + 1];
    for (int i = 0; i < n; i++) {
      int d = plan.domain(i);
      domains[i] = d;
      wordStart[i + 1] = wordStart[i] + (domainWord[d + 1] - domainWord[d]);
    }
    long[] masks = new long[wordStart[n]];
    int[] bySite = new int[fleet.siteCount()];
    long groups = 0;
    for (int i = 0; i < n; i++) {
      int d = domains[i];
      int want = plan.count(i);
      if (want > domainFree[d]) { // the same domain planned twice beyond its capacity
        for (int j = 0; j < i; j++) {
          giveBack(domains[j], masks, wordStart[j]);
        }
        throw new IllegalStateException("plan over-commits domain " + d);
      }
      for (int w = domainWord[d], k = wordStart[i]; want > 0; w++, k++) {
        long bits = free[w];
        long take;
        int available = Long.bitCount(bits);
        if (available <= want) {
          take = bits; // the whole word: the common case for gangs taking whole domains
          want -= available;
        } else {
          take = 0;
          while (want > 0) {
            long low = bits & -bits;
            take |= low;
            bits ^= low;
            want--;
          }
        }
        free[w] &= ~take;
        allocated[w] |= take;
        masks[k] = take;
      }
      setDomainFree(d, domainFree[d] - plan.count(i));
      bySite[fleet.domainSite(d)] += plan.count(i);
      groups |= Allocation.groupBit(fleet, d);
    }
    return new Allocation(domains, wordStart, masks, bySite, fleet.groupCount() > 64 ? -1 : groups);
  }

  /**
   * Returns an allocation's GPUs; those marked down meanwhile stay out of service. Throws if any
   * of them is not allocated (a double release).
   */
  public void release(Allocation a) {
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
        setDomainFree(d, domainFree[d] + returned);
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

  /** Whether fleet-wide GPU {@code gpu} is out of service. */
  public boolean isDown(int gpu) {
    int d = fleet.gpuDomain(gpu);
    int local = gpu - fleet.domainFirstGpu(d);
    return (down[domainWord[d] + (local >>> 6)] & (1L << local)) != 0;
  }

  private int mark(int firstGpu, int count, boolean goDown) {
    int changed = 0;
    int gpu = firstGpu;
    int end = firstGpu + count;
    while (gpu < end) {
      int d = fleet.gpuDomain(gpu);
      int first = fleet.domainFirstGpu(d);
      int size = fleet.domainSize(d);
      int from = gpu - first;
      int to = Math.min(size, end - first);
      int freed = 0;
      int changedHere = 0;
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
          changedHere += Long.bitCount(newly);
        } else {
          long back = m & down[at];
          down[at] &= ~back;
          long nowFree = back & ~allocated[at];
          allocatedDownCount -= Long.bitCount(back & allocated[at]);
          free[at] |= nowFree;
          freed -= Long.bitCount(nowFree);
          changedHere += Long.bitCount(back);
        }
        local = hi;
      }
      if (freed != 0) {
        setDomainFree(d, domainFree[d] - freed);
      }
      int s = fleet.domainSite(d);
      siteDown[s] += goDown ? changedHere : -changedHere;
      totalDown += goDown ? changedHere : -changedHere;
      changed += changedHere;
      gpu = first + to;
    }
    return changed;
  }

  /** Bits lo (inclusive) to hi (exclusive) of a word, 0 ≤ lo < hi ≤ 64. */
  private static long rangeMask(int lo, int hi) {
    long upper = hi == 64 ? -1L : (1L << hi) - 1;
    return upper & (-1L << lo);
  }

  private void giveBack(int d, long[] masks, int start) {
    int words = domainWord[d + 1] - domainWord[d];
    int returned = 0;
    for (int w = 0; w < words; w++) {
      free[domainWord[d] + w] |= masks[start + w];
      allocated[domainWord[d] + w] &= ~masks[start + w];
      returned += Long.bitCount(masks[start + w]);
    }
    setDomainFree(d, domainFree[d] + returned);
  }

  private void setDomainFree(int d, int newFree) {
    int b = fleet.domainBlock(d);
    int g = fleet.blockGroup(b);
    int s = fleet.groupSite(g);
    int size = groupDomainSize[g];
    int old = domainFree[d];
    int delta = newFree - old;
    domainFree[d] = newFree;
    blockFree[b] += delta;
    groupFree[g] += delta;
    siteFree[s] += delta;
    totalFree += delta;
    domainsByFree.move(d, g, old, newFree);
    boolean wasWhole = old == size;
    boolean isWhole = newFree == size;
    if (wasWhole != isWhole) {
      int dw = isWhole ? 1 : -1;
      int oldWhole = blockWhole[b];
      blockWhole[b] = oldWhole + dw;
      groupWhole[g] += dw;
      siteWhole[s] += dw;
      blocksByWhole.move(b, g, oldWhole, oldWhole + dw);
    }
  }

  // ---- checks ----

  /**
   * Recounts everything from the free bits and compares with every aggregate and index.
   * O(fleet): for tests and end-of-run checks. Throws {@link IllegalStateException} on the first
   * mismatch.
   */
  public void checkInvariants() {
    int[] bFree = new int[fleet.blockCount()];
    int[] bWhole = new int[fleet.blockCount()];
    int total = 0;
    int[][] bucketSizes = new int[fleet.groupCount()][];
    for (int g = 0; g < fleet.groupCount(); g++) {
      bucketSizes[g] = new int[groupDomainSize[g] + 1];
    }
    for (int d = 0; d < fleet.domainCount(); d++) {
      int g = fleet.domainGroup(d);
      int size = groupDomainSize[g];
      int count = 0;
      for (int w = domainWord[d]; w < domainWord[d + 1]; w++) {
        count += Long.bitCount(free[w]);
      }
      for (int w = domainWord[d]; w < domainWord[d + 1]; w++) {
        int bits = Math.min(64, size - (w - domainWord[d]) * 64);
        long valid = bits == 64 ? -1L : (1L << bits) - 1;
        if (free[w] != (~allocated[w] & ~down[w] & valid)) {
          throw new IllegalStateException("domain " + d + ": free bits are not the GPUs neither allocated nor down");
        }
      }
      int validBits = size % 64 == 0 ? 64 : size % 64;
      long last = free[domainWord[d + 1] - 1];
      if (validBits < 64 && (last >>> validBits) != 0) {
        throw new IllegalStateException("domain " + d + " has free bits beyond its size");
      }
      if (count != domainFree[d]) {
        throw new IllegalStateException("domain " + d + " counts " + domainFree[d] + " free, bits say " + count);
      }
      bucketSizes[g][count]++;
      bFree[fleet.domainBlock(d)] += count;
      if (count == size) {
        bWhole[fleet.domainBlock(d)]++;
      }
      total += count;
    }
    int downBits = 0;
    int allocatedDownBits = 0;
    int[] sDown = new int[fleet.siteCount()];
    for (int d = 0; d < fleet.domainCount(); d++) {
      for (int w = domainWord[d]; w < domainWord[d + 1]; w++) {
        downBits += Long.bitCount(down[w]);
        allocatedDownBits += Long.bitCount(down[w] & allocated[w]);
        sDown[fleet.domainSite(d)] += Long.bitCount(down[w]);
      }
    }
    if (downBits != totalDown || allocatedDownBits != allocatedDownCount || !Arrays.equals(sDown, siteDown)) {
      throw new IllegalStateException("down counters disagree with the down bits");
    }
    if (!Arrays.equals(bFree, blockFree) || !Arrays.equals(bWhole, blockWhole)) {
      throw new IllegalStateException("block aggregates disagree with domains");
    }
    int[] gFree = new int[fleet.groupCount()];
    int[] gWhole = new int[fleet.groupCount()];
    for (int b = 0; b < fleet.blockCount(); b++) {
      gFree[fleet.blockGroup(b)] += bFree[b];
      gWhole[fleet.blockGroup(b)] += bWhole[b];
    }
    int[] sFree = new int[fleet.siteCount()];
    int[] sWhole = new int[fleet.siteCount()];
    for (int g = 0; g < fleet.groupCount(); g++) {
      sFree[fleet.groupSite(g)] += gFree[g];
      sWhole[fleet.groupSite(g)] += gWhole[g];
      for (int k = 0; k <= groupDomainSize[g]; k++) {
        if (domainsByFree.size(g, k) != bucketSizes[g][k]) {
          throw new IllegalStateException("group " + g + " bucket " + k + " holds " + domainsByFree.size(g, k)
              + " domains, expected " + bucketSizes[g][k]);
        }
        int listed = 0;
        for (int d = domainsByFree.first(g, k); d >= 0; d = domainsByFree.next(d)) {
          if (domainFree[d] != k) {
            throw new IllegalStateException("domain " + d + " filed under " + k + " free but has " + domainFree[d]);
          }
          listed++;
        }
        if (listed != bucketSizes[g][k]) {
          throw new IllegalStateException("group " + g + " bucket " + k + " list length " + listed);
        }
      }
    }
    if (!Arrays.equals(gFree, groupFree) || !Arrays.equals(gWhole, groupWhole)
        || !Arrays.equals(sFree, siteFree) || !Arrays.equals(sWhole, siteWhole) || total != totalFree) {
      throw new IllegalStateException("group, site or fleet aggregates disagree with blocks");
    }
    boolean[] filed = new boolean[fleet.blockCount()];
    for (int g = 0; g < fleet.groupCount(); g++) {
      for (int k = 0; k <= blocksByWhole.maxKey(g); k++) {
        for (int b = blocksByWhole.first(g, k); b >= 0; b = blocksByWhole.next(b)) {
          if (blockWhole[b] != k || fleet.blockGroup(b) != g || filed[b]) {
            throw new IllegalStateException("block " + b + " misfiled under " + k + " whole free domains");
          }
          filed[b] = true;
        }
      }
    }
    for (int b = 0; b < fleet.blockCount(); b++) {
      if (!filed[b]) {
        throw new IllegalStateException("block " + b + " missing from its whole-domain bucket");
      }
    }
  }
}
