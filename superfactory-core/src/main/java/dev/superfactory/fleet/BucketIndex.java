package dev.superfactory.fleet;

/**
 * Elements (domains or blocks) filed in buckets by a small integer key (free GPUs, whole free
 * domains), separately per partition (block group). Each bucket is an intrusive doubly linked list
 * over primitive arrays, and a bit set per partition marks the non-empty buckets.
 *
 * <p>Costs: {@link #move} O(1); {@link #atLeast} and {@link #atMost} O(keys / 64) via the bit
 * set; memory 2 ints per element plus 1 int and 1 bit per (partition, key). No allocation after
 * construction.
 */
final class BucketIndex {
  private final int[] next;
  private final int[] prev;
  private final int[] head; // per (partition, key), at keyBase[p] + key
  private final int[] size; // elements per bucket
  private final int[] keyBase;
  private final int[] maxKey;
  private final long[] nonEmpty; // per partition, words at wordBase[p]
  private final int[] wordBase;

  /** {@code maxKeys[p]} is the largest key partition {@code p} may use. */
  BucketIndex(int elements, int[] maxKeys) {
    next = new int[elements];
    prev = new int[elements];
    int partitions = maxKeys.length;
    keyBase = new int[partitions + 1];
    wordBase = new int[partitions + 1];
    maxKey = maxKeys.clone();
    for (int p = 0; p < partitions; p++) {
      keyBase[p + 1] = keyBase[p] + maxKeys[p] + 1;
      wordBase[p + 1] = wordBase[p] + (maxKeys[p] + 1 + 63) / 64;
    }
    head = new int[keyBase[partitions]];
    size = new int[keyBase[partitions]];
    java.util.Arrays.fill(head, -1);
    nonEmpty = new long[wordBase[partitions]];
  }

  /** A copy sharing only the immutable layout (key and word bases). O(elements + keys). */
  BucketIndex(BucketIndex from) {
    next = from.next.clone();
    prev = from.prev.clone();
    head = from.head.clone();
    size = from.size.clone();
    keyBase = from.keyBase;
    maxKey = from.maxKey;
    nonEmpty = from.nonEmpty.clone();
    wordBase = from.wordBase;
  }

  long footprintBytes() {
    return 4L * (next.length + prev.length + head.length + size.length + keyBase.length + maxKey.length
        + wordBase.length) + 8L * nonEmpty.length;
  }

  void add(int e, int p, int key) {
    int slot = keyBase[p] + key;
    int h = head[slot];
    next[e] = h;
    prev[e] = -1;
    if (h >= 0) {
      prev[h] = e;
    }
    head[slot] = e;
    if (size[slot]++ == 0) {
      nonEmpty[wordBase[p] + (key >>> 6)] |= 1L << key;
    }
  }

  void remove(int e, int p, int key) {
    int slot = keyBase[p] + key;
    int n = next[e];
    int pr = prev[e];
    if (pr >= 0) {
      next[pr] = n;
    } else {
      head[slot] = n;
    }
    if (n >= 0) {
      prev[n] = pr;
    }
    if (--size[slot] == 0) {
      nonEmpty[wordBase[p] + (key >>> 6)] &= ~(1L << key);
    }
  }

  void move(int e, int p, int oldKey, int newKey) {
    if (oldKey != newKey) {
      remove(e, p, oldKey);
      add(e, p, newKey);
    }
  }

  /** Each non-empty bucket as "p/key: e e e", in list order (best-fit ties follow it). O(elements + keys). */
  void describe(String name, java.util.function.Consumer<String> out) {
    for (int p = 0; p + 1 < keyBase.length; p++) {
      for (int key = 0; key <= maxKey[p]; key++) {
        if (size(p, key) == 0) {
          continue;
        }
        StringBuilder b = new StringBuilder(name).append(' ').append(p).append('/').append(key).append(':');
        for (int e = first(p, key); e >= 0; e = next[e]) {
          b.append(' ').append(e);
        }
        out.accept(b.toString());
      }
    }
  }

  /** First element of bucket (p, key), or -1. */
  int first(int p, int key) {
    return head[keyBase[p] + key];
  }

  /** The element after {@code e} in its bucket, or -1. */
  int next(int e) {
    return next[e];
  }

  int size(int p, int key) {
    return size[keyBase[p] + key];
  }

  int maxKey(int p) {
    return maxKey[p];
  }

  /** Smallest key ≥ {@code from} whose bucket is non-empty, or -1. */
  int atLeast(int p, int from) {
    if (from > maxKey[p]) {
      return -1;
    }
    int base = wordBase[p];
    int words = wordBase[p + 1] - base;
    int w = from >>> 6;
    long bits = nonEmpty[base + w] & (-1L << from);
    while (true) {
      if (bits != 0) {
        return (w << 6) + Long.numberOfTrailingZeros(bits);
      }
      if (++w >= words) {
        return -1;
      }
      bits = nonEmpty[base + w];
    }
  }

  /** Largest key ≤ {@code from} whose bucket is non-empty, or -1. */
  int atMost(int p, int from) {
    if (from < 0) {
      return -1;
    }
    from = Math.min(from, maxKey[p]);
    int base = wordBase[p];
    int w = from >>> 6;
    long bits = nonEmpty[base + w] & (-1L >>> (63 - (from & 63)));
    while (true) {
      if (bits != 0) {
        return (w << 6) + 63 - Long.numberOfLeadingZeros(bits);
      }
      if (--w < 0) {
        return -1;
      }
      bits = nonEmpty[base + w];
    }
  }
}
