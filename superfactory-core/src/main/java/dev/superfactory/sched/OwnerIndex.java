package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import java.util.Arrays;

/**
 * Which running job (by job-table slot) holds a GPU, kept per domain where one job holds the whole domain (the usual
 * case for large gangs) and per GPU only in domains shared by several jobs. Assigning or clearing
 * a 100,000-GPU gang on NVL72 racks touches ~1,400 domain entries, not 100,000 GPU entries.
 *
 * <p>Memory: one int per domain and one per GPU. Cost: {@link #assign}/{@link #clear} O(domains
 * of the job + GPUs of it in shared domains); {@link #owner} O(log groups).
 */
final class OwnerIndex {
  private static final int NONE = -1;
  private static final int SHARED = -2;

  private final Fleet fleet;
  private final int[] domainOwner;
  private final int[] gpuOwner;

  OwnerIndex(Fleet fleet) {
    this.fleet = fleet;
    this.domainOwner = new int[fleet.domainCount()];
    this.gpuOwner = new int[fleet.totalGpus()];
    Arrays.fill(domainOwner, NONE);
    Arrays.fill(gpuOwner, NONE);
  }

  OwnerIndex(OwnerIndex from) {
    this.fleet = from.fleet;
    this.domainOwner = from.domainOwner.clone();
    this.gpuOwner = from.gpuOwner.clone();
  }

  void assign(Allocation a, int job) {
    set(a, job);
  }

  void clear(Allocation a) {
    set(a, NONE);
  }

  private void set(Allocation a, int job) {
    for (int i = 0; i < a.domainCount(); i++) {
      int d = a.domain(i);
      int size = fleet.domainSize(d);
      if (a.gpusInDomain(i) == size) {
        domainOwner[d] = job;
      } else {
        domainOwner[d] = SHARED;
        int first = fleet.domainFirstGpu(d);
        for (int w = 0; w < a.words(i); w++) {
          for (long m = a.mask(i, w); m != 0; m &= m - 1) {
            gpuOwner[first + (w << 6) + Long.numberOfTrailingZeros(m)] = job;
          }
        }
      }
    }
  }

  /** Bytes of its two arrays. */
  long footprintBytes() {
    return 4L * domainOwner.length + 4L * gpuOwner.length;
  }

  /** The slot of the job holding fleet-wide GPU {@code gpu}, or -1. */
  int owner(int gpu) {
    int o = domainOwner[fleet.gpuDomain(gpu)];
    return o == SHARED ? gpuOwner[gpu] : o;
  }
}
