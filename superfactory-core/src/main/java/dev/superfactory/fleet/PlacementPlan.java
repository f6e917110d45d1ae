package dev.superfactory.fleet;

import java.util.Arrays;

/**
 * A tentative choice of (domain, GPU count) pairs, built by a search and committed by
 * {@link FleetState#allocate}. Building a plan never changes the fleet state, so a search that
 * fails half-way leaves nothing to undo. Reusable: {@link #clear} keeps the arrays.
 */
public final class PlacementPlan {
  private int[] domains = new int[16];
  private int[] counts = new int[16];
  private int size;
  private int gpus;

  public void add(int domain, int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be > 0, got " + count + " for domain " + domain);
    }
    if (size == domains.length) {
      domains = Arrays.copyOf(domains, size * 2);
      counts = Arrays.copyOf(counts, size * 2);
    }
    domains[size] = domain;
    counts[size] = count;
    size++;
    gpus += count;
  }

  public void clear() {
    size = 0;
    gpus = 0;
  }

  public int size() {
    return size;
  }

  public int domain(int i) {
    return domains[i];
  }

  public int count(int i) {
    return counts[i];
  }

  public int gpus() {
    return gpus;
  }

  public boolean isEmpty() {
    return size == 0;
  }
}
