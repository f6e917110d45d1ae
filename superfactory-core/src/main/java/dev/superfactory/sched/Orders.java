package dev.superfactory.sched;

import it.unimi.dsi.fastutil.ints.IntArrays;
import java.util.function.IntToLongFunction;

/**
 * Sorting pending jobs for the policies that reorder the queue: each job's key computed once,
 * then a stable sort of positions on primitives. O(pending log pending), no boxing.
 */
final class Orders {
  private Orders() {}

  /** {@code jobs} sorted by {@code key} ascending, ties in their given (arrival) order. */
  static int[] by(int[] jobs, IntToLongFunction key) {
    long[] keys = new long[jobs.length];
    int[] positions = new int[jobs.length];
    for (int i = 0; i < jobs.length; i++) {
      keys[i] = key.applyAsLong(jobs[i]);
      positions[i] = i;
    }
    IntArrays.mergeSort(positions, (a, b) -> Long.compare(keys[a], keys[b])); // stable
    int[] out = new int[jobs.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = jobs[positions[i]];
    }
    return out;
  }
}
