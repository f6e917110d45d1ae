package dev.superfactory.fleet;

import java.util.Arrays;

/**
 * Builds an {@link Allocation} one position at a time, counting its GPUs per site and its block
 * groups as it goes. A domain whose mask holds every GPU is stored whole, so an allocation's
 * whole positions are exactly its fully held domains. Sized up front by the caller (positions,
 * partial positions, their mask words); {@link #build} trims when fewer were added, so exact
 * sizes cost no second copy.
 *
 * <p>Costs: {@link #addWhole} O(1) (no mask words); {@link #addPartial} O(words of the domain).
 */
final class AllocationBuilder {
  private final Fleet fleet;
  private final int[] domains;
  private final long[] whole;
  private final int[] partialStart;
  private final long[] masks;
  private final int[] bySite;
  private long groups;
  private int n;
  private int partials;

  AllocationBuilder(Fleet fleet, int positions, int partialPositions, int partialWords) {
    this.fleet = fleet;
    this.domains = new int[positions];
    this.whole = new long[(positions + 63) >>> 6];
    this.partialStart = new int[partialPositions + 1];
    this.masks = new long[partialWords];
    this.bySite = new int[fleet.siteCount()];
    this.groups = fleet.groupCount() > 64 ? -1 : 0;
  }

  /** Appends domain {@code d}, held whole. */
  void addWhole(int d) {
    whole[n >>> 6] |= 1L << n;
    count(d, fleet.domainSize(d));
    domains[n++] = d;
  }

  /**
   * Appends domain {@code d} with the mask of {@code words} words of {@code src} from {@code from};
   * as a whole domain if the mask holds every GPU, so that whole ⇔ every GPU held.
   */
  void addPartial(int d, long[] src, int from, int words) {
    int gpus = 0;
    for (int w = from; w < from + words; w++) {
      gpus += Long.bitCount(src[w]);
    }
    if (gpus == fleet.domainSize(d)) {
      addWhole(d);
      return;
    }
    int at = partialStart[partials];
    System.arraycopy(src, from, masks, at, words);
    partialStart[++partials] = at + words;
    count(d, gpus);
    domains[n++] = d;
  }

  private void count(int d, int gpus) {
    bySite[fleet.domainSite(d)] += gpus;
    groups |= Allocation.groupBit(fleet, d);
  }

  /** The allocation, with the block groups of the domains added. */
  Allocation build() {
    return build(groups);
  }

  /** The allocation, with the group mask given (for results that keep their source's). */
  Allocation build(long groupMask) {
    int words = partialStart[partials];
    AllocationLayout layout = n == 1 ? AllocationLayout.single(partials == 0, words)
        : new AllocationLayout(n,
            whole.length == (n + 63) >>> 6 ? whole : Arrays.copyOf(whole, (n + 63) >>> 6),
            partialStart.length == partials + 1 ? partialStart : Arrays.copyOf(partialStart, partials + 1));
    return new Allocation(fleet,
        domains.length == n ? domains : Arrays.copyOf(domains, n),
        layout,
        masks.length == words ? masks : Arrays.copyOf(masks, words),
        bySite, groupMask);
  }
}
