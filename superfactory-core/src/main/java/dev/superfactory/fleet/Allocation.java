package dev.superfactory.fleet;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * The exact GPUs a gang holds: the domains it touches (its positions, in the order they were
 * taken), which of them it holds whole, and for the others a bit mask over the domain's GPUs.
 * Created only by {@link FleetState#allocate}; released with {@link FleetState#release}.
 *
 * <p>A whole domain stores no mask: its GPUs follow from its size in the fleet. A domain is
 * stored whole exactly when every GPU of it is held. The positions' kinds and the partial
 * domains' word offsets form an {@link AllocationLayout}, shared between allocations that differ
 * only in which domains they hold at the same positions.
 *
 * <p>Size (n domains, p held in part, S GPUs per domain): 4n bytes of domains, ≈ n / 5 bytes of
 * layout, 8 · p · ⌈S / 64⌉ bytes of masks, one int per site ({@link #footprintBytes}). A
 * 100,000-GPU gang on NVL72 racks (1,389 domains, 1,388 whole) takes ≈ 5.8 KB, not 33 KB.
 *
 * <p>Costs: every read O(1), except {@link #gpusInDomain} of a partial domain O(⌈S / 64⌉) and
 * {@link #forEachGpu} O(GPUs held). {@link #substitute} of whole domains for whole domains (a
 * repair) copies the domains and the per-site counts and shares the rest: O(n) in one bulk copy;
 * replacing partial domains copies the partial masks too. {@link #exchange} copies the partial
 * masks; {@link #subset} is O(indices + their partial words); {@link #split}, {@link #without}
 * and {@link #merge} O(n + partial words).
 */
public final class Allocation {
  private final Fleet fleet;
  private final int[] domains;
  private final AllocationLayout layout;
  private final long[] masks; // partial positions only, at layout.start(i) ..
  private final int[] gpusBySite;
  private final long groups;
  private final int gpus;

  Allocation(Fleet fleet, int[] domains, AllocationLayout layout, long[] masks, int[] gpusBySite, long groups) {
    this(fleet, domains, layout, masks, gpusBySite, groups, sum(gpusBySite));
  }

  /** Takes the arrays as they are (never changed afterwards; {@code layout} may be shared). */
  private Allocation(Fleet fleet, int[] domains, AllocationLayout layout, long[] masks, int[] gpusBySite,
      long groups, int gpus) {
    this.fleet = fleet;
    this.domains = domains;
    this.layout = layout;
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

  /** Whether this allocation holds every GPU of its i-th domain. O(1). */
  public boolean isWhole(int i) {
    return layout.isWhole(i);
  }

  /** GPUs held in the i-th domain of this allocation. */
  public int gpusInDomain(int i) {
    if (layout.isWhole(i)) {
      return fleet.domainSize(domains[i]);
    }
    int n = 0;
    for (int w = layout.start(i), end = w + layout.words(i); w < end; w++) {
      n += Long.bitCount(masks[w]);
    }
    return n;
  }

  /** Whether this allocation holds GPU {@code local} (0-based within the i-th domain). */
  public boolean holds(int i, int local) {
    if (layout.isWhole(i)) {
      return local < fleet.domainSize(domains[i]);
    }
    return (masks[layout.start(i) + (local >>> 6)] & (1L << local)) != 0;
  }

  /** Word {@code word} of the i-th domain's GPU mask (bit = GPU within the domain). */
  public long mask(int i, int word) {
    if (layout.isWhole(i)) {
      return wholeWord(fleet.domainSize(domains[i]), word);
    }
    return masks[layout.start(i) + word];
  }

  /** Word {@code word} of the mask of a domain of {@code size} GPUs held whole. */
  static long wholeWord(int size, int word) {
    int left = size - (word << 6);
    return left >= 64 ? -1L : left <= 0 ? 0 : (1L << left) - 1;
  }

  /** Mask words of the i-th domain: ⌈domain size / 64⌉. */
  public int words(int i) {
    if (layout.isWhole(i)) {
      return (fleet.domainSize(domains[i]) + 63) >>> 6;
    }
    return layout.words(i);
  }

  /**
   * Bit g set if this allocation holds GPUs of block group g (groups 0–63; -1 when the fleet has
   * more groups and the mask is not kept). O(1).
   */
  public long groupMask() {
    return groups;
  }

  /** Calls {@code action} with the fleet-wide index of every GPU held. O(GPUs held). */
  public void forEachGpu(Fleet fleet, IntConsumer action) {
    requireFleet(fleet);
    for (int i = 0; i < domains.length; i++) {
      int first = fleet.domainFirstGpu(domains[i]);
      if (layout.isWhole(i)) {
        for (int g = first, end = first + fleet.domainSize(domains[i]); g < end; g++) {
          action.accept(g);
        }
        continue;
      }
      for (int w = 0, start = layout.start(i); w < layout.words(i); w++) {
        for (long m = masks[start + w]; m != 0; m &= m - 1) {
          action.accept(first + (w << 6) + Long.numberOfTrailingZeros(m));
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
   * Bytes of this allocation's arrays (without headers), its layout's included even when shared:
   * for footprint reports and the class comment's figures.
   */
  public long footprintBytes() {
    return 4L * domains.length + layout.footprintBytes() + 8L * masks.length + 4L * gpusBySite.length;
  }

  /**
   * Splits this allocation into the part on {@code site} and the rest: {@code [onSite, elsewhere]}.
   * O(domains + partial words).
   */
  public Allocation[] splitBySite(Fleet fleet, int site) {
    return split(fleet, i -> fleet.domainSite(domains[i]) == site);
  }

  /**
   * Splits this allocation by domain: {@code [domains i with first.test(i), the others]}.
   * O(domains + partial words).
   */
  public Allocation[] split(Fleet fleet, IntPredicate first) {
    requireFleet(fleet);
    int n = domains.length;
    boolean[] in = new boolean[n];
    int[] positions = new int[2];
    int[] partials = new int[2];
    int[] words = new int[2];
    for (int i = 0; i < n; i++) {
      in[i] = first.test(i);
      int part = in[i] ? 0 : 1;
      positions[part]++;
      if (!layout.isWhole(i)) {
        partials[part]++;
        words[part] += layout.words(i);
      }
    }
    AllocationBuilder[] parts = {
      new AllocationBuilder(fleet, positions[0], partials[0], words[0]),
      new AllocationBuilder(fleet, positions[1], partials[1], words[1])
    };
    for (int i = 0; i < n; i++) {
      appendTo(parts[in[i] ? 0 : 1], i);
    }
    return new Allocation[] {parts[0].build(), parts[1].build()};
  }

  /** Appends the i-th position, as it is, to {@code b}. */
  private void appendTo(AllocationBuilder b, int i) {
    if (layout.isWhole(i)) {
      b.addWhole(domains[i]);
    } else {
      b.addPartial(domains[i], masks, layout.start(i), layout.words(i));
    }
  }

  static long groupBit(Fleet fleet, int domain) {
    int g = fleet.domainGroup(domain);
    return fleet.groupCount() > 64 ? -1 : 1L << g;
  }

  private void requireFleet(Fleet other) {
    if (other != fleet) {
      throw new IllegalArgumentException(String.format(
          "an allocation on a fleet of %d GPUs used with another fleet (%d GPUs)",
          fleet.totalGpus(), other.totalGpus()));
    }
  }

  /**
   * A copy with, in the i-th domain, the GPUs of {@code remove[i]} replaced by those of
   * {@code add[i]} (null entries: unchanged). Used for hot-spare swaps: {@code add[i]} must hold
   * as many GPUs as {@code remove[i]} (else {@link IllegalArgumentException}), none of them held.
   * Shares the domains and the layout and copies the partial masks; a whole domain (which a
   * valid swap cannot touch: it has no GPU left to add) or one made whole is rebuilt with every
   * position, O(domains + partial words).
   */
  public Allocation exchange(long[][] remove, long[][] add) {
    long[] m = masks.clone();
    for (int i = 0; i < domains.length; i++) {
      if (remove[i] == null) {
        continue;
      }
      requireSameCount(i, remove[i], add[i]);
      if (layout.isWhole(i) || exchangeInto(m, i, remove[i], add[i]) == fleet.domainSize(domains[i])) {
        return rebuiltExchange(remove, add);
      }
    }
    return new Allocation(fleet, domains, layout, m, gpusBySite, groups, gpus);
  }

  private void requireSameCount(int i, long[] remove, long[] add) {
    int removed = 0;
    int added = 0;
    for (int w = 0; w < remove.length; w++) {
      removed += Long.bitCount(remove[w]);
      added += Long.bitCount(add[w]);
    }
    if (removed != added) {
      throw new IllegalArgumentException(String.format(
          "a swap must keep the GPU count of domain %d: removes %d, adds %d", domains[i], removed, added));
    }
  }

  /** Applies one domain's exchange to the partial masks {@code m}; returns the GPUs it then holds. */
  private int exchangeInto(long[] m, int i, long[] remove, long[] add) {
    int start = layout.start(i);
    int held = 0;
    for (int w = 0; w < remove.length; w++) {
      m[start + w] = (m[start + w] & ~remove[w]) | add[w];
      held += Long.bitCount(m[start + w]);
    }
    return held;
  }

  /** {@link #exchange} when whole domains change kind: every position rebuilt. */
  private Allocation rebuiltExchange(long[][] remove, long[][] add) {
    int touchedWords = 0;
    for (int i = 0; i < domains.length; i++) {
      touchedWords += remove[i] != null && layout.isWhole(i) ? words(i) : 0;
    }
    AllocationBuilder b = new AllocationBuilder(fleet, domains.length, domains.length, masks.length + touchedWords);
    long[] scratch = new long[(fleet.maxDomainGpus() + 63) >>> 6];
    for (int i = 0; i < domains.length; i++) {
      if (remove[i] == null) {
        appendTo(b, i);
        continue;
      }
      for (int w = 0; w < words(i); w++) {
        scratch[w] = mask(i, w);
      }
      for (int w = 0; w < remove[i].length; w++) {
        scratch[w] = (scratch[w] & ~remove[i][w]) | add[i][w];
      }
      b.addPartial(domains[i], scratch, 0, words(i));
    }
    return b.build(groups);
  }

  /** The domains at the given (ascending) indices, as an allocation of their own. O(indices + their partial words). */
  public Allocation subset(Fleet fleet, int[] indices) {
    requireFleet(fleet);
    int partials = 0;
    int words = 0;
    for (int i : indices) {
      if (!layout.isWhole(i)) {
        partials++;
        words += layout.words(i);
      }
    }
    AllocationBuilder b = new AllocationBuilder(fleet, indices.length, partials, words);
    for (int i : indices) {
      appendTo(b, i);
    }
    return b.build();
  }

  /**
   * This allocation without the domains at the given (ascending) indices. O(domains + partial
   * words). It keeps this allocation's group mask, which may then name a group it no longer uses.
   */
  public Allocation without(Fleet fleet, int[] indices) {
    requireFleet(fleet);
    return replaced(indices, null);
  }

  /**
   * This allocation with the positions at the given (ascending) indices left out
   * ({@code added == null}) or replaced by the domains of {@code added}: one each if there are as
   * many, else all at the first removed position. Every position rebuilt, in one pass. Keeps this
   * allocation's group mask, adding {@code added}'s.
   */
  private Allocation replaced(int[] indices, Allocation added) {
    int partials = layout.partialCount();
    int words = layout.partialWords();
    for (int i : indices) {
      if (!layout.isWhole(i)) {
        partials--;
        words -= layout.words(i);
      }
    }
    int n = domains.length - indices.length + (added == null ? 0 : added.domains.length);
    if (added != null) {
      partials += added.layout.partialCount();
      words += added.layout.partialWords();
    }
    // as many added as removed: each takes a removed one's position; else all at the first one
    boolean onePerPosition = added != null && added.domains.length == indices.length;
    AllocationBuilder b = new AllocationBuilder(fleet, n, partials, words);
    for (int i = 0, j = 0; i < domains.length; i++) {
      if (j < indices.length && indices[j] == i) {
        if (onePerPosition) {
          added.appendTo(b, j);
        } else if (added != null && j == 0) {
          for (int x = 0; x < added.domains.length; x++) {
            added.appendTo(b, x);
          }
        }
        j++;
      } else {
        appendTo(b, i);
      }
    }
    return b.build(added == null ? groups : unionOfGroups(added));
  }

  private long unionOfGroups(Allocation other) {
    return groups == -1 || other.groups == -1 ? -1 : groups | other.groups;
  }

  /**
   * This allocation with the domains at the given (ascending) indices replaced by {@code added}
   * (disjoint from this one). When {@code added} has as many domains, each with as many mask words
   * as the one it replaces (the usual repair: a failed rack for a healthy one), it takes their
   * places; otherwise all of them take the first one's place, in one O(n) rebuild. Taking places, whole domains
   * for whole domains and partial for partial (the usual case), copies the domains (and the
   * partial masks if a partial domain is replaced) and shares the layout: one bulk copy of n ints.
   */
  public Allocation substitute(Fleet fleet, int[] indices, Allocation added) {
    requireFleet(fleet);
    if (!sameWords(indices, added)) {
      return replaced(indices, added);
    }
    if (!sameKinds(indices, added)) {
      return replaced(indices, added);
    }
    int[] d = domains.clone();
    int[] bySite = gpusBySite.clone();
    long[] m = masks;
    int removed = 0;
    for (int j = 0; j < indices.length; j++) {
      int i = indices[j];
      int count = gpusInDomain(i);
      bySite[fleet.domainSite(domains[i])] -= count;
      removed += count;
      d[i] = added.domains[j];
      if (!layout.isWhole(i)) {
        m = m == masks ? masks.clone() : m;
        System.arraycopy(added.masks, added.layout.start(j), m, layout.start(i), layout.words(i));
      }
    }
    for (int s = 0; s < bySite.length; s++) {
      bySite[s] += added.gpusBySite[s];
    }
    return new Allocation(fleet, d, layout, m, bySite, unionOfGroups(added), gpus - removed + added.gpus);
  }

  private boolean sameWords(int[] indices, Allocation added) {
    if (added.domains.length != indices.length) {
      return false;
    }
    for (int j = 0; j < indices.length; j++) {
      if (words(indices[j]) != added.words(j)) {
        return false;
      }
    }
    return true;
  }

  private boolean sameKinds(int[] indices, Allocation added) {
    for (int j = 0; j < indices.length; j++) {
      if (layout.isWhole(indices[j]) != added.layout.isWhole(j)) {
        return false;
      }
    }
    return true;
  }

  /** This allocation and {@code other} (disjoint) as one. O(domains + partial words). */
  public Allocation merge(Allocation other) {
    requireFleet(other.fleet);
    AllocationBuilder b = new AllocationBuilder(fleet, domains.length + other.domains.length,
        layout.partialCount() + other.layout.partialCount(), masks.length + other.masks.length);
    for (int i = 0; i < domains.length; i++) {
      appendTo(b, i);
    }
    for (int i = 0; i < other.domains.length; i++) {
      other.appendTo(b, i);
    }
    return b.build(unionOfGroups(other));
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
