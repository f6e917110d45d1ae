package dev.superfactory.fleet;

/**
 * Which positions of an {@link Allocation} hold their domain whole (every GPU, no mask stored)
 * and where the mask words of the others (held in part) start. Immutable, so allocations that
 * differ only in which domains sit at the positions, or in the bits of partial domains, share one
 * layout: a repair that swaps whole racks for whole racks, a hot-spare exchange.
 *
 * <p>Storage for n positions, p of them partial: ⌈n / 64⌉ longs (the whole bits), ⌈n / 64⌉ ints
 * (partial positions before each 64-position word, the rank) and p + 1 ints (word starts): 272
 * bytes for a 100,000-GPU gang on NVL72 racks (1,389 positions, one partial).
 *
 * <p>Costs: {@link #isWhole}, {@link #start} and {@link #words} O(1) (the rank is one popcount).
 */
final class AllocationLayout {
  private final long[] whole; // bit i: position i holds its domain whole
  private final int[] partialBefore; // per word of whole: partial positions at lower indices
  private final int[] partialStart; // p + 1: mask words of the r-th partial position start here

  /**
   * Takes the arrays as they are: {@code whole} has ⌈n / 64⌉ words (no bit at n or above),
   * {@code partialStart} one entry per partial position and one more.
   */
  private static final AllocationLayout SINGLE_WHOLE = new AllocationLayout(1, new long[] {1L}, new int[] {0});
  private static final AllocationLayout[] SINGLE_PARTIAL = new AllocationLayout[4];

  static {
    for (int w = 1; w < SINGLE_PARTIAL.length; w++) {
      SINGLE_PARTIAL[w] = new AllocationLayout(1, new long[] {0L}, new int[] {0, w});
    }
  }

  /**
   * The layout of an allocation of one domain, whole or with {@code words} mask words: shared
   * (layouts are immutable), so the commonest allocation, a small job in one domain, builds none.
   */
  static AllocationLayout single(boolean whole, int words) {
    if (whole) {
      return SINGLE_WHOLE;
    }
    return words < SINGLE_PARTIAL.length ? SINGLE_PARTIAL[words] : new AllocationLayout(1, new long[] {0L}, new int[] {0, words});
  }

  AllocationLayout(int n, long[] whole, int[] partialStart) {
    this.whole = whole;
    this.partialStart = partialStart;
    this.partialBefore = new int[whole.length];
    for (int k = 1; k < whole.length; k++) {
      partialBefore[k] = partialBefore[k - 1] + 64 - Long.bitCount(whole[k - 1]);
    }
    int partials = n - wholeCount();
    if (partials != partialStart.length - 1) {
      throw new IllegalArgumentException(String.format(
          "%d of %d positions are partial but %d word starts were given", partials, n, partialStart.length - 1));
    }
  }

  boolean isWhole(int i) {
    return (whole[i >>> 6] & (1L << i)) != 0;
  }

  /** First mask word of partial position {@code i}. */
  int start(int i) {
    return partialStart[rank(i)];
  }

  /** Mask words of partial position {@code i}. */
  int words(int i) {
    int r = rank(i);
    return partialStart[r + 1] - partialStart[r];
  }

  /** Partial positions below {@code i}. */
  private int rank(int i) {
    return partialBefore[i >>> 6] + Long.bitCount(~whole[i >>> 6] & ((1L << i) - 1));
  }

  int partialCount() {
    return partialStart.length - 1;
  }

  /** Mask words of all partial positions. */
  int partialWords() {
    return partialStart[partialStart.length - 1];
  }

  int wholeCount() {
    int n = 0;
    for (long w : whole) {
      n += Long.bitCount(w);
    }
    return n;
  }

  /** Bytes of the three arrays (without headers). */
  long footprintBytes() {
    return 8L * whole.length + 4L * partialBefore.length + 4L * partialStart.length;
  }
}
