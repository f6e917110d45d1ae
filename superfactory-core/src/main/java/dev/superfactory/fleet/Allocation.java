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
