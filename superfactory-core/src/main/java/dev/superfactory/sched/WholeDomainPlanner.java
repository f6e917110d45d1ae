package dev.superfactory.sched;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;

/**
 * A simple placement policy for two request shapes, without scale-up groups: k GPUs inside one
 * domain, or n wholly free domains. Read-only: it writes a {@link PlacementPlan}; the caller
 * commits it with {@link FleetState#allocate}. Used by tests and the fleet benchmark to drive a
 * {@link FleetState}; the scheduler uses {@link Placer}, whose steps for gangs of whole domains
 * are similar but not the same (it fills remainders into partly used domains and ranks sites by
 * usable capacity rather than by wholly free domains).
 *
 * <p>Preference order for n whole domains, each step only if the previous cannot hold them:
 * one block (best fit: the block with the fewest wholly free domains that suffices); one site
 * (the site with the fewest wholly free domains that suffices; inside it one group if one
 * suffices, else groups in order, and within a group the blocks with the most first); across
 * sites, if allowed, largest first (fewest sites).
 *
 * <p>Costs (S = GPUs per domain, P = domains per block, B = blocks visited):
 * {@link #planInOneDomain}: O(groups · S / 64); {@link #planWholeDomains}: O(groups · P / 64 +
 * B · P + sites²). Never O(fleet).
 */
public final class WholeDomainPlanner {
  private final FleetState state;
  private final Fleet fleet;

  public WholeDomainPlanner(FleetState state) {
    this.state = state;
    this.fleet = state.fleet();
  }

  /**
   * Plans k GPUs inside one domain (best fit: the domain with the fewest spare GPUs), on site
   * {@code site} or, with -1, anywhere. Returns false, leaving the plan as it was, if no domain
   * has k free.
   */
  public boolean planInOneDomain(int site, int k, PlacementPlan plan) {
    int best = -1;
    int bestFree = Integer.MAX_VALUE;
    int from = site < 0 ? 0 : site;
    int to = site < 0 ? fleet.siteCount() : site + 1;
    for (int s = from; s < to; s++) {
      int d = state.bestFitDomainInSite(s, k);
      if (d >= 0 && state.domainFreeGpus(d) < bestFree) {
        best = d;
        bestFree = state.domainFreeGpus(d);
      }
    }
    if (best < 0) {
      return false;
    }
    plan.add(best, k);
    return true;
  }

  /**
   * Plans n wholly free domains: inside one block if any block can hold them, else inside one
   * site, else, when {@code spanSites}, across sites. {@code site} restricts the search to one
   * site; -1 allows all. Returns false, leaving the plan as it was, if there are not enough.
   */
  public boolean planWholeDomains(int n, int site, boolean spanSites, PlacementPlan plan) {
    int from = site < 0 ? 0 : site;
    int to = site < 0 ? fleet.siteCount() : site + 1;
    int block = bestFitBlock(from, to, n);
    if (block >= 0) {
      takeWholeFromBlock(block, n, plan);
      return true;
    }
    int bestSite = bestFitSite(from, to, n);
    if (bestSite >= 0) {
      takeWholeFromSite(bestSite, n, plan);
      return true;
    }
    return spanSites && planAcrossSites(from, to, n, plan);
  }

  /** The block of sites [from, to) with the fewest wholly free domains that still has ≥ n, or -1. */
  private int bestFitBlock(int from, int to, int n) {
    int bestBlock = -1;
    int bestWhole = Integer.MAX_VALUE;
    for (int g = fleet.siteFirstGroup(from); g < fleet.siteFirstGroup(to); g++) {
      int b = state.bestFitBlock(g, n);
      if (b >= 0 && state.blockWholeFreeDomains(b) < bestWhole) {
        bestBlock = b;
        bestWhole = state.blockWholeFreeDomains(b);
      }
    }
    return bestBlock;
  }

  /** The site of [from, to) with the fewest wholly free domains that still has ≥ n, or -1. */
  private int bestFitSite(int from, int to, int n) {
    int bestSite = -1;
    for (int s = from; s < to; s++) {
      int whole = state.siteWholeFreeDomains(s);
      if (whole >= n && (bestSite < 0 || whole < state.siteWholeFreeDomains(bestSite))) {
        bestSite = s;
      }
    }
    return bestSite;
  }

  /** n wholly free domains from the sites of [from, to) with the most first; false if they have fewer. */
  private boolean planAcrossSites(int from, int to, int n, PlacementPlan plan) {
    int available = 0;
    for (int s = from; s < to; s++) {
      available += state.siteWholeFreeDomains(s);
    }
    if (available < n) {
      return false;
    }
    boolean[] used = new boolean[fleet.siteCount()];
    int left = n;
    while (left > 0) {
      int pick = -1;
      for (int s = from; s < to; s++) {
        int whole = state.siteWholeFreeDomains(s);
        if (!used[s] && whole > 0 && (pick < 0 || whole > state.siteWholeFreeDomains(pick))) {
          pick = s;
        }
      }
      used[pick] = true;
      int take = Math.min(left, state.siteWholeFreeDomains(pick));
      takeWholeFromSite(pick, take, plan);
      left -= take;
    }
    return true;
  }

  /** Adds n wholly free domains of site s: from one group if one can hold all, else from groups in order. */
  private void takeWholeFromSite(int s, int n, PlacementPlan plan) {
    int left = n;
    for (int g = fleet.siteFirstGroup(s); g < fleet.siteFirstGroup(s + 1); g++) {
      if (state.groupWholeFreeDomains(g) >= left) {
        takeWholeFromGroup(g, left, plan);
        return;
      }
    }
    for (int g = fleet.siteFirstGroup(s); g < fleet.siteFirstGroup(s + 1) && left > 0; g++) {
      left -= takeWholeFromGroup(g, left, plan);
    }
  }

  /** Adds up to n wholly free domains of group g, from the blocks with most first; returns how many. */
  private int takeWholeFromGroup(int g, int n, PlacementPlan plan) {
    int taken = 0;
    int key = state.largestBlockWholeAtMost(g, Integer.MAX_VALUE);
    while (taken < n && key > 0) {
      for (int b = state.firstBlockWithWhole(g, key); b >= 0 && taken < n; b = state.nextBlockSameWhole(b)) {
        taken += takeWholeFromBlock(b, Math.min(key, n - taken), plan);
      }
      key = state.largestBlockWholeAtMost(g, key - 1);
    }
    return taken;
  }

  /** Adds up to n wholly free domains of block b, lowest-numbered first; returns how many. O(P). */
  private int takeWholeFromBlock(int b, int n, PlacementPlan plan) {
    int first = fleet.blockFirstDomain(b);
    int end = first + fleet.blockDomainCount(b);
    int size = fleet.group(fleet.blockGroup(b)).gpusPerDomain();
    int taken = 0;
    for (int d = first; d < end && taken < n; d++) {
      if (state.domainFreeGpus(d) == size) {
        plan.add(d, size);
        taken++;
      }
    }
    return taken;
  }
}
