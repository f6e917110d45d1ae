package dev.superfactory.sched;

import dev.superfactory.fleet.Fleet;
import java.util.Arrays;

/**
 * What jobs can ever use, per site: its GPUs less the hot spares, and the most any one of its
 * domains can give a gang (a scale-up group larger than that never fits there). Answers whether a
 * gang can never run. Recomputed when spares are set aside, O(domains); a question O(sites).
 */
final class UsableCapacity {
  private final Fleet fleet;
  private final int[] usableGpus;
  private final int[] largestDomain;

  UsableCapacity(Fleet fleet) {
    this.fleet = fleet;
    this.usableGpus = new int[fleet.siteCount()];
    this.largestDomain = new int[fleet.siteCount()];
    refresh(null);
  }

  UsableCapacity(UsableCapacity from) {
    this.fleet = from.fleet;
    this.usableGpus = from.usableGpus.clone();
    this.largestDomain = from.largestDomain.clone();
  }

  void describe(java.util.function.Consumer<String> out) {
    out.accept("usable " + Arrays.toString(usableGpus) + " largest domain " + Arrays.toString(largestDomain));
  }

  long footprintBytes() {
    return 4L * (usableGpus.length + largestDomain.length);
  }

  /** Recounts with {@code spares} (null: none) held out. */
  void refresh(SparePool spares) {
    Arrays.fill(usableGpus, 0);
    Arrays.fill(largestDomain, 0);
    for (int d = 0; d < fleet.domainCount(); d++) {
      int site = fleet.domainSite(d);
      int usable = fleet.domainSize(d) - (spares == null ? 0 : spares.heldIn(d));
      usableGpus[site] += usable;
      largestDomain[site] = Math.max(largestDomain[site], usable);
    }
  }

  /**
   * Whether a gang can never run on the sites in {@code siteMask}: larger than one of them (or
   * than all together, if it may span), or with a scale-up group no domain there can hold.
   */
  boolean neverFits(long siteMask, int gpus, int group, boolean span) {
    long total = 0;
    boolean groupFits = false;
    for (int site = 0; site < usableGpus.length; site++) {
      if ((siteMask & (1L << site)) != 0 && largestDomain[site] >= group) {
        total += usableGpus[site];
        groupFits = true;
        if (!span && usableGpus[site] >= gpus) {
          return false;
        }
      }
    }
    return !groupFits || !span || total < gpus;
  }
}
