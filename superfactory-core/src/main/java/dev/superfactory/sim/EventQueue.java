package dev.superfactory.sim;

import it.unimi.dsi.fastutil.longs.LongHeapPriorityQueue;

/**
 * Future events as packed {@code long}s in a binary heap: no object per event.
 *
 * <p>Key layout: time (31 bits of seconds: 68 years) · kind (4 bits, {@link EventKind} ordinal) ·
 * payload (28 bits, e.g. a job id). Every field is range-checked on push: a value that does not
 * fit throws with the values instead of corrupting its neighbours. Events at the same second pop
 * in kind order, then payload order, so the order of same-time events is defined and the run
 * deterministic. Push and pop O(log n).
 */
final class EventQueue {
  static final int PAYLOAD_BITS = 28;
  static final int KIND_BITS = 4;
  static final long MAX_TIME = (1L << 31) - 1;
  static final int MAX_PAYLOAD = (1 << PAYLOAD_BITS) - 1;
  private static final long PAYLOAD_MASK = MAX_PAYLOAD;

  static {
    if (EventKind.values().length > 1 << KIND_BITS) {
      throw new ExceptionInInitializerError("more event kinds than " + KIND_BITS + " bits hold");
    }
  }

  private final LongHeapPriorityQueue heap = new LongHeapPriorityQueue();

  void push(long time, EventKind kind, int payload) {
    if (time < 0 || time > MAX_TIME) {
      throw new IllegalArgumentException("event time " + time + " s is outside 0.." + MAX_TIME);
    }
    if (payload < 0 || payload > MAX_PAYLOAD) {
      throw new IllegalArgumentException("event payload " + payload + " (" + kind + ") is outside 0.." + MAX_PAYLOAD);
    }
    heap.enqueue((time << (PAYLOAD_BITS + KIND_BITS)) | ((long) kind.ordinal() << PAYLOAD_BITS) | payload);
  }

  /** Pushes the event unless its time is past the longest supported horizon (then it never happens). */
  void pushIfInRange(long time, EventKind kind, int payload) {
    if (time <= MAX_TIME) {
      push(time, kind, payload);
    }
  }

  boolean isEmpty() {
    return heap.isEmpty();
  }

  int size() {
    return heap.size();
  }

  /** Time of the next event; {@link Long#MAX_VALUE} if none. */
  long peekTime() {
    return heap.isEmpty() ? Long.MAX_VALUE : heap.firstLong() >>> (PAYLOAD_BITS + KIND_BITS);
  }

  /** Removes the next event and returns its packed key. */
  long pop() {
    return heap.dequeueLong();
  }

  static EventKind kind(long key) {
    return EventKind.of((int) ((key >>> PAYLOAD_BITS) & ((1 << KIND_BITS) - 1)));
  }

  static int payload(long key) {
    return (int) (key & PAYLOAD_MASK);
  }
}
