package dev.superfactory.fleet;

import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * A tentative choice of (domain, GPU count) pairs, built by a search and committed by
 * {@link FleetState#allocate}. Building a plan never changes the fleet state, so a search that
 * fails half-way leaves nothing to undo. Reusable: {@link #clear} keeps the arrays.
 */
public final class PlacementPlan {
  private final IntArrayList domains = new IntArrayList();
  private final IntArrayList counts = new IntArrayList();
  private int gpus;

  public void add(int domain, int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be > 0, got " + count + " for domain " + domain);
    }
    domains.add(domain);
    counts.add(count);
    gpus += count;
  }

  public void clear() {
    domains.clear();
    counts.clear();
    gpus = 0;
  }

  /** Drops entries added after the first {@code size}. */
  public void truncate(int size) {
    for (int i = domains.size() - 1; i >= size; i--) {
      gpus -= counts.getInt(i);
    }
    domains.size(size);
    counts.size(size);
  }

  public int size() {
    return domains.size();
  }

  public int domain(int i) {
    return domains.getInt(i);
  }

  public int count(int i) {
    return counts.getInt(i);
  }

  public int gpus() {
    return gpus;
  }

  public boolean isEmpty() {
    return domains.isEmpty();
  }

  /** Whether the plan already uses {@code domain}; O(size). */
  public boolean contains(int domain) {
    return domains.contains(domain);
  }
}
