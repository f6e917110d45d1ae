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
  private final int gpus;

  Allocation(int[] domains, int[] wordStart, long[] masks, int[] gpusBySite) {
    this.domains = domains;
    this.wordStart = wordStart;
    this.masks = masks;
    this.gpusBySite = gpusBySite;
    int n = 0;
    for (long m : masks) {
      n += Long.bitCount(m);
    }
    this.gpus = n;
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

  long mask(int i, int word) {
    return masks[wordStart[i] + word];
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
    int n = domains.length;
    int keep = 0;
    for (int d : domains) {
      if (fleet.domainSite(d) == site) {
        keep++;
      }
    }
    int[][] doms = {new int[keep], new int[n - keep]};
    int[][] starts = {new int[keep + 1], new int[n - keep + 1]};
    long[][] m = new long[2][];
    int[] words = new int[2];
    for (int i = 0; i < n; i++) {
      words[fleet.domainSite(domains[i]) == site ? 0 : 1] += wordStart[i + 1] - wordStart[i];
    }
    m[0] = new long[words[0]];
    m[1] = new long[words[1]];
    int[] count = new int[2];
    int[] w = new int[2];
    int[][] bySite = {new int[gpusBySite.length], new int[gpusBySite.length]};
    for (int i = 0; i < n; i++) {
      int part = fleet.domainSite(domains[i]) == site ? 0 : 1;
      doms[part][count[part]] = domains[i];
      for (int x = wordStart[i]; x < wordStart[i + 1]; x++) {
        m[part][w[part]++] = masks[x];
        bySite[part][fleet.domainSite(domains[i])] += Long.bitCount(masks[x]);
      }
      count[part]++;
      starts[part][count[part]] = w[part];
    }
    return new Allocation[] {
      new Allocation(doms[0], starts[0], m[0], bySite[0]), new Allocation(doms[1], starts[1], m[1], bySite[1])
    };
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
    return new Allocation(domains.clone(), wordStart.clone(), m, gpusBySite.clone());
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
