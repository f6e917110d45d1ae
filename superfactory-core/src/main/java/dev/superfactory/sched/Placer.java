package dev.superfactory.sched;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;

/**
 * Topology-aware gang placement: finds GPUs for a gang of {@code gpus} GPUs in scale-up groups
 * of {@code group} GPUs that must each sit inside one NVLink domain. Read-only: it writes a
 * {@link PlacementPlan}; the scheduler kernel commits it.
 *
 * <p>Preference order, each step only if the previous cannot hold the gang:
 * <ol>
 *   <li>one domain, best fit (the domain with the fewest spare GPUs);
 *   <li>one block: ⌈gpus / u⌉ wholly free domains of one block (best-fit block), where
 *       u = ⌊domain size / group⌋ · group is what one domain can hold; a remainder goes to a
 *       partly used domain of the same block if one fits;
 *   <li>one site: wholly free domains from the blocks with the most of them (fewest blocks), then
 *       partly used domains, largest first, each holding ⌊free / group⌋ groups; among sites the
 *       one with the least usable capacity that suffices (best fit keeps large sites whole);
 *   <li>across sites, only if the job allows it: sites with the most usable capacity first
 *       (fewest sites).
 * </ol>
 * That is {@link SiteChoice#BEST_FIT}. Under {@link SiteChoice#LEAST_LOADED} the sites are tried
 * one at a time, the one with the largest share of its GPUs free first, and steps 1–3 run within
 * each; only when no single site holds the gang does step 4 run. That costs up to sites × the
 * single-site steps.
 *
 * <p>Cost per call: O(sites) to reject a gang larger than the free GPUs; otherwise
 * O(groups · S) for the usable-capacity check (S = GPUs per domain, ≤ 72 on NVL72) plus
 * O(P) per block visited and O(1) per domain taken. Never O(fleet).
 */
public final class Placer {
  private final Fleet fleet;
  private final FleetState state;
  private final int[] mark; // domain → stamp of the plan that uses it
  private int stamp = 1;
  private final int[] siteCapacity;
  private final SiteChoice choice;
  private final Integer[] siteOrder; // scratch for least-loaded: sites by free share
  private long plans;

  public Placer(FleetState state) {
    this(state, SiteChoice.BEST_FIT);
  }

  public Placer(FleetState state, SiteChoice choice) {
    this.state = state;
    this.fleet = state.fleet();
    this.mark = new int[fleet.domainCount()];
    this.siteCapacity = new int[fleet.siteCount()];
    this.choice = choice;
    this.siteOrder = new Integer[fleet.siteCount()];
  }

  /**
   * A placer for {@code state} (a copy of {@code from}'s) that has counted as many plans. Its
   * scratch marks start afresh: they only matter within one plan. O(domains).
   */
  Placer(Placer from, FleetState state) {
    this(state, from.choice);
    this.plans = from.plans;
  }

  /** How many gangs it was asked to place since it was made: the placement work of the passes. */
  public long plans() {
    return plans;
  }

  /**
   * Plans a gang; {@code sites} is a bit mask of allowed sites (-1 = all). Returns false and
   * leaves {@code plan} empty if it cannot be placed now.
   */
  public boolean plan(int gpus, int group, boolean spanSites, long sites, PlacementPlan plan) {
    plans++;
    plan.clear();
    if (++stamp == Integer.MAX_VALUE) {
      java.util.Arrays.fill(mark, 0);
      stamp = 1;
    }
    int free = 0;
    for (int s = 0; s < fleet.siteCount(); s++) {
      if (allowed(sites, s)) {
        free += state.siteFreeGpus(s);
      }
    }
    if (gpus > free) {
      return false;
    }
    if (choice == SiteChoice.LEAST_LOADED && fleet.siteCount() > 1) {
      return leastLoaded(gpus, group, spanSites, sites, plan);
    }
    return bestFit(gpus, group, spanSites, sites, plan);
  }

  /** Tries the allowed sites one at a time, the largest free share first; then across sites. */
  private boolean leastLoaded(int gpus, int group, boolean spanSites, long sites, PlacementPlan plan) {
    int n = 0;
    for (int s = 0; s < fleet.siteCount(); s++) {
      if (allowed(sites, s) && state.siteFreeGpus(s) >= gpus) {
        siteOrder[n++] = s;
      }
    }
    java.util.Arrays.sort(siteOrder, 0, n, (a, b) -> {
      int byShare = Double.compare(freeShare(b), freeShare(a));
      return byShare != 0 ? byShare : Integer.compare(a, b);
    });
    for (int i = 0; i < n; i++) {
      if (bestFit(gpus, group, false, 1L << siteOrder[i], plan)) {
        return true;
      }
    }
    return spanSites && bestFit(gpus, group, true, sites, plan);
  }

  private double freeShare(int s) {
    return (double) state.siteFreeGpus(s) / fleet.siteGpus(s);
  }

  private boolean bestFit(int gpus, int group, boolean spanSites, long sites, PlacementPlan plan) {
    if (gpus <= fleet.maxDomainGpus() && oneDomain(gpus, sites, plan)) {
      return true;
    }
    if (oneBlock(gpus, group, sites, plan)) {
      return true;
    }
    int total = 0;
    for (int s = 0; s < fleet.siteCount(); s++) {
      boolean worthCounting = allowed(sites, s) && (spanSites || state.siteFreeGpus(s) >= gpus);
      siteCapacity[s] = worthCounting ? usableCapacity(s, group) : 0;
      total += siteCapacity[s];
    }
    if (total < gpus) {
      return false;
    }
    int bestSite = -1;
    for (int s = 0; s < fleet.siteCount(); s++) {
      if (siteCapacity[s] >= gpus && (bestSite < 0 || siteCapacity[s] < siteCapacity[bestSite])) {
        bestSite = s;
      }
    }
    if (bestSite >= 0) {
      return fillSite(bestSite, gpus, group, plan) || fail(plan);
    }
    if (!spanSites) {
      return false;
    }
    int left = gpus;
    boolean[] used = new boolean[fleet.siteCount()];
    while (left > 0) {
      int pick = -1;
      for (int s = 0; s < fleet.siteCount(); s++) {
        if (!used[s] && siteCapacity[s] > 0 && (pick < 0 || siteCapacity[s] > siteCapacity[pick])) {
          pick = s;
        }
      }
      if (pick < 0) {
        return fail(plan);
      }
      used[pick] = true;
      int take = Math.min(left, siteCapacity[pick]) / group * group;
      if (take > 0 && !fillSite(pick, take, group, plan)) {
        return fail(plan);
      }
      left -= take;
    }
    return true;
  }

  /** Bytes of its scratch arrays (one int per domain, a few per site). */
  long footprintBytes() {
    return 4L * (mark.length + siteCapacity.length) + 20L * siteOrder.length;
  }

  private static boolean allowed(long sites, int s) {
    return (sites & (1L << s)) != 0;
  }

  private static boolean fail(PlacementPlan plan) {
    plan.clear();
    return false;
  }

  private boolean oneDomain(int gpus, long sites, PlacementPlan plan) {
    int best = -1;
    int bestFree = Integer.MAX_VALUE;
    for (int s = 0; s < fleet.siteCount(); s++) {
      if (!allowed(sites, s)) {
        continue;
      }
      int d = state.bestFitDomainInSite(s, gpus);
      if (d >= 0 && state.domainFreeGpus(d) < bestFree) {
        best = d;
        bestFree = state.domainFreeGpus(d);
      }
    }
    if (best < 0) {
      return false;
    }
    take(best, gpus, plan);
    return true;
  }

  /** GPUs of site s a gang with this group size could use now: Σ over domains ⌊free / group⌋ · group. */
  int usableCapacity(int s, int group) {
    if (group == 1) {
      return state.siteFreeGpus(s);
    }
    int sum = 0;
    for (int g = fleet.siteFirstGroup(s); g < fleet.siteFirstGroup(s + 1); g++) {
      int size = fleet.group(g).gpusPerDomain();
      if (group > size) {
        continue;
      }
      for (int k = state.largestDomainFreeAtMost(g, size); k >= group; k = state.largestDomainFreeAtMost(g, k - 1)) {
        sum += state.domainsWithFree(g, k) * (k / group * group);
      }
    }
    return sum;
  }

  private boolean oneBlock(int gpus, int group, long sites, PlacementPlan plan) {
    int bestBlock = -1;
    int bestWhole = Integer.MAX_VALUE;
    for (int g = 0; g < fleet.groupCount(); g++) {
      if (!allowed(sites, fleet.groupSite(g))) {
        continue;
      }
      int size = fleet.group(g).gpusPerDomain();
      int per = size / group * group;
      if (per == 0) {
        continue;
      }
      int n = (gpus + per - 1) / per;
      if (n > fleet.group(g).domainsPerBlock()) {
        continue;
      }
      int b = state.bestFitBlock(g, n);
      if (b >= 0 && state.blockWholeFreeDomains(b) < bestWhole) {
        bestBlock = b;
        bestWhole = state.blockWholeFreeDomains(b);
      }
    }
    if (bestBlock < 0) {
      return false;
    }
    int size = fleet.group(fleet.blockGroup(bestBlock)).gpusPerDomain();
    int per = size / group * group;
    int full = gpus / per;
    int remainder = gpus - full * per;
    int first = fleet.blockFirstDomain(bestBlock);
    int end = first + fleet.blockDomainCount(bestBlock);
    if (remainder > 0) {
      // the remainder in a partly used domain of the block, best fit; else in one more whole domain
      int best = -1;
      for (int d = first; d < end; d++) {
        int f = state.domainFreeGpus(d);
        if (f < size && f >= remainder && (best < 0 || f < state.domainFreeGpus(best))) {
          best = d;
        }
      }
      if (best >= 0) {
        take(best, remainder, plan);
        remainder = 0;
      }
    }
    for (int d = first; d < end && (full > 0 || remainder > 0); d++) {
      if (state.domainFreeGpus(d) == size && mark[d] != stamp) {
        if (full > 0) {
          take(d, per, plan);
          full--;
        } else {
          take(d, remainder, plan);
          remainder = 0;
        }
      }
    }
    return full == 0 && remainder == 0 || fail(plan);
  }

  /** Places {@code gpus} on site s: whole domains (fewest blocks), then partly used domains, largest first. */
  private boolean fillSite(int s, int gpus, int group, PlacementPlan plan) {
    int left = gpus;
    for (int g = fleet.siteFirstGroup(s); g < fleet.siteFirstGroup(s + 1) && left > 0; g++) {
      int size = fleet.group(g).gpusPerDomain();
      int per = size / group * group;
      if (per == 0) {
        continue;
      }
      for (int key = state.largestBlockWholeAtMost(g, Integer.MAX_VALUE); key > 0 && left >= per;
          key = state.largestBlockWholeAtMost(g, key - 1)) {
        for (int b = state.firstBlockWithWhole(g, key); b >= 0 && left >= per; b = state.nextBlockSameWhole(b)) {
          int first = fleet.blockFirstDomain(b);
          int end = first + fleet.blockDomainCount(b);
          for (int d = first; d < end && left >= per; d++) {
            if (state.domainFreeGpus(d) == size && mark[d] != stamp) {
              take(d, per, plan);
              left -= per;
            }
          }
        }
      }
    }
    // remainder and any shortfall: partly used (or still whole) domains, largest usable first
    for (int g = fleet.siteFirstGroup(s); g < fleet.siteFirstGroup(s + 1) && left > 0; g++) {
      int size = fleet.group(g).gpusPerDomain();
      if (group > size) {
        continue;
      }
      // best fit for a small remainder first
      if (left < size) {
        int d = state.bestFitDomain(g, left);
        while (d >= 0 && mark[d] == stamp) {
          d = state.nextDomainSameFree(d);
        }
        if (d >= 0) {
          take(d, left, plan);
          left = 0;
          break;
        }
      }
      for (int k = state.largestDomainFreeAtMost(g, size); k >= group && left > 0;
          k = state.largestDomainFreeAtMost(g, k - 1)) {
        for (int d = state.firstDomainWithFree(g, k); d >= 0 && left > 0; d = state.nextDomainSameFree(d)) {
          if (mark[d] == stamp) {
            continue;
          }
          int use = Math.min(left, k / group * group);
          take(d, use, plan);
          left -= use;
        }
      }
    }
    return left == 0;
  }

  private void take(int d, int count, PlacementPlan plan) {
    plan.add(d, count);
    mark[d] = stamp;
  }
}
