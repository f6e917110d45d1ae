package dev.superfactory.fleet;

/**
 * Where the free GPUs are, aggregated so the scheduler never scans the fleet: free counts per
 * domain, block, group, site and fleet; wholly free domains per block, group and site; domains
 * filed per group in buckets by free count and blocks per group in buckets by wholly-free-domain
 * count ({@link BucketIndex}), so the best-fitting domain or block is found without scanning.
 *
 * <p>Owned and kept current by {@link FleetState}: it reports every change of a domain's free
 * count through {@link #setDomainFree}; nothing outside this package sees the index, and
 * FleetState's read methods delegate to it.
 *
 * <p>Costs (S = GPUs per domain, P = domains per block):
 * <ul>
 *   <li>free GPUs or wholly free domains of a domain, block, group, site or the fleet: O(1);
 *   <li>{@link #bestFitDomain}, {@link #largestDomainFreeAtMost}: O(S / 64) per group;
 *   <li>{@link #bestFitBlock}, {@link #largestBlockWholeAtMost}: O(P / 64) per group;
 *   <li>walking a bucket ({@link #firstDomainWithFree}, {@link #nextDomainSameFree} and the block
 *       equivalents): O(1) per element;
 *   <li>{@link #setDomainFree}: O(1), no allocation;
 *   <li>construction: O(domains + blocks).
 * </ul>
 * Memory ({@link #footprintBytes}): 3 ints per domain (free count, bucket links), 4 per block
 * (free count, whole-domain count, bucket links), 2 per site, and per group 2 ints (bucket head and
 * size) for each possible key: 2 · (S + 1) + 2 · (P + 1).
 */
final class CapacityIndex {
  private final Fleet fleet;
  final int[] groupDomainSize;
  final int[] domainFree;
  final int[] blockFree;
  final int[] blockWhole;
  final int[] groupFree;
  final int[] groupWhole;
  final int[] siteFree;
  final int[] siteWhole;
  int totalFree;
  final BucketIndex domainsByFree;
  final BucketIndex blocksByWhole;

  /** The index of a fleet with every GPU free. O(domains + blocks). */
  CapacityIndex(Fleet fleet) {
    this.fleet = fleet;
    int groups = fleet.groupCount();
    groupDomainSize = new int[groups];
    int[] maxWhole = new int[groups];
    for (int g = 0; g < groups; g++) {
      groupDomainSize[g] = fleet.group(g).gpusPerDomain();
      maxWhole[g] = fleet.group(g).domainsPerBlock();
    }
    domainFree = new int[fleet.domainCount()];
    blockFree = new int[fleet.blockCount()];
    blockWhole = new int[fleet.blockCount()];
    groupFree = new int[groups];
    groupWhole = new int[groups];
    siteFree = new int[fleet.siteCount()];
    siteWhole = new int[fleet.siteCount()];
    domainsByFree = new BucketIndex(fleet.domainCount(), groupDomainSize);
    blocksByWhole = new BucketIndex(fleet.blockCount(), maxWhole);
    fileWholeDomains();
    sumUp();
    totalFree = fleet.totalGpus();
  }

  /** A copy: every count and bucket copied, the fleet and domain sizes shared. O(domains + blocks). */
  CapacityIndex(CapacityIndex from) {
    fleet = from.fleet;
    groupDomainSize = from.groupDomainSize;
    domainFree = from.domainFree.clone();
    blockFree = from.blockFree.clone();
    blockWhole = from.blockWhole.clone();
    groupFree = from.groupFree.clone();
    groupWhole = from.groupWhole.clone();
    siteFree = from.siteFree.clone();
    siteWhole = from.siteWhole.clone();
    totalFree = from.totalFree;
    domainsByFree = new BucketIndex(from.domainsByFree);
    blocksByWhole = new BucketIndex(from.blocksByWhole);
  }

  /** Every domain wholly free, filed in domain order (the bucket lists' order depends on it). */
  private void fileWholeDomains() {
    for (int d = 0; d < fleet.domainCount(); d++) {
      int g = fleet.domainGroup(d);
      int size = groupDomainSize[g];
      domainFree[d] = size;
      blockFree[fleet.domainBlock(d)] += size;
      blockWhole[fleet.domainBlock(d)]++;
      domainsByFree.add(d, g, size);
    }
  }

  private void sumUp() {
    for (int b = 0; b < fleet.blockCount(); b++) {
      int g = fleet.blockGroup(b);
      blocksByWhole.add(b, g, blockWhole[b]);
      groupFree[g] += blockFree[b];
      groupWhole[g] += blockWhole[b];
    }
    for (int g = 0; g < fleet.groupCount(); g++) {
      siteFree[fleet.groupSite(g)] += groupFree[g];
      siteWhole[fleet.groupSite(g)] += groupWhole[g];
    }
  }

  /** Bytes held by the index's arrays, bucket indices included. */
  long footprintBytes() {
    long ints = groupDomainSize.length + domainFree.length + blockFree.length + blockWhole.length
        + groupFree.length + groupWhole.length + siteFree.length + siteWhole.length;
    return 4L * ints + domainsByFree.footprintBytes() + blocksByWhole.footprintBytes();
  }

  // ---- updates (FleetState only) ----

  /** Domain d now has {@code newFree} free GPUs: moves it between buckets and fixes every aggregate. O(1). */
  void setDomainFree(int d, int newFree) {
    int b = fleet.domainBlock(d);
    int g = fleet.blockGroup(b);
    int s = fleet.groupSite(g);
    int old = domainFree[d];
    int delta = newFree - old;
    domainFree[d] = newFree;
    blockFree[b] += delta;
    groupFree[g] += delta;
    siteFree[s] += delta;
    totalFree += delta;
    domainsByFree.move(d, g, old, newFree);
    int size = groupDomainSize[g];
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

  /** The aggregates and the buckets' order, as lines. O(domains + blocks). */
  void describe(java.util.function.Consumer<String> out) {
    out.accept("free " + totalFree + " sites " + java.util.Arrays.toString(siteFree) + " whole "
        + java.util.Arrays.toString(siteWhole) + " groups " + java.util.Arrays.toString(groupFree) + " "
        + java.util.Arrays.toString(groupWhole));
    out.accept("blocks free " + java.util.Arrays.toString(blockFree) + " whole " + java.util.Arrays.toString(blockWhole));
    domainsByFree.describe("domains-by-free", out);
    blocksByWhole.describe("blocks-by-whole", out);
  }

  // ---- counts: O(1) ----

  int freeGpus() {
    return totalFree;
  }

  int siteFreeGpus(int s) {
    return siteFree[s];
  }

  int groupFreeGpus(int g) {
    return groupFree[g];
  }

  int blockFreeGpus(int b) {
    return blockFree[b];
  }

  int domainFreeGpus(int d) {
    return domainFree[d];
  }

  int siteWholeFreeDomains(int s) {
    return siteWhole[s];
  }

  int groupWholeFreeDomains(int g) {
    return groupWhole[g];
  }

  int blockWholeFreeDomains(int b) {
    return blockWhole[b];
  }

  // ---- searches ----

  int bestFitDomain(int g, int k) {
    int key = domainsByFree.atLeast(g, Math.max(k, 1));
    return key < 0 ? -1 : domainsByFree.first(g, key);
  }

  /** Best fit over the groups of one site (ties: lower group index). O(groups of s · S / 64). */
  int bestFitDomainInSite(int s, int k) {
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

  int bestFitBlock(int g, int n) {
    int key = blocksByWhole.atLeast(g, Math.max(n, 1));
    return key < 0 ? -1 : blocksByWhole.first(g, key);
  }

  int largestDomainFreeAtMost(int g, int atMost) {
    return domainsByFree.atMost(g, atMost);
  }

  int firstDomainWithFree(int g, int freeGpus) {
    return domainsByFree.first(g, freeGpus);
  }

  int nextDomainSameFree(int d) {
    return domainsByFree.next(d);
  }

  int domainsWithFree(int g, int freeGpus) {
    return domainsByFree.size(g, freeGpus);
  }

  int largestBlockWholeAtMost(int g, int atMost) {
    return blocksByWhole.atMost(g, atMost);
  }

  int firstBlockWithWhole(int g, int whole) {
    return blocksByWhole.first(g, whole);
  }

  int nextBlockSameWhole(int b) {
    return blocksByWhole.next(b);
  }
}
