package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import it.unimi.dsi.fastutil.Hash;
import it.unimi.dsi.fastutil.HashCommon;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.Arrays;

/**
 * The kernel's columns for its live jobs (pending, running, interrupted, stalled), one slot per
 * job, reused once the job leaves: memory is bounded by the most jobs live at once, never by how
 * many passed through. Callers name jobs by their own {@code long} ids (a trace row, a database
 * key); the table maps ids to slots. Policies see slots as job handles, valid while the job is live.
 *
 * <p>Columns: the job as submitted (id, tenant, GPUs, scale-up group, may span sites, declared
 * run time, arrival time), its lifecycle state, and the per-job fields of the kernel's parts:
 * queue links and pending reason ({@link PendingQueue}), allocation and expected end
 * ({@link RunningJobs}), the regrow flag ({@link WanCutResponse}), a stamp for de-duplicating jobs
 * hit by one outage. What a scheduling pass reads of a job sits in one 32-byte block. ≈ 68 bytes
 * per slot plus ≈ 24 bytes per id in the map.
 *
 * <p>Costs: {@link #add} and {@link #remove} O(1) amortized (a hash insert or removal and a
 * free-slot stack); {@link #slot} O(1) expected. Arrays double when full and never shrink, so
 * capacity stays below twice the peak of live jobs.
 */
final class JobTable {
  static final byte FREE = 0;
  static final byte PENDING = 1;
  static final byte RUNNING = 2;
  static final byte INTERRUPTED = 3;
  static final byte STALLED = 4;

  static final byte SPAN_SITES = 1;
  static final byte REGROW = 4;

  private final Long2IntOpenHashMap slots;
  private int[] freeSlots = new int[0];
  private int freeCount;
  private int used; // slots ever handed out (high-water mark)
  private int live;
  private int peakLive;

  // What a pass reads of every job it visits, interleaved so that one visit touches 32 bytes, not
  // eight arrays: [tenant << 32 | gpus, group << 32 | reason << 16 | state << 8 | flags,
  // next << 32 | prev, declared run time]. Live slots are scattered (they are reused), so a walk
  // of the queue would otherwise miss the cache once per column.
  private long[] hot = new long[0];
  long[] id = new long[0];
  long[] arrival = new long[0];
  Allocation[] allocation = new Allocation[0];
  long[] expectedEnd = new long[0];
  long[] haltedSince = new long[0]; // when an interrupted or stalled job stopped computing
  int[] hitStamp = new int[0];

  JobTable() {
    slots = new Long2IntOpenHashMap();
    slots.defaultReturnValue(-1);
  }

  /** A copy of every column, the id map and the free-slot stack; allocations (immutable) are shared. O(capacity). */
  JobTable(JobTable from) {
    slots = from.slots.clone(); // its arrays copied, not rehashed
    freeSlots = from.freeSlots.clone();
    freeCount = from.freeCount;
    used = from.used;
    live = from.live;
    peakLive = from.peakLive;
    hot = from.hot.clone();
    id = from.id.clone();
    arrival = from.arrival.clone();
    allocation = from.allocation.clone();
    expectedEnd = from.expectedEnd.clone();
    haltedSince = from.haltedSince.clone();
    hitStamp = from.hitStamp.clone();
  }

  /** Takes a slot for a new job; throws if the id is already live. */
  int add(long jobId, JobRequest r, long now) {
    int s = freeCount > 0 ? freeSlots[--freeCount] : newSlot();
    int previous = slots.put(jobId, s);
    if (previous >= 0) {
      slots.put(jobId, previous);
      release(s);
      throw new IllegalArgumentException("job " + jobId + " is already in the scheduler");
    }
    id[s] = jobId;
    int h = s << 2;
    hot[h] = (long) r.tenant() << 32 | (r.gpus() & 0xffffffffL);
    hot[h + 1] = (long) r.scaleUpGroup() << 32 | (PENDING << 8) | (r.spanSites() ? SPAN_SITES : 0);
    hot[h + 2] = -1L; // next and prev: none
    hot[h + 3] = r.expectedSeconds();
    arrival[s] = now;
    peakLive = Math.max(peakLive, ++live);
    return s;
  }

  /** Frees a job's slot for reuse. */
  void remove(int s) {
    slots.remove(id[s]);
    hot[(s << 2) + 1] = 0; // free, no flags
    allocation[s] = null;
    release(s);
    live--;
  }

  private void release(int s) {
    if (freeCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeCount * 2));
    }
    freeSlots[freeCount++] = s;
  }

  /** Every live slot's columns and the slot bookkeeping, as lines ({@link KernelDigest}). O(slots used). */
  void describe(java.util.function.Consumer<String> out) {
    out.accept("slots used " + used + " live " + live + " peak " + peakLive + " map " + slots.size() + " free "
        + Arrays.toString(Arrays.copyOf(freeSlots, freeCount)));
    for (int s = 0; s < used; s++) {
      if (state(s) == FREE) {
        continue;
      }
      int h = s << 2;
      out.accept("job " + id[s] + " slot " + s + " (mapped " + slots.get(id[s]) + ") hot " + hot[h] + " " + hot[h + 1]
          + " " + hot[h + 2] + " " + hot[h + 3] + " arrival " + arrival[s] + " end " + expectedEnd[s] + " halted "
          + haltedSince[s] + " stamp " + hitStamp[s] + " on " + KernelDigest.text(allocation[s]));
    }
  }

  /** The slot of a live job, or -1. */
  int slot(long jobId) {
    return slots.get(jobId);
  }

  /** The slot of a live job; throws naming the id if it is not live. */
  int require(long jobId) {
    int s = slots.get(jobId);
    if (s < 0) {
      throw new IllegalArgumentException("job " + jobId + " is not in the scheduler");
    }
    return s;
  }

  int tenant(int s) {
    return (int) (hot[s << 2] >>> 32);
  }

  int gpus(int s) {
    return (int) hot[s << 2];
  }

  int group(int s) {
    return (int) (hot[(s << 2) + 1] >>> 32);
  }

  /** The declared run time, seconds. */
  long expectedSeconds(int s) {
    return hot[(s << 2) + 3];
  }

  byte state(int s) {
    return (byte) (hot[(s << 2) + 1] >>> 8);
  }

  void setState(int s, byte state) {
    setByte(s, 8, state);
  }

  /** The pending reason's ordinal. */
  byte reason(int s) {
    return (byte) (hot[(s << 2) + 1] >>> 16);
  }

  void setReason(int s, byte reason) {
    setByte(s, 16, reason);
  }

  private void setByte(int s, int shift, byte value) {
    int h = (s << 2) + 1;
    hot[h] = hot[h] & ~(0xffL << shift) | (long) (value & 0xff) << shift;
  }

  /** The next job in the queue, or -1 ({@link PendingQueue}; {@link #prev} holds -2 when not queued). */
  int next(int s) {
    return (int) (hot[(s << 2) + 2] >>> 32);
  }

  int prev(int s) {
    return (int) hot[(s << 2) + 2];
  }

  void setNext(int s, int next) {
    int h = (s << 2) + 2;
    hot[h] = (long) next << 32 | (hot[h] & 0xffffffffL);
  }

  void setPrev(int s, int prev) {
    int h = (s << 2) + 2;
    hot[h] = hot[h] & 0xffffffff00000000L | (prev & 0xffffffffL);
  }

  boolean spanSites(int s) {
    return flag(s, SPAN_SITES);
  }

  boolean flag(int s, byte f) {
    return (hot[(s << 2) + 1] & f) != 0;
  }

  void setFlag(int s, byte f, boolean on) {
    int h = (s << 2) + 1;
    hot[h] = on ? hot[h] | f : hot[h] & ~f;
  }

  /** Whether the job holds GPUs (running, interrupted or stalled). */
  boolean holdsGpus(int s) {
    return state(s) >= RUNNING;
  }

  int live() {
    return live;
  }

  /** Slots ever used: every live slot is below this. */
  int used() {
    return used;
  }

  int capacity() {
    return id.length;
  }

  /**
   * Bytes held by the columns, the free-slot stack and the id map (the map's table counted at the
   * largest size it can have reached: a long key and an int value per entry of
   * {@link HashCommon#arraySize} for the peak of live jobs). Allocations are not counted: they
   * belong to the fleet state's owners.
   */
  long footprintBytes() {
    long perSlot = 32 + 8 + 8 + 8 + 8 + 8 + 4; // the hot block, id, arrival, allocation (a reference as 8), expected end, halted since, stamp
    long map = 12L * (HashCommon.arraySize(Math.max(1, peakLive), Hash.DEFAULT_LOAD_FACTOR) + 1);
    return perSlot * capacity() + 4L * freeSlots.length + map;
  }

  private int newSlot() {
    if (used == id.length) {
      grow(Math.max(16, used * 2));
    }
    return used++;
  }

  private void grow(int c) {
    hot = Arrays.copyOf(hot, c << 2);
    id = Arrays.copyOf(id, c);
    arrival = Arrays.copyOf(arrival, c);
    allocation = Arrays.copyOf(allocation, c);
    expectedEnd = Arrays.copyOf(expectedEnd, c);
    haltedSince = Arrays.copyOf(haltedSince, c);
    hitStamp = Arrays.copyOf(hitStamp, c);
  }
}
