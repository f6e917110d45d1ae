package dev.superfactory.fleet;

import java.util.Arrays;

/**
 * The self-check of a {@link FleetState} (STYLE.md, "the code checks its own invariants"):
 * recounts everything from the bit sets and compares it with every counter of the state and of
 * its {@link CapacityIndex}. Checks that free = ¬allocated ∧ ¬down within each domain and no bit
 * is set beyond a domain's size; the free count of every domain, block, group, site and the
 * fleet; wholly free domains per block, group and site; the down counters; and that every domain
 * and block is filed in exactly the bucket its count says.
 *
 * <p>Cost: O(fleet / 64 + domains + blocks + Σ bucket keys) time and O(blocks + groups · S)
 * scratch memory per call: for tests (after every event) and end-of-run checks, never the hot
 * path. Throws {@link IllegalStateException} naming the first mismatch.
 */
final class FleetStateChecker {
  private final FleetState state;
  private final CapacityIndex index;
  private final Fleet fleet;
  // recounted from the free bits
  private final int[] blockFree;
  private final int[] blockWhole;
  private final int[][] domainsPerFreeCount; // [group][free count]
  private int totalFree;

  private FleetStateChecker(FleetState state) {
    this.state = state;
    this.index = state.index;
    this.fleet = state.fleet();
    blockFree = new int[fleet.blockCount()];
    blockWhole = new int[fleet.blockCount()];
    domainsPerFreeCount = new int[fleet.groupCount()][];
    for (int g = 0; g < fleet.groupCount(); g++) {
      domainsPerFreeCount[g] = new int[index.groupDomainSize[g] + 1];
    }
  }

  /** Throws {@link IllegalStateException} on the first mismatch. O(fleet). */
  static void check(FleetState state) {
    new FleetStateChecker(state).checkAll();
  }

  private void checkAll() {
    for (int d = 0; d < fleet.domainCount(); d++) {
      checkDomain(d);
    }
    checkDownCounters();
    if (!Arrays.equals(blockFree, index.blockFree) || !Arrays.equals(blockWhole, index.blockWhole)) {
      throw new IllegalStateException("block aggregates disagree with domains");
    }
    for (int g = 0; g < fleet.groupCount(); g++) {
      checkDomainBuckets(g);
    }
    checkGroupSiteAndFleetAggregates();
    checkBlockBuckets();
  }

  /** The domain's bits agree with each other and with its free count; adds it to the recounts. */
  private void checkDomain(int d) {
    int g = fleet.domainGroup(d);
    int size = index.groupDomainSize[g];
    int count = 0;
    for (int w = state.domainWord[d]; w < state.domainWord[d + 1]; w++) {
      count += Long.bitCount(state.free[w]);
      int bits = Math.min(64, size - (w - state.domainWord[d]) * 64);
      long valid = bits == 64 ? -1L : (1L << bits) - 1;
      if (state.free[w] != (~state.allocated[w] & ~state.down[w] & valid)) {
        throw new IllegalStateException("domain " + d + ": free bits are not the GPUs neither allocated nor down");
      }
    }
    int validBits = size % 64 == 0 ? 64 : size % 64;
    long last = state.free[state.domainWord[d + 1] - 1];
    if (validBits < 64 && (last >>> validBits) != 0) {
      throw new IllegalStateException("domain " + d + " has free bits beyond its size");
    }
    if (count != index.domainFree[d]) {
      throw new IllegalStateException("domain " + d + " counts " + index.domainFree[d] + " free, bits say " + count);
    }
    domainsPerFreeCount[g][count]++;
    blockFree[fleet.domainBlock(d)] += count;
    if (count == size) {
      blockWhole[fleet.domainBlock(d)]++;
    }
    totalFree += count;
  }

  private void checkDownCounters() {
    int downBits = 0;
    int allocatedDownBits = 0;
    int[] siteDown = new int[fleet.siteCount()];
    for (int d = 0; d < fleet.domainCount(); d++) {
      for (int w = state.domainWord[d]; w < state.domainWord[d + 1]; w++) {
        downBits += Long.bitCount(state.down[w]);
        allocatedDownBits += Long.bitCount(state.down[w] & state.allocated[w]);
        siteDown[fleet.domainSite(d)] += Long.bitCount(state.down[w]);
      }
    }
    if (downBits != state.totalDown || allocatedDownBits != state.allocatedDownCount
        || !Arrays.equals(siteDown, state.siteDown)) {
      throw new IllegalStateException("down counters disagree with the down bits");
    }
  }

  /** Every bucket of group g holds as many domains as have that free count, and only those. */
  private void checkDomainBuckets(int g) {
    BucketIndex buckets = index.domainsByFree;
    for (int k = 0; k <= index.groupDomainSize[g]; k++) {
      int expected = domainsPerFreeCount[g][k];
      if (buckets.size(g, k) != expected) {
        throw new IllegalStateException("group " + g + " bucket " + k + " holds " + buckets.size(g, k)
            + " domains, expected " + expected);
      }
      int listed = 0;
      for (int d = buckets.first(g, k); d >= 0; d = buckets.next(d)) {
        if (index.domainFree[d] != k) {
          throw new IllegalStateException("domain " + d + " filed under " + k + " free but has " + index.domainFree[d]);
        }
        listed++;
      }
      if (listed != expected) {
        throw new IllegalStateException("group " + g + " bucket " + k + " list length " + listed);
      }
    }
  }

  private void checkGroupSiteAndFleetAggregates() {
    int[] groupFree = new int[fleet.groupCount()];
    int[] groupWhole = new int[fleet.groupCount()];
    for (int b = 0; b < fleet.blockCount(); b++) {
      groupFree[fleet.blockGroup(b)] += blockFree[b];
      groupWhole[fleet.blockGroup(b)] += blockWhole[b];
    }
    int[] siteFree = new int[fleet.siteCount()];
    int[] siteWhole = new int[fleet.siteCount()];
    for (int g = 0; g < fleet.groupCount(); g++) {
      siteFree[fleet.groupSite(g)] += groupFree[g];
      siteWhole[fleet.groupSite(g)] += groupWhole[g];
    }
    if (!Arrays.equals(groupFree, index.groupFree) || !Arrays.equals(groupWhole, index.groupWhole)
        || !Arrays.equals(siteFree, index.siteFree) || !Arrays.equals(siteWhole, index.siteWhole)
        || totalFree != index.totalFree) {
      throw new IllegalStateException("group, site or fleet aggregates disagree with blocks");
    }
  }

  /** Every block is filed exactly once, in its group, under its wholly-free-domain count. */
  private void checkBlockBuckets() {
    BucketIndex buckets = index.blocksByWhole;
    boolean[] filed = new boolean[fleet.blockCount()];
    for (int g = 0; g < fleet.groupCount(); g++) {
      for (int k = 0; k <= buckets.maxKey(g); k++) {
        for (int b = buckets.first(g, k); b >= 0; b = buckets.next(b)) {
          if (index.blockWhole[b] != k || fleet.blockGroup(b) != g || filed[b]) {
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
