package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import java.util.Arrays;

/**
 * Cordoned GPUs (Kubernetes' cordon, as opposed to its drain): a cordoned GPU takes no new job,
 * but a job already on it keeps it and runs to its end; once released, it stays out of service
 * until uncordoned. A cordon is one more outage in {@link Outages} (so a GPU cordoned and failed,
 * or cordoned and drained, stays down until both end), taken without interrupting anyone; this
 * class remembers which GPUs carry it, so cordoning twice or uncordoning what is not cordoned
 * changes nothing, and so a job that must restart never restarts in place on cordoned GPUs.
 *
 * <p>Memory: per domain, a pointer and a count, plus one bit per GPU of each domain ever cordoned.
 * Costs: {@link #cordon} and {@link #uncordon} O(GPUs in the range); {@link #heldIn} O(words of
 * the domain), and O(1) for a domain with nothing cordoned.
 */
final class Cordons {
  private final Fleet fleet;
  private final Outages outages;
  private final long[][] bits; // per domain, local GPU bits; null until the domain is first cordoned
  private final int[] perDomain;
  private final int[] perSite;
  private int total;

  Cordons(Fleet fleet, Outages outages) {
    this.fleet = fleet;
    this.outages = outages;
    this.bits = new long[fleet.domainCount()][];
    this.perDomain = new int[fleet.domainCount()];
    this.perSite = new int[fleet.siteCount()];
  }

  /** A copy acting on {@code outages} (a copy of {@code from}'s). O(domains + words of cordoned domains). */
  Cordons(Cordons from, Outages outages) {
    this.fleet = from.fleet;
    this.outages = outages;
    this.bits = new long[from.bits.length][];
    for (int d = 0; d < bits.length; d++) {
      bits[d] = from.bits[d] == null ? null : from.bits[d].clone();
    }
    this.perDomain = from.perDomain.clone();
    this.perSite = from.perSite.clone();
    this.total = from.total;
  }

  /** Cordons GPUs [first, first + n) not cordoned yet; returns how many were newly cordoned. */
  int cordon(int first, int n) {
    outages.requireRoom(first, n); // before any bit changes
    return change(first, n, true);
  }

  /** Lifts the cordon of GPUs [first, first + n) that carry one; returns how many were uncordoned. */
  int uncordon(int first, int n) {
    return change(first, n, false);
  }

  /** Sets ({@code on}) or clears each GPU's bit, one outage per run of GPUs that changed. */
  private int change(int first, int n, boolean on) {
    int changed = 0;
    int runStart = -1;
    for (int g = first; g < first + n; g++) {
      boolean flips = flip(g, on);
      if (flips && runStart < 0) {
        runStart = g;
      } else if (!flips && runStart >= 0) {
        outage(runStart, g - runStart, on);
        runStart = -1;
      }
      changed += flips ? 1 : 0;
    }
    if (runStart >= 0) {
      outage(runStart, first + n - runStart, on);
    }
    return changed;
  }

  private void outage(int first, int n, boolean on) {
    if (on) {
      outages.down(first, n);
    } else {
      outages.up(first, n);
    }
  }

  /** Sets or clears GPU {@code g}'s bit; true if it changed. */
  private boolean flip(int g, boolean on) {
    int d = fleet.gpuDomain(g);
    int local = g - fleet.domainFirstGpu(d);
    if (bits[d] == null) {
      if (!on) {
        return false;
      }
      bits[d] = new long[(fleet.domainSize(d) + 63) >>> 6];
    }
    long bit = 1L << local;
    boolean was = (bits[d][local >>> 6] & bit) != 0;
    if (was == on) {
      return false;
    }
    bits[d][local >>> 6] ^= bit;
    int delta = on ? 1 : -1;
    perDomain[d] += delta;
    perSite[fleet.domainSite(d)] += delta;
    total += delta;
    return true;
  }

  /** The cordoned bits of each domain that has any, and the counts ({@link KernelDigest}). O(domains). */
  void describe(java.util.function.Consumer<String> out) {
    out.accept("cordoned " + total + " by site " + Arrays.toString(perSite));
    for (int d = 0; d < bits.length; d++) {
      if (bits[d] != null) {
        out.accept("cordoned domain " + d + " " + perDomain[d] + " " + Arrays.toString(bits[d]));
      }
    }
  }

  /** Whether any GPU is cordoned. O(1). */
  boolean any() {
    return total > 0;
  }

  boolean isCordoned(int gpu) {
    int d = fleet.gpuDomain(gpu);
    int local = gpu - fleet.domainFirstGpu(d);
    return bits[d] != null && (bits[d][local >>> 6] & (1L << local)) != 0;
  }

  int domainGpus(int d) {
    return perDomain[d];
  }

  int siteGpus(int s) {
    return perSite[s];
  }

  int gpus() {
    return total;
  }

  /** GPUs of the i-th domain of {@code a} that are cordoned. */
  int heldIn(Allocation a, int i) {
    int d = a.domain(i);
    if (perDomain[d] == 0) {
      return 0;
    }
    int n = 0;
    for (int w = 0; w < bits[d].length; w++) {
      n += Long.bitCount(a.mask(i, w) & bits[d][w]);
    }
    return n;
  }

  /** Every cordoned GPU is out of service; the counts per domain, site and fleet match the bits. O(domains + their GPUs). */
  void checkInvariants(FleetState state) {
    int[] bySite = new int[perSite.length];
    int sum = 0;
    for (int d = 0; d < bits.length; d++) {
      int n = 0;
      for (int local = 0; bits[d] != null && local < fleet.domainSize(d); local++) {
        if ((bits[d][local >>> 6] & (1L << local)) != 0) {
          n++;
          if (!state.isDown(fleet.domainFirstGpu(d) + local)) {
            throw new IllegalStateException("GPU " + (fleet.domainFirstGpu(d) + local) + " is cordoned but in service");
          }
        }
      }
      if (n != perDomain[d]) {
        throw new IllegalStateException("domain " + d + " has " + n + " cordoned GPUs, counted " + perDomain[d]);
      }
      bySite[fleet.domainSite(d)] += n;
      sum += n;
    }
    if (sum != total || !Arrays.equals(bySite, perSite)) {
      throw new IllegalStateException("cordoned GPUs: " + sum + " by domain, counted " + total + "; by site "
          + Arrays.toString(bySite) + ", counted " + Arrays.toString(perSite));
    }
  }

  long footprintBytes() {
    long words = 0;
    for (long[] b : bits) {
      words += b == null ? 0 : b.length;
    }
    return 8L * bits.length + 8 * words + 4L * (perDomain.length + perSite.length);
  }
}
