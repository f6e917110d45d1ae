package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import it.unimi.dsi.fastutil.ints.IntBidirectionalIterator;
import it.unimi.dsi.fastutil.ints.IntComparator;
import it.unimi.dsi.fastutil.ints.IntLinkedOpenHashSet;
import it.unimi.dsi.fastutil.ints.IntRBTreeSet;

/**
 * The jobs holding GPUs: each job's allocation and expected end (start + declared run time), the
 * jobs ordered by expected end (for the EASY reservation and preemption candidates), the jobs
 * spanning sites (for WAN cuts), and, once a failure asks for it, which job holds each GPU.
 *
 * <p>The order is kept by a red-black tree of slots compared by (expected end, caller's id), so
 * no time is packed into a key and any {@code long} time works. Costs: {@link #add} and
 * {@link #remove} O(log running) plus the owner index's O(domains of the job) when it is on;
 * {@link #owner} O(log groups). The owner index costs one int per GPU and per domain and is
 * built on first use, O(running · domains per job).
 */
final class RunningJobs {
  private final Fleet fleet;
  private final JobTable jobs;
  private final IntRBTreeSet byExpectedEnd;
  private final IntLinkedOpenHashSet multiSite;
  private OwnerIndex owners;
  private int count;

  RunningJobs(Fleet fleet, JobTable jobs) {
    this.fleet = fleet;
    this.jobs = jobs;
    this.byExpectedEnd = new IntRBTreeSet(byEndThenId(jobs));
    this.multiSite = new IntLinkedOpenHashSet();
  }

  /**
   * A copy over {@code jobs} (a copy of {@code from}'s table): the order is rebuilt with a
   * comparator reading the new table, O(running · log running); the owner index, if built, copied.
   */
  RunningJobs(RunningJobs from, JobTable jobs) {
    this.fleet = from.fleet;
    this.jobs = jobs;
    this.byExpectedEnd = new IntRBTreeSet(byEndThenId(jobs));
    for (IntBidirectionalIterator it = from.byExpectedEnd.iterator(); it.hasNext(); ) {
      byExpectedEnd.add(it.nextInt());
    }
    this.multiSite = from.multiSite.clone();
    this.owners = from.owners == null ? null : new OwnerIndex(from.owners);
    this.count = from.count;
  }

  private static IntComparator byEndThenId(JobTable jobs) {
    return (a, b) -> {
      int c = Long.compare(jobs.expectedEnd[a], jobs.expectedEnd[b]);
      return c != 0 ? c : Long.compare(jobs.id[a], jobs.id[b]);
    };
  }

  /** A job starts on {@code a}, expected to end at {@code expectedEnd}. */
  void add(int s, Allocation a, long expectedEnd) {
    jobs.allocation[s] = a;
    jobs.expectedEnd[s] = expectedEnd;
    jobs.setState(s, JobTable.RUNNING);
    byExpectedEnd.add(s);
    count++;
    if (owners != null) {
      owners.assign(a, s);
    }
    if (a.siteCount() > 1) {
      multiSite.add(s);
    }
  }

  /** A job gives up all its GPUs; returns its allocation. */
  Allocation remove(int s) {
    Allocation a = jobs.allocation[s];
    if (owners != null) {
      owners.clear(a);
    }
    byExpectedEnd.remove(s);
    if (!multiSite.isEmpty()) {
      multiSite.remove(s);
    }
    jobs.allocation[s] = null;
    count--;
    return a;
  }

  /** Takes {@code part} of a job's GPUs away (they are released by the caller); the job keeps {@code rest}. */
  void shrink(int s, Allocation part, Allocation rest) {
    if (owners != null) {
      owners.clear(part);
    }
    jobs.allocation[s] = rest;
    if (rest.siteCount() <= 1) {
      multiSite.remove(s);
    }
  }

  /** GPUs of a job that are about to be released (the job's allocation is replaced right after). */
  void forgetOwners(Allocation part) {
    if (owners != null) {
      owners.clear(part);
    }
  }

  /** A job's allocation grows by {@code added} (replacements), becoming {@code merged}. */
  void grow(int s, Allocation added, Allocation merged) {
    if (owners != null) {
      owners.assign(added, s);
    }
    jobs.allocation[s] = merged;
  }

  /** Replaces a job's allocation by one of the same size (hot spares swapped in). */
  void replace(int s, Allocation a) {
    if (owners != null) {
      owners.clear(jobs.allocation[s]);
      owners.assign(a, s);
    }
    jobs.allocation[s] = a;
  }

  /** Moves a job's expected end by {@code seconds} (it stopped computing that long). O(log running). */
  void delayEnd(int s, long seconds) {
    if (seconds <= 0) {
      return;
    }
    byExpectedEnd.remove(s);
    jobs.expectedEnd[s] = KernelState.endOf(jobs.expectedEnd[s], seconds);
    byExpectedEnd.add(s);
  }

  /** Re-files a job in the multi-site set after its allocation changed. */
  void refileSites(int s) {
    if (jobs.allocation[s].siteCount() > 1) {
      multiSite.add(s);
    } else {
      multiSite.remove(s);
    }
  }

  /** The slot of the job holding fleet-wide GPU {@code gpu}, or -1; builds the owner index on first use. */
  int owner(int gpu) {
    if (owners == null) {
      owners = new OwnerIndex(fleet);
      for (IntBidirectionalIterator it = byExpectedEnd.iterator(); it.hasNext(); ) {
        int s = it.nextInt();
        owners.assign(jobs.allocation[s], s);
      }
    }
    return owners.owner(gpu);
  }

  boolean tracksOwners() {
    return owners != null;
  }

  /** Running jobs in order of expected end, earliest first. */
  IntBidirectionalIterator byExpectedEnd() {
    return byExpectedEnd.iterator();
  }

  /** Jobs holding GPUs on more than one site, in the order they came to span sites. */
  int[] multiSite() {
    return multiSite.toIntArray();
  }

  int count() {
    return count;
  }

  /** The order by expected end, the multi-site set and the count, by id ({@link KernelDigest}). O(running). */
  void describe(java.util.function.Consumer<String> out) {
    StringBuilder order = new StringBuilder("running " + count + " owners " + (owners != null) + ":");
    for (IntBidirectionalIterator it = byExpectedEnd.iterator(); it.hasNext(); ) {
      int s = it.nextInt();
      order.append(' ').append(jobs.id[s]).append('@').append(jobs.expectedEnd[s]);
    }
    out.accept(order.toString());
    StringBuilder multi = new StringBuilder("multi-site");
    for (int s : multiSite) {
      multi.append(' ').append(jobs.id[s]);
    }
    out.accept(multi.toString());
  }

  long footprintBytes() {
    // a tree entry: key, two links and flags (≈ 40 bytes with its header); a linked-set entry ≈ 24
    return 40L * count + 24L * multiSite.size() + (owners == null ? 0 : owners.footprintBytes());
  }

  /** Every slot in the order is running with an allocation, and the count agrees. O(running). */
  void checkInvariants() {
    int n = 0;
    for (IntBidirectionalIterator it = byExpectedEnd.iterator(); it.hasNext(); ) {
      int s = it.nextInt();
      if (!jobs.holdsGpus(s) || jobs.allocation[s] == null) {
        throw new IllegalStateException("job " + jobs.id[s] + " is filed as running but holds nothing");
      }
      n++;
    }
    if (n != count) {
      throw new IllegalStateException("running order holds " + n + " jobs, counter says " + count);
    }
    for (int s : multiSite) {
      if (jobs.allocation[s] == null || jobs.allocation[s].siteCount() < 2) {
        throw new IllegalStateException("job " + jobs.id[s] + " is filed as spanning sites but does not");
      }
    }
  }
}
