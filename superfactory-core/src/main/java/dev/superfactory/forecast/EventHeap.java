package dev.superfactory.forecast;

import java.util.Arrays;

/**
 * The events of one fast-forward, earliest first, same-time events in the order they were pushed
 * (as the twin's event queue orders them: time, then sequence). Each event is a kind and two
 * numbers (a job id, or a GPU range, or a cause or link). A binary heap over primitive arrays:
 * {@link #push} and {@link #pop} O(log events), no object per event.
 */
final class EventHeap {
  static final int END = 0;
  static final int FAILURE = 1;
  static final int GPUS_UP = 2;
  static final int LINK_UP = 3;
  static final int DETECTED = 4;

  private long[] time = new long[64];
  private long[] seq = new long[64];
  private int[] kind = new int[64];
  private long[] a = new long[64];
  private int[] b = new int[64];
  private int[] heap = new int[64]; // positions of the entries, heap-ordered
  private int[] free = new int[64];
  private int freeCount;
  private int used;
  private int size;
  private long pushed;
  // the last popped event
  private long poppedTime;
  private int poppedKind;
  private long poppedA;
  private int poppedB;

  void push(long t, int k, long x, int y) {
    int e = freeCount > 0 ? free[--freeCount] : newEntry();
    time[e] = t;
    seq[e] = pushed++;
    kind[e] = k;
    a[e] = x;
    b[e] = y;
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    heap[size] = e;
    up(size++);
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The earliest event's time; Long.MAX_VALUE if none. */
  long peekTime() {
    return size == 0 ? Long.MAX_VALUE : time[heap[0]];
  }

  /** Removes the earliest event; read it with {@link #kind()}, {@link #a()}, {@link #b()}, {@link #time()}. */
  void pop() {
    int e = heap[0];
    poppedTime = time[e];
    poppedKind = kind[e];
    poppedA = a[e];
    poppedB = b[e];
    heap[0] = heap[--size];
    if (size > 0) {
      down(0);
    }
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, freeCount * 2);
    }
    free[freeCount++] = e;
  }

  long time() {
    return poppedTime;
  }

  int kind() {
    return poppedKind;
  }

  long a() {
    return poppedA;
  }

  int b() {
    return poppedB;
  }

  private int newEntry() {
    if (used == time.length) {
      int n = used * 2;
      time = Arrays.copyOf(time, n);
      seq = Arrays.copyOf(seq, n);
      kind = Arrays.copyOf(kind, n);
      a = Arrays.copyOf(a, n);
      b = Arrays.copyOf(b, n);
    }
    return used++;
  }

  private boolean before(int x, int y) {
    return time[x] != time[y] ? time[x] < time[y] : seq[x] < seq[y];
  }

  private void up(int i) {
    int e = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(e, heap[parent])) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = e;
  }

  private void down(int i) {
    int e = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(heap[child + 1], heap[child])) {
        child++;
      }
      if (!before(heap[child], e)) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = e;
  }
}
