package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.WanLink;
import it.unimi.dsi.fastutil.ints.IntLinkedOpenHashSet;

/**
 * Which WAN links are cut (overlapping cuts counted per link), whether new gangs may span sites
 * meanwhile, and the jobs a cut affected: stalled ones (holding their GPUs, paused) and shrunk
 * ones (running on one site, to regrow when the links return).
 *
 * <p>Costs: {@link #cut} and {@link #restore} O(1); {@link #spansCut} O(links); the sets of
 * stalled and shrunk jobs are visited only when a link returns, O(affected jobs).
 */
final class WanCuts {
  private final Fleet fleet;
  private final int[] down;
  private int linksDown;
  private final IntLinkedOpenHashSet stalled;
  private final IntLinkedOpenHashSet shrunk;

  WanCuts(Fleet fleet) {
    this.fleet = fleet;
    this.down = new int[fleet.wanLinks().size()];
    this.stalled = new IntLinkedOpenHashSet();
    this.shrunk = new IntLinkedOpenHashSet();
  }

  /** A copy (the sets keep their order). O(links + affected jobs). */
  WanCuts(WanCuts from) {
    this.fleet = from.fleet;
    this.down = from.down.clone();
    this.linksDown = from.linksDown;
    this.stalled = from.stalled.clone();
    this.shrunk = from.shrunk.clone();
  }

  /** One more cut on {@code link}; true if the link just went down. */
  boolean cut(int link) {
    checkLink(link);
    if (down[link]++ > 0) {
      return false;
    }
    linksDown++;
    return true;
  }

  /** One cut on {@code link} repaired; true if the link is now up. */
  boolean restore(int link) {
    checkLink(link);
    if (down[link] == 0) {
      throw new IllegalArgumentException("WAN link " + link + " reported restored but it is not cut");
    }
    if (--down[link] > 0) {
      return false;
    }
    linksDown--;
    return true;
  }

  private void checkLink(int link) {
    if (link < 0 || link >= down.length) {
      throw new IllegalArgumentException("WAN link " + link + " does not exist (the fleet has " + down.length + ")");
    }
  }

  /** New gangs may span sites only while every link is up. */
  boolean spanAllowed() {
    return linksDown == 0;
  }

  /** Whether {@code a} holds GPUs at both ends of link {@code link}. */
  boolean spans(Allocation a, int link) {
    WanLink l = fleet.wanLinks().get(link);
    return a.gpusOnSite(fleet.siteIndex(l.siteA())) > 0 && a.gpusOnSite(fleet.siteIndex(l.siteB())) > 0;
  }

  /** Whether {@code a} holds GPUs at both ends of some cut link. */
  boolean spansCut(Allocation a) {
    for (int l = 0; l < down.length; l++) {
      if (down[l] > 0 && spans(a, l)) {
        return true;
      }
    }
    return false;
  }

  /** Bytes of the per-link counts and the two job sets (≈ 12 bytes per entry of a linked hash set). */
  long footprintBytes() {
    return 4L * down.length + 12L * (stalled.size() + shrunk.size());
  }

  /** Cuts per link and the affected jobs' slots in order ({@link KernelDigest}). O(links + affected jobs). */
  void describe(java.util.function.Consumer<String> out) {
    out.accept("wan cuts " + java.util.Arrays.toString(down) + " down " + linksDown + " stalled " + stalled + " shrunk "
        + shrunk);
  }

  IntLinkedOpenHashSet stalled() {
    return stalled;
  }

  IntLinkedOpenHashSet shrunk() {
    return shrunk;
  }

  /** A job left the kernel or gave up its GPUs: it is neither stalled nor shrunk any more. */
  void forget(int s) {
    if (!stalled.isEmpty()) {
      stalled.remove(s);
    }
    if (!shrunk.isEmpty()) {
      shrunk.remove(s);
    }
  }
}
