package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.WanLink;
import dev.superfactory.workload.Contract;
import dev.superfactory.workload.Tenant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Each tenant's contract and what it uses now: GPUs held, WAN bandwidth its cross-site gangs draw,
 * and the rules built on them: the GPU limit, whether a job stays within the tenant's reservation,
 * the reservations others do not lend, and the weighted dominant share (Ghodsi et al., "Dominant
 * Resource Fairness", NSDI 2011) fair sharing orders by.
 *
 * <p>A contract can change while jobs run. If the limit drops below what the tenant holds, its
 * running jobs keep their GPUs (as Kueue does when a quota shrinks) and it starts nothing until
 * it is back under the limit; {@link #ceiling} is what the invariant check allows meanwhile.
 *
 * <p>Costs: {@link #take}, {@link #give}, {@link #headroom}, {@link #withinReservation},
 * {@link #weightedShare} O(1); {@link #unlentReservations} and {@link #borrowedByOthers}
 * O(tenants); {@link #change} O(sites).
 */
final class TenantUsage {
  private final Fleet fleet;
  private final List<Tenant> tenants;
  private final double wanCapacity;
  private int[] gpus;
  private double[] wan;
  private int[] ceiling; // what a tenant may hold while above a lowered limit
  private boolean allLend;
  // the contracts' hot fields, copied out of the records (read several times per job per pass)
  private int[] limit;
  private int[] reserved;
  private boolean[] lends;

  TenantUsage(Fleet fleet, List<Tenant> tenants) {
    this.fleet = fleet;
    this.tenants = new ArrayList<>(tenants);
    this.gpus = new int[tenants.size()];
    this.wan = new double[tenants.size()];
    this.ceiling = new int[tenants.size()];
    double w = 0;
    for (WanLink l : fleet.wanLinks()) {
      w += l.bandwidthBytesPerSecond();
    }
    this.wanCapacity = w;
    refreshContracts();
  }

  /** A copy: use and contracts' hot fields copied, the tenants' records (immutable) shared. O(tenants). */
  TenantUsage(TenantUsage from) {
    this.fleet = from.fleet;
    this.tenants = new ArrayList<>(from.tenants);
    this.wanCapacity = from.wanCapacity;
    this.gpus = from.gpus.clone();
    this.wan = from.wan.clone();
    this.ceiling = from.ceiling.clone();
    this.allLend = from.allLend;
    this.limit = from.limit.clone();
    this.reserved = from.reserved.clone();
    this.lends = from.lends.clone();
  }

  int count() {
    return tenants.size();
  }

  /** Each tenant's use, limits and contract ({@link KernelDigest}). O(tenants). */
  void describe(java.util.function.Consumer<String> out) {
    for (int t = 0; t < tenants.size(); t++) {
      out.accept("tenant " + t + " gpus " + gpus[t] + " wan " + wan[t] + " ceiling " + ceiling[t] + " limit " + limit[t]
          + " reserved " + reserved[t] + " lends " + lends[t] + " " + tenants.get(t));
    }
    out.accept("tenants all lend " + allLend + " wan capacity " + wanCapacity);
  }

  Tenant tenant(int t) {
    return tenants.get(t);
  }

  Contract contract(int t) {
    return tenants.get(t).contract();
  }

  int gpus(int t) {
    return gpus[t];
  }

  int limit(int t) {
    return limit[t];
  }

  int reserved(int t) {
    return reserved[t];
  }

  /** GPUs the tenant may still take before reaching its limit (negative after a lowered limit). */
  int headroom(int t) {
    return limit(t) - gpus[t];
  }

  /** The most the tenant may hold now: its limit, or what it held when its limit was lowered, as that drains. */
  int ceiling(int t) {
    return Math.max(limit(t), ceiling[t]);
  }

  void take(int t, Allocation a) {
    gpus[t] += a.gpus();
    wan[t] += wanDemand(a);
  }

  /** A running job of tenant {@code t} now holds {@code after} instead of {@code before} (a repair or a shrink). */
  void replace(int t, Allocation before, Allocation after) {
    gpus[t] += after.gpus() - before.gpus();
    wan[t] += wanDemand(after) - wanDemand(before);
    ceiling[t] = Math.min(ceiling[t], gpus[t]);
  }

  void give(int t, Allocation a) {
    gpus[t] -= a.gpus();
    wan[t] -= wanDemand(a);
    ceiling[t] = Math.min(ceiling[t], gpus[t]);
  }

  /** Whether starting {@code jobGpus} more keeps the tenant within its reservation. */
  boolean withinReservation(int t, int jobGpus) {
    return gpus[t] + jobGpus <= reserved[t];
  }

  /**
   * GPUs other tenants reserve, do not lend, and do not use: off limits to a job of tenant
   * {@code t} that would borrow.
   */
  int unlentReservations(int t, int jobGpus) {
    if (allLend || withinReservation(t, jobGpus)) {
      return 0;
    }
    int unlent = 0;
    for (int u = 0; u < gpus.length; u++) {
      if (u != t && !lends[u]) {
        unlent += Math.max(0, reserved[u] - gpus[u]);
      }
    }
    return unlent;
  }

  /** GPUs other tenants hold beyond their reservations: the most a reclaim by {@code t} could free. */
  long borrowedByOthers(int t) {
    long borrowed = 0;
    for (int u = 0; u < gpus.length; u++) {
      if (u != t) {
        borrowed += Math.max(0, gpus[u] - reserved[u]);
      }
    }
    return borrowed;
  }

  /** The tenant's weighted dominant share: max(GPU share, WAN share) ÷ weight. */
  double weightedShare(int t) {
    double gpuShare = (double) gpus[t] / fleet.totalGpus();
    double wanShare = wanCapacity > 0 ? wan[t] / wanCapacity : 0;
    return Math.max(gpuShare, wanShare) / contract(t).weight();
  }

  /** Replaces tenant {@code t}'s contract (and limit); a new index adds a tenant. */
  void change(int t, Tenant updated) {
    if (t == tenants.size()) {
      tenants.add(updated);
      gpus = Arrays.copyOf(gpus, t + 1);
      wan = Arrays.copyOf(wan, t + 1);
      ceiling = Arrays.copyOf(ceiling, t + 1);
    } else {
      tenants.set(t, updated);
      ceiling[t] = gpus[t];
    }
    refreshContracts();
  }

  private void refreshContracts() {
    int n = tenants.size();
    limit = new int[n];
    reserved = new int[n];
    lends = new boolean[n];
    for (int t = 0; t < n; t++) {
      limit[t] = tenants.get(t).gpuLimit();
      reserved[t] = contract(t).reservedGpus();
      lends[t] = contract(t).lends();
    }
    allLend = tenants.stream().allMatch(x -> x.contract().lends() || x.reservedGpus() == 0);
  }

  /**
   * WAN bandwidth a gang spanning sites draws: the scale-out bandwidth of its GPUs outside its
   * largest site (their gradients cross the WAN), capped by the WAN. 0 for a single-site gang.
   */
  private double wanDemand(Allocation a) {
    if (wanCapacity <= 0 || a.siteCount() < 2) {
      return 0;
    }
    int largest = 0;
    double demand = 0;
    for (int s = 0; s < fleet.siteCount(); s++) {
      if (a.gpusOnSite(s) > a.gpusOnSite(largest)) {
        largest = s;
      }
    }
    for (int s = 0; s < fleet.siteCount(); s++) {
      if (s != largest) {
        demand += a.gpusOnSite(s) * fleet.site(s).scaleOutBandwidthBytesPerSecond();
      }
    }
    return Math.min(demand, wanCapacity);
  }

  long footprintBytes() {
    return (4L + 8 + 4 + 4 + 4 + 1) * gpus.length;
  }
}
