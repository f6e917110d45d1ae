package dev.superfactory.fleet;

import java.util.Arrays;

/**
 * The exact GPUs a gang holds: for each domain it touches, a bit mask over the domain's GPUs.
 * Created only by {@link FleetState#allocate}; released with {@link FleetState#release}.
 *
 * <p>Size: one int per domain and ⌈domain size / 64⌉ longs per domain, so a 100,000-GPU gang on
 * NVL72 racks (1,389 domains) takes ≈ 28 KB.
 */
public final class Allocation {
  private final int[] domains;
  private final int[] wordStart; // domains + 1; masks of domains[i] are words wordStart[i] ..
  private final long[] masks;
  private final int[] gpusBySite;
  private final long groups;
  private final int gpus;

  Allocation(int[] domains, int[] wordStart, long[] masks, int[] gpusBySite, long groups) {
    this(domains, wordStart, masks, gpusBySite, groups, sum(gpusBySite));
  }

  /** Takes the arrays as they are (they are never changed afterwards; {@code wordStart} may be shared). */
  private Allocation(int[] domains, int[] wordStart, long[] masks, int[] gpusBySite, long groups, int gpus) {
    this.domains = domains;
    this.wordStart = wordStart;
    this.masks = masks;
    this.gpusBySite = gpusBySite;
    this.groups = groups;
    this.gpus = gpus;
  }

  private static int sum(int[] values) {
    int n = 0;
    for (int v : values) {
      n += v;
    }
    return n;
  }

  public int gpus() {
    return gpus;
  }

  public int domainCount() {
    return domains.length;
  }

  public int domain(int i) {
    return domains[i];
  }

  /** GPUs held in the i-th domain of this allocation. */
  public int gpusInDomain(int i) {
    int n = 0;
    for (int w = wordStart[i]; w < wordStart[i + 1]; w++) {
      n += Long.bitCount(masks[w]);
    }
    return n;
  }

  /** Whether this allocation holds GPU {@code local} (0-based within the i-th domain). */
  public boolean holds(int i, int local) {
    return (masks[wordStart[i] + (local >>> 6)] & (1L << local)) != 0;
  }

  /** Word {@code word} of the i-th domain's GPU mask (bit = GPU within the domain). */
  public long mask(int i, int word) {
    return masks[wordStart[i] + word];
  }

  /** Mask words of the i-th domain. */
  public int words(int i) {
    return wordStart[i + 1] - wordStart[i];
  }

  /**
   * Bit g set if this allocation holds GPUs of block group g (groups 0–63; -1 when the fleet has
   * more groups and the mask is not kept). O(1).
   */
  public long groupMask() {
    return groups;
  }

  /** Calls {@code action} with the fleet-wide index of every GPU held. O(GPUs held). */
  public void forEachGpu(Fleet fleet, java.util.function.IntConsumer action) {
    for (int i = 0; i < domains.length; i++) {
      int first = fleet.domainFirstGpu(domains[i]);
      for (int w = wordStart[i]; w < wordStart[i + 1]; w++) {
        long m = masks[w];
        int base = first + (w - wordStart[i]) * 64;
        while (m != 0) {
          action.accept(base + Long.numberOfTrailingZeros(m));
          m &= m - 1;
        }
      }
    }
  }

  /** GPUs on each site, indexed like {@link Fleet#sites()}. */
  public int gpusOnSite(int site) {
    return gpusBySite[site];
  }

  /** Number of sites with at least one GPU of this allocation. */
  public int siteCount() {
    int n = 0;
    for (int g : gpusBySite) {
      if (g > 0) {
        n++;
      }
    }
    return n;
  }

  public int[] gpusBySite() {
    return gpusBySite.clone();
  }

  /**
   * Splits this allocation into the part on {@code site} and the rest: {@code [onSite, elsewhere]}.
   * O(domains).
   */
  public Allocation[] splitBySite(Fleet fleet, int site) {
    return split(fleet, i -> fleet.domainSite(domains[i]) == site);
  }

  /**
   * Splits this allocation by domain: {@code [domains i with first.test(i), the others]}.
   * O(domains).
   */
  public Allocation[] split(Fleet fleet, java.util.function.IntPredicate first) {
    int n = domains.length;
    boolean[] in = new boolean[n];
    int keep = 0;
    for (int i = 0; i < n; i++) {
      in[i] = first.test(i);
      if (in[i]) {
        keep++;
      }
    }
    int[][] doms = {new int[keep], new int[n - keep]};
    int[][] starts = {new int[keep + 1], new int[n - keep + 1]};
    long[][] m = new long[2][];
    int[] words = new int[2];
    for (int i = 0; i < n; i++) {
      words[in[i] ? 0 : 1] += wordStart[i + 1] - wordStart[i];
    }
    m[0] = new long[words[0]];
    m[1] = new long[words[1]];
    int[] count = new int[2];
    int[] w = new int[2];
    int[][] bySite = {new int[gpusBySite.length], new int[gpusBySite.length]};
    long[] groupBits = new long[2];
    for (int i = 0; i < n; i++) {
      int part = in[i] ? 0 : 1;
      groupBits[part] |= groupBit(fleet, domains[i]);
      doms[part][count[part]] = domains[i];
      for (int x = wordStart[i]; x < wordStart[i + 1]; x++) {
        m[part][w[part]++] = masks[x];
        bySite[part][fleet.domainSite(domains[i])] += Long.bitCount(masks[x]);
      }
      count[part]++;
      starts[part][count[part]] = w[part];
    }
    return new Allocation[] {
      new Allocation(doms[0], starts[0], m[0], bySite[0], groups == -1 ? -1 : groupBits[0]),
      new Allocation(doms[1], starts[1], m[1], bySite[1], groups == -1 ? -1 : groupBits[1])
    };
  }

  static long groupBit(Fleet fleet, int domain) {
    int g = fleet.domainGroup(domain);
    return fleet.groupCount() > 64 ? -1 : 1L << g;
  }

  /**
   * A copy with, in the i-th domain, the GPUs of {@code remove[i]} replaced by those of
   * {@code add[i]} (null entries: unchanged). Used for hot-spare swaps; GPU counts must match.
   */
  public Allocation exchange(long[][] remove, long[][] add) {
    long[] m = masks.clone();
    for (int i = 0; i < domains.length; i++) {
      if (remove[i] == null) {
        continue;
      }
      for (int w = 0; w < remove[i].length; w++) {
        if (Long.bitCount(remove[i][w]) != Long.bitCount(add[i][w]) && remove[i].length == 1) {
          throw new IllegalArgumentException("a swap must keep the GPU count of domain " + domains[i]);
        }
        m[wordStart[i] + w] = (m[wordStart[i] + w] & ~remove[i][w]) | add[i][w];
      }
    }
    return new Allocation(domains, wordStart, m, gpusBySite, groups, gpus);
  }

  /** The domains at the given (ascending) indices, as an allocation of their own. O(indices). */
  public Allocation subset(Fleet fleet, int[] indices) {
    int k = indices.length;
    int[] outDomains = new int[k];
    int[] outStarts = new int[k + 1];
    int outWords = 0;
    for (int j = 0; j < k; j++) {
      int i = indices[j];
      outDomains[j] = domains[i];
      outWords += wordStart[i + 1] - wordStart[i];
      outStarts[j + 1] = outWords;
    }
    long[] outMasks = new long[outWords];
    int[] outBySite = new int[gpusBySite.length];
    long outGroups = 0;
    for (int j = 0; j < k; j++) {
      int i = indices[j];
      System.arraycopy(masks, wordStart[i], outMasks, outStarts[j], wordStart[i + 1] - wordStart[i]);
      outBySite[fleet.domainSite(domains[i])] += gpusInDomain(i);
      outGroups |= groupBit(fleet, domains[i]);
    }
    return new Allocation(outDomains, outStarts, outMasks, outBySite, groups == -1 ? -1 : outGroups);
  }

  /**
   * This allocation without the domains at the given (ascending) indices. The rest is copied in
   * bulk between the indices: O(domains) array copies. It keeps this allocation's group mask,
   * which may then name a group it no longer uses.
   */
  public Allocation without(Fleet fleet, int[] indices) {
    int k = indices.length;
    int n = domains.length;
    int removedWords = 0;
    int[] keepBySite = gpusBySite.clone();
    for (int i : indices) {
      removedWords += wordStart[i + 1] - wordStart[i];
      keepBySite[fleet.domainSite(domains[i])] -= gpusInDomain(i);
    }
    int[] keepDomains = new int[n - k];
    int[] keepStarts = new int[n - k + 1];
    long[] keepMasks = new long[masks.length - removedWords];
    int from = 0;
    int at = 0;
    int wordsAt = 0;
    for (int j = 0; j <= k; j++) {
      int to = j < k ? indices[j] : n;
      int len = to - from;
      if (len > 0) {
        System.arraycopy(domains, from, keepDomains, at, len);
        int words = wordStart[to] - wordStart[from];
        System.arraycopy(masks, wordStart[from], keepMasks, wordsAt, words);
        for (int x = 0; x < len; x++) {
          keepStarts[at + x + 1] = wordsAt + wordStart[from + x + 1] - wordStart[from];
        }
        at += len;
        wordsAt += words;
      }
      from = to + 1;
    }
    return new Allocation(keepDomains, keepStarts, keepMasks, keepBySite, groups);
  }

  /**
   * This allocation with the domains at the given (ascending) indices replaced by {@code added}
   * (disjoint from this one). When {@code added} has as many domains, each with as many mask words
   * as the one it replaces (the usual repair: a failed rack for a healthy one), it takes their
   * places: two array copies and the word layout shared, no per-domain work. Otherwise it is
   * {@link #without} then {@link #merge}. O(domains) either way, in bulk copies.
   */
  public Allocation substitute(Fleet fleet, int[] indices, Allocation added) {
    if (!sameLayout(indices, added)) {
      return without(fleet, indices).merge(added);
    }
    int[] d = domains.clone();
    long[] m = masks.clone();
    int[] bySite = gpusBySite.clone();
    int removed = 0;
    for (int j = 0; j < indices.length; j++) {
      int i = indices[j];
      int count = gpusInDomain(i);
      bySite[fleet.domainSite(domains[i])] -= count;
      removed += count;
      d[i] = added.domains[j];
      System.arraycopy(added.masks, added.wordStart[j], m, wordStart[i], wordStart[i + 1] - wordStart[i]);
    }
    for (int s = 0; s < bySite.length; s++) {
      bySite[s] += added.gpusBySite[s];
    }
    long g = groups == -1 || added.groups == -1 ? -1 : groups | added.groups;
    return new Allocation(d, wordStart, m, bySite, g, gpus - removed + added.gpus);
  }

  private boolean sameLayout(int[] indices, Allocation added) {
    if (added.domains.length != indices.length) {
      return false;
    }
    for (int j = 0; j < indices.length; j++) {
      int i = indices[j];
      if (wordStart[i + 1] - wordStart[i] != added.wordStart[j + 1] - added.wordStart[j]) {
        return false;
      }
    }
    return true;
  }

  /** This allocation and {@code other} (disjoint) as one. O(domains). */
  public Allocation merge(Allocation other) {
    int n = domains.length + other.domains.length;
    int[] d = java.util.Arrays.copyOf(domains, n);
    System.arraycopy(other.domains, 0, d, domains.length, other.domains.length);
    int[] starts = java.util.Arrays.copyOf(wordStart, n + 1);
    for (int i = 0; i < other.domains.length; i++) {
      starts[domains.length + i + 1] = masks.length + other.wordStart[i + 1];
    }
    long[] m = java.util.Arrays.copyOf(masks, masks.length + other.masks.length);
    System.arraycopy(other.masks, 0, m, masks.length, other.masks.length);
    int[] bySite = gpusBySite.clone();
    for (int s = 0; s < bySite.length; s++) {
      bySite[s] += other.gpusBySite[s];
    }
    return new Allocation(d, starts, m, bySite, groups == -1 || other.groups == -1 ? -1 : groups | other.groups);
  }

  /** Number of distinct blocks touched; O(domains). */
  public int blockCount(Fleet fleet) {
    int n = 0;
    int last = -1;
    int[] blocks = new int[domains.length];
    for (int i = 0; i < domains.length; i++) {
      blocks[i] = fleet.domainBlock(domains[i]);
    }
    Arrays.sort(blocks);
    for (int b : blocks) {
      if (b != last) {
        n++;
        last = b;
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return "Allocation[" + gpus + " GPUs in " + domains.length + " domains, bySite=" + Arrays.toString(gpusBySite) + "]";
  }
}
