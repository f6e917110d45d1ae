package dev.superfactory.sched;

import dev.superfactory.fleet.FleetState;

/**
 * Overlapping outages per GPU: a GPU is out of service while any failure or maintenance that
 * covers it is unrepaired (a host repaired inside a rack that is still down stays down). One
 * byte per GPU; {@link FleetState#markDown} / {@link FleetState#markUp} are called only on
 * 0 → 1 and 1 → 0 transitions. O(GPUs in the range) per call. Part of the kernel: the only
 * caller of those two mutators.
 */
final class Outages {
  private final FleetState state;
  private final byte[] count;

  Outages(FleetState state) {
    this.state = state;
    this.count = new byte[state.fleet().totalGpus()];
  }

  /** A copy acting on {@code state} (a copy of {@code from}'s). O(GPUs). */
  Outages(Outages from, FleetState state) {
    this.state = state;
    this.count = from.count.clone();
  }

  /** Throws, before anything changes, if a GPU of [first, first + n) could take no more outages. */
  void requireRoom(int first, int n) {
    for (int g = first; g < first + n; g++) {
      if (count[g] == Byte.MAX_VALUE) {
        throw new IllegalStateException("more than 127 overlapping outages on GPU " + g);
      }
    }
  }

  /** Adds one outage over [first, first + n); returns GPUs newly out of service. */
  int down(int first, int n) {
    requireRoom(first, n);
    int changed = 0;
    int runStart = -1;
    for (int g = first; g < first + n; g++) {
      boolean newly = count[g]++ == 0;
      if (newly && runStart < 0) {
        runStart = g;
      } else if (!newly && runStart >= 0) {
        changed += state.markDown(runStart, g - runStart);
        runStart = -1;
      }
    }
    if (runStart >= 0) {
      changed += state.markDown(runStart, first + n - runStart);
    }
    return changed;
  }

  /** Ends one outage over [first, first + n); returns GPUs back in service. */
  int up(int first, int n) {
    for (int g = first; g < first + n; g++) { // checked before anything changes
      if (count[g] == 0) {
        throw new IllegalArgumentException("GPU " + g + " reported back in service but it is not down");
      }
    }
    int changed = 0;
    int runStart = -1;
    for (int g = first; g < first + n; g++) {
      boolean back = --count[g] == 0;
      if (back && runStart < 0) {
        runStart = g;
      } else if (!back && runStart >= 0) {
        changed += state.markUp(runStart, g - runStart);
        runStart = -1;
      }
    }
    if (runStart >= 0) {
      changed += state.markUp(runStart, first + n - runStart);
    }
    return changed;
  }

  /** The GPUs under outages, as runs "first+n×count" ({@link KernelDigest}). O(GPUs). */
  void describe(java.util.function.Consumer<String> out) {
    StringBuilder b = new StringBuilder("outages");
    for (int g = 0; g < count.length; ) {
      int end = g + 1;
      while (end < count.length && count[end] == count[g]) {
        end++;
      }
      if (count[g] != 0) {
        b.append(' ').append(g).append('+').append(end - g).append('x').append(count[g]);
      }
      g = end;
    }
    out.accept(b.toString());
  }

  boolean isDown(int gpu) {
    return count[gpu] > 0;
  }

  long footprintBytes() {
    return count.length;
  }
}
