package dev.superfactory.sched;

import java.util.Arrays;
import java.util.Comparator;

/** Sorting pending jobs for the policies that reorder the queue. O(pending log pending). */
final class Orders {
  private Orders() {}

  /** {@code jobs} sorted by {@code key} ascending, ties in arrival order (stable). */
  static int[] by(int[] jobs, Comparator<Integer> key) {
    Integer[] boxed = Arrays.stream(jobs).boxed().toArray(Integer[]::new);
    Arrays.sort(boxed, key); // stable: ties keep arrival order
    return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
  }
}
