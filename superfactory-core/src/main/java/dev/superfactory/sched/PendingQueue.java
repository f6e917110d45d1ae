package dev.superfactory.sched;

import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * The pending jobs in queue order: an intrusive doubly linked list over the job table's slots
 * ({@code next}/{@code prev} columns), plus the jobs that arrived since the last pass and each
 * job's pending reason. New jobs join at the tail; interrupted jobs go to the front; preempted
 * jobs go back to their arrival position.
 *
 * <p>It also counts the pending GPUs under each reason, kept as reasons change, and the pending
 * jobs and GPUs of each tenant; in a forecast's fork ({@link #countClasses}), the pending jobs by
 * size class (floor of log2 of their GPUs), overall and per tenant, and by size and run-time
 * class, so lower bounds on what the pending jobs ask are O(1) ({@link #smallestGpusAtLeast},
 * {@link #mayHaveAtMost}).
 *
 * <p>Costs: {@link #append}, {@link #pushFront}, {@link #unlink}, {@link #setReason} O(1); {@link #insertByArrival}
 * O(position) (a walk from the head); visiting O(pending). No allocation per operation.
 */
final class PendingQueue {
  private static final int NOT_QUEUED = -2;
  private static final java.util.List<PendingReason> REASONS = java.util.List.of(PendingReason.values());

  private final JobTable jobs;
  private final IntArrayList arrivals;
  private int head = -1;
  private int tail = -1;
  private int count;
  private long gpus;
  private final long[] gpusByReason;
  /** Per tenant index, grown on demand: pending jobs, and GPUs they ask for. */
  private int[] countByTenant = new int[0];
  private long[] gpusByTenant = new long[0];
  /** Whether the classes below are counted: only once {@link #countClasses()} asked (a forecast's fork). */
  private boolean classes;
  /** Pending jobs by size class (floor(log2 GPUs)), overall and per tenant; bit c of a mask: class c has jobs. */
  private int[] countBySize;
  private int sizeMask;
  private int[][] countByTenantSize;
  private int[] tenantSizeMask;
  /** Pending jobs by size class and declared-run-time class (a quarter octave, {@link #runClass}); bits: classes with jobs. */
  private int[][] countBySizeAndRun;
  private long[][] runMask;
  private static final int RUN_CLASSES = 256;

  PendingQueue(JobTable jobs) {
    this.jobs = jobs;
    this.arrivals = new IntArrayList();
    this.gpusByReason = new long[REASONS.size()];
  }

  /** A copy over {@code jobs} (a copy of the table {@code from} links through). O(arrivals + tenants). */
  PendingQueue(PendingQueue from, JobTable jobs) {
    this.jobs = jobs;
    this.arrivals = new IntArrayList(from.arrivals);
    this.head = from.head;
    this.tail = from.tail;
    this.count = from.count;
    this.gpus = from.gpus;
    this.gpusByReason = from.gpusByReason.clone();
    this.countByTenant = from.countByTenant.clone();
    this.gpusByTenant = from.gpusByTenant.clone();
    if (from.classes) {
      this.classes = true;
      this.countBySize = from.countBySize.clone();
      this.sizeMask = from.sizeMask;
      this.countByTenantSize = deepCopy(from.countByTenantSize);
      this.tenantSizeMask = from.tenantSizeMask.clone();
      this.countBySizeAndRun = deepCopy(from.countBySizeAndRun);
      this.runMask = new long[32][];
      for (int c = 0; c < 32; c++) {
        runMask[c] = from.runMask[c].clone();
      }
    }
  }

  private static int[][] deepCopy(int[][] a) {
    int[][] out = new int[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }

  /**
   * From now on, counts the pending jobs by size class (overall and per tenant) and by size and
   * run-time class, for {@link #smallestGpusAtLeast} and {@link #mayHaveAtMost}: O(pending) now,
   * O(1) per queue change after. Only a forecast's fork asks (the live kernel and the twin pay nothing).
   */
  void countClasses() {
    if (classes) {
      return;
    }
    classes = true;
    countBySize = new int[32];
    countByTenantSize = new int[0][];
    tenantSizeMask = new int[0];
    countBySizeAndRun = new int[32][RUN_CLASSES];
    runMask = new long[32][RUN_CLASSES / 64];
    for (int s = head; s >= 0; s = jobs.next(s)) {
      countClasses(s, 1);
    }
  }

  void append(int s) {
    link(s, tail, -1);
    arrivals.add(s);
  }

  /** Ahead of every other pending job (an interrupted job that lost its GPUs). */
  void pushFront(int s) {
    link(s, -1, head);
  }

  /** In arrival order (arrival time, then the caller's id): where a preempted job belongs. */
  void insertByArrival(int s) {
    int after = -1;
    int at = head;
    while (at >= 0 && arrivesBefore(at, s)) {
      after = at;
      at = jobs.next(at);
    }
    link(s, after, at);
  }

  private boolean arrivesBefore(int a, int b) {
    return jobs.arrival[a] < jobs.arrival[b] || jobs.arrival[a] == jobs.arrival[b] && jobs.id[a] < jobs.id[b];
  }

  private void link(int s, int after, int before) {
    jobs.setState(s, JobTable.PENDING);
    jobs.setReason(s, (byte) PendingReason.NEW.ordinal());
    jobs.setPrev(s, after);
    jobs.setNext(s, before);
    if (after >= 0) {
      jobs.setNext(after, s);
    } else {
      head = s;
    }
    if (before >= 0) {
      jobs.setPrev(before, s);
    } else {
      tail = s;
    }
    count++;
    gpus += jobs.gpus(s);
    gpusByReason[PendingReason.NEW.ordinal()] += jobs.gpus(s);
    countTenant(jobs.tenant(s), 1, jobs.gpus(s));
    if (classes) {
      countClasses(s, 1);
    }
  }

  /** Counts job {@code s} in (n = 1) or out of (n = -1) its classes. */
  private void countClasses(int s, int n) {
    int t = jobs.tenant(s);
    if (t >= tenantSizeMask.length) {
      tenantSizeMask = java.util.Arrays.copyOf(tenantSizeMask, t + 1);
      countByTenantSize = java.util.Arrays.copyOf(countByTenantSize, t + 1);
      for (int u = 0; u <= t; u++) {
        if (countByTenantSize[u] == null) {
          countByTenantSize[u] = new int[32];
        }
      }
    }
    int c = sizeClass(jobs.gpus(s));
    countBySize[c] += n;
    sizeMask = countBySize[c] > 0 ? sizeMask | 1 << c : sizeMask & ~(1 << c);
    int[] byTenant = countByTenantSize[t];
    byTenant[c] += n;
    tenantSizeMask[t] = byTenant[c] > 0 ? tenantSizeMask[t] | 1 << c : tenantSizeMask[t] & ~(1 << c);
    int r = runClass(jobs.expectedSeconds(s));
    int left = countBySizeAndRun[c][r] += n;
    if (left == 0) {
      runMask[c][r >>> 6] &= ~(1L << r);
    } else {
      runMask[c][r >>> 6] |= 1L << r;
    }
  }

  /** A quarter-octave class of a run time: 4 · floor(log2 seconds) + its next two bits. */
  static int runClass(long seconds) {
    int k = 63 - Long.numberOfLeadingZeros(Math.max(1, seconds));
    return 4 * k + (k >= 2 ? (int) (seconds >>> (k - 2) & 3) : 0);
  }

  /** The least run time of class {@code r}: every run time of the class is at least this. */
  static long runClassLeast(int r) {
    int k = r / 4;
    return k >= 2 ? (4L + r % 4) << (k - 2) : 1L << k;
  }

  /**
   * Whether some pending job may ask for at most {@code gpus} GPUs and declare at most
   * {@code seconds} (by class: a job counted here may be up to twice as large and 19% longer).
   * O(size classes · run classes / 64).
   */
  boolean mayHaveAtMost(int gpus, long seconds) {
    requireClasses();
    for (int c = 0; c < 32 && (1L << c) <= gpus; c++) {
      long[] m = runMask[c];
      for (int w = 0; w < m.length; w++) {
        if (m[w] != 0) {
          if (runClassLeast(64 * w + Long.numberOfTrailingZeros(m[w])) <= seconds) {
            return true;
          }
          break;
        }
      }
    }
    return false;
  }

  private void countTenant(int t, int n, long g) {
    if (t >= countByTenant.length) {
      countByTenant = java.util.Arrays.copyOf(countByTenant, t + 1);
      gpusByTenant = java.util.Arrays.copyOf(gpusByTenant, t + 1);
    }
    countByTenant[t] += n;
    gpusByTenant[t] += g;
  }

  private static int sizeClass(int gpus) {
    return 31 - Integer.numberOfLeadingZeros(gpus);
  }

  private void requireClasses() {
    if (!classes) {
      throw new IllegalStateException("pending jobs are not counted by class in this kernel (countClasses)");
    }
  }

  /**
   * A lower bound on the GPUs of every pending job: the smallest power of two at or below the
   * smallest request ({@link Integer#MAX_VALUE} if none wait). O(1).
   */
  int smallestGpusAtLeast() {
    requireClasses();
    return sizeMask == 0 ? Integer.MAX_VALUE : 1 << Integer.numberOfTrailingZeros(sizeMask);
  }

  /** {@link #smallestGpusAtLeast()} over tenant {@code t}'s pending jobs. O(1). */
  int smallestGpusAtLeast(int t) {
    requireClasses();
    int m = t < tenantSizeMask.length ? tenantSizeMask[t] : 0;
    return m == 0 ? Integer.MAX_VALUE : 1 << Integer.numberOfTrailingZeros(m);
  }

  /** Takes a job out of the queue (started or cancelled). */
  void unlink(int s) {
    int p = jobs.prev(s);
    int n = jobs.next(s);
    if (p >= 0) {
      jobs.setNext(p, n);
    } else {
      head = n;
    }
    if (n >= 0) {
      jobs.setPrev(n, p);
    } else {
      tail = p;
    }
    jobs.setPrev(s, NOT_QUEUED);
    jobs.setNext(s, -1);
    count--;
    gpus -= jobs.gpus(s);
    gpusByReason[jobs.reason(s)] -= jobs.gpus(s);
    countTenant(jobs.tenant(s), -1, -jobs.gpus(s));
    if (classes) {
      countClasses(s, -1);
    }
  }

  /** Drops a cancelled job from the arrivals not yet seen by a pass. O(arrivals). */
  void forgetArrival(int s) {
    arrivals.rem(s);
  }

  /** The first job in queue order, or -1. */
  int first() {
    return head;
  }

  /** The job after {@code s} in queue order, or -1. */
  int next(int s) {
    return jobs.next(s);
  }

  /** The pending jobs in queue order. O(pending). */
  int[] toArray() {
    int[] out = new int[count];
    int i = 0;
    for (int s = head; s >= 0; s = jobs.next(s)) {
      out[i++] = s;
    }
    return out;
  }

  /** Queue order by id, the arrivals, and every counter, as lines ({@link KernelDigest}). O(pending + arrivals). */
  void describe(java.util.function.Consumer<String> out) {
    StringBuilder order = new StringBuilder("queue");
    for (int s = head; s >= 0; s = jobs.next(s)) {
      order.append(' ').append(jobs.id[s]).append(':').append(reason(s));
    }
    out.accept(order.toString());
    StringBuilder seen = new StringBuilder("arrivals");
    for (int i = 0; i < arrivals.size(); i++) {
      seen.append(' ').append(arrivals.getInt(i));
    }
    out.accept(seen.toString());
    out.accept("queue head " + head + " tail " + tail + " count " + count + " gpus " + gpus + " by reason "
        + java.util.Arrays.toString(gpusByReason) + " by tenant " + java.util.Arrays.toString(countByTenant) + " "
        + java.util.Arrays.toString(gpusByTenant));
  }

  int arrivalCount() {
    return arrivals.size();
  }

  /** The i-th job that arrived since the last pass, or -1 if it is no longer pending. */
  int arrival(int i) {
    int s = arrivals.getInt(i);
    return jobs.state(s) == JobTable.PENDING ? s : -1;
  }

  boolean hasArrivals() {
    return !arrivals.isEmpty();
  }

  void clearArrivals() {
    arrivals.clear();
  }

  int count() {
    return count;
  }

  /** Bytes of the arrivals list (the links and reasons live in the job table). */
  long footprintBytes() {
    return 4L * arrivals.elements().length;
  }

  long gpus() {
    return gpus;
  }

  /** Pending jobs of tenant {@code t}. O(1). */
  int count(int t) {
    return t < countByTenant.length ? countByTenant[t] : 0;
  }

  /** GPUs asked for by tenant {@code t}'s pending jobs. O(1). */
  long gpus(int t) {
    return t < gpusByTenant.length ? gpusByTenant[t] : 0;
  }

  /** GPUs asked for by the pending jobs whose recorded reason is {@code reason}. O(1). */
  long gpus(PendingReason reason) {
    return gpusByReason[reason.ordinal()];
  }

  PendingReason reason(int s) {
    return REASONS.get(jobs.reason(s));
  }

  /** Records a new reason; true if it changed. */
  boolean setReason(int s, PendingReason why) {
    byte b = (byte) why.ordinal();
    if (jobs.reason(s) == b) {
      return false;
    }
    gpusByReason[jobs.reason(s)] -= jobs.gpus(s);
    gpusByReason[b] += jobs.gpus(s);
    jobs.setReason(s, b);
    return true;
  }

  /** Walks the list and compares with the counters. O(pending). */
  void checkInvariants() {
    int n = 0;
    long g = 0;
    long[] byReason = new long[gpusByReason.length];
    int[] byTenant = new int[countByTenant.length];
    long[] gpusOfTenant = new long[gpusByTenant.length];
    int last = -1;
    for (int s = head; s >= 0; s = jobs.next(s)) {
      if (jobs.state(s) != JobTable.PENDING || jobs.prev(s) != last) {
        throw new IllegalStateException("pending list broken at job " + jobs.id[s]);
      }
      n++;
      g += jobs.gpus(s);
      byReason[jobs.reason(s)] += jobs.gpus(s);
      byTenant[jobs.tenant(s)]++;
      gpusOfTenant[jobs.tenant(s)] += jobs.gpus(s);
      last = s;
    }
    if (!java.util.Arrays.equals(byReason, gpusByReason)) {
      throw new IllegalStateException("pending GPUs by reason " + java.util.Arrays.toString(byReason)
          + ", counters say " + java.util.Arrays.toString(gpusByReason));
    }
    if (!java.util.Arrays.equals(byTenant, countByTenant) || !java.util.Arrays.equals(gpusOfTenant, gpusByTenant)) {
      throw new IllegalStateException("pending jobs by tenant " + java.util.Arrays.toString(byTenant) + " ("
          + java.util.Arrays.toString(gpusOfTenant) + " GPUs), counters say " + java.util.Arrays.toString(countByTenant)
          + " (" + java.util.Arrays.toString(gpusByTenant) + ")");
    }
    if (classes) {
      checkClasses();
    }
    if (n != count || g != gpus || last != tail) {
      throw new IllegalStateException("pending list has " + n + " jobs (" + g + " GPUs), counters say " + count
          + " (" + gpus + ")");
    }
  }

  /** Recounts the classes from the list and compares. O(pending + classes). */
  private void checkClasses() {
    int[] bySize = new int[32];
    int[] tenantMask = new int[tenantSizeMask.length];
    int[][] bySizeAndRun = new int[32][RUN_CLASSES];
    for (int s = head; s >= 0; s = jobs.next(s)) {
      bySizeAndRun[sizeClass(jobs.gpus(s))][runClass(jobs.expectedSeconds(s))]++;
      bySize[sizeClass(jobs.gpus(s))]++;
      tenantMask[jobs.tenant(s)] |= 1 << sizeClass(jobs.gpus(s));
    }
    for (int c = 0; c < 32; c++) {
      for (int r = 0; r < RUN_CLASSES; r++) {
        boolean bit = (runMask[c][r >>> 6] & 1L << r) != 0;
        if (bySizeAndRun[c][r] != countBySizeAndRun[c][r] || bit != (bySizeAndRun[c][r] > 0)) {
          throw new IllegalStateException("pending jobs of size class " + c + " and run class " + r + ": "
              + bySizeAndRun[c][r] + ", counters say " + countBySizeAndRun[c][r] + " (bit " + bit + ")");
        }
      }
    }
    if (!java.util.Arrays.equals(tenantMask, tenantSizeMask)) {
      throw new IllegalStateException("pending size classes by tenant " + java.util.Arrays.toString(tenantMask)
          + ", counters say " + java.util.Arrays.toString(tenantSizeMask));
    }
    int mask = 0;
    for (int c = 0; c < bySize.length; c++) {
      mask |= bySize[c] > 0 ? 1 << c : 0;
    }
    if (!java.util.Arrays.equals(bySize, countBySize) || mask != sizeMask) {
      throw new IllegalStateException("pending jobs by size class " + java.util.Arrays.toString(bySize)
          + ", counters say " + java.util.Arrays.toString(countBySize) + " (mask " + Integer.toBinaryString(sizeMask) + ")");
    }
  }
}
