package dev.superfactory.forecast;

import dev.superfactory.sched.Scheduler;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.Arrays;

/**
 * The baseline forecast, as Slurm's {@code squeue --start} gives it: the start times of a
 * backfill plan. Running jobs end at their start plus their declared limit ({@link
 * Scheduler#expectedEnd}); then each pending job, in queue order, takes the earliest time at which
 * its GPUs fit for its whole declared run time in the free-GPU profile, on one site it may use (or
 * over its sites, if it may span them), and reserves them there (a conservative plan: no later job
 * delays an earlier one's reservation).
 *
 * <p>What it leaves out, as {@code squeue --start} does: topology (only per-site GPU counts are
 * planned, not NVLink domains or blocks, so a job may be planned where its scale-up groups would
 * not fit), tenant limits and contracts, priorities and preemption, failures and repairs (a down
 * GPU stays down; a running job on one still frees what it holds), and run times shorter than
 * declared. A running job past its declared end is planned to end now.
 *
 * <p>The profile is a step function of free GPUs per site over time, with one step per distinct
 * release or reservation boundary. Cost: {@link #reserve} O(steps · sites) (a scan of the
 * profile, then an insertion of at most two steps); a plan of P pending jobs over R running ones
 * is O(P · (R + P) · sites) in the worst case.
 */
public final class ReservationPlan {
  /** No start: the job never fits on the sites it may use, or it starts after the horizon. */
  public static final long NONE = Forecast.NONE;

  /** A pending job's shape, as the plan needs it. */
  public record Shape(int gpus, long siteMask, boolean spanSites, long declaredSeconds) {
    public Shape {
      if (gpus <= 0 || declaredSeconds <= 0) {
        throw new IllegalArgumentException(String.format(
            "gpus=%d and declaredSeconds=%d must be > 0", gpus, declaredSeconds));
      }
    }
  }

  /** What a job pending in a kernel asks for. */
  @FunctionalInterface
  public interface Shapes {
    Shape of(long job);
  }

  private final int sites;
  private long[] time;
  private int[] free; // step-major: free[k * sites + s] is site s's free GPUs from time[k] to time[k + 1]
  private int steps;

  /** A plan starting at {@code fromSeconds} with {@code freeGpusBySite} free then, and forever unless changed. */
  public ReservationPlan(long fromSeconds, int[] freeGpusBySite) {
    this.sites = freeGpusBySite.length;
    this.time = new long[16];
    this.free = new int[16 * Math.max(1, sites)];
    time[0] = fromSeconds;
    System.arraycopy(freeGpusBySite, 0, free, 0, sites);
    steps = 1;
  }

  /**
   * The plan of {@code snapshot}'s pending jobs from {@code atSeconds}: its free GPUs, its running
   * jobs ending at their declared ends, then its queue in order. Returns each pending job's planned
   * start ({@link #NONE} after {@code horizonEndSeconds} or never).
   */
  public static Long2LongOpenHashMap startsOf(Scheduler snapshot, long atSeconds, long horizonEndSeconds,
      Shapes shapes) {
    int n = snapshot.fleetState().fleet().siteCount();
    int[] freeBySite = new int[n];
    for (int s = 0; s < n; s++) {
      freeBySite[s] = snapshot.fleetState().siteFreeGpus(s);
    }
    ReservationPlan plan = new ReservationPlan(atSeconds, freeBySite);
    snapshot.forEachRunning(job -> plan.release(Math.max(atSeconds, snapshot.expectedEnd(job)),
        snapshot.allocation(job).gpusBySite()));
    Long2LongOpenHashMap starts = new Long2LongOpenHashMap();
    snapshot.forEachPending(job -> {
      long start = plan.reserve(shapes.of(job));
      starts.put(job, start > horizonEndSeconds ? NONE : start);
    });
    return starts;
  }

  /** GPUs {@code gpusBySite} become free at {@code atSeconds} (a running job's planned end). */
  public void release(long atSeconds, int[] gpusBySite) {
    requireSites(gpusBySite.length);
    int k = stepAt(Math.max(atSeconds, time[0]));
    for (int s = 0; s < sites; s++) {
      if (gpusBySite[s] != 0) {
        add(k, steps, s, gpusBySite[s]);
      }
    }
  }

  /**
   * Plans {@code job}: the earliest time its GPUs fit for its declared run time, which it then
   * holds in the plan. Returns that time, or {@link #NONE} if it never fits (nothing is held).
   */
  public long reserve(Shape job) {
    int bestSite = -1;
    int bestStep = -1;
    int[] take = null;
    if (job.spanSites()) {
      take = new int[sites];
      bestStep = earliestSpanning(job, take);
    } else {
      for (int s = 0; s < sites; s++) {
        if (allowed(job, s)) {
          int k = earliestOn(s, job.gpus(), job.declaredSeconds());
          if (k >= 0 && (bestStep < 0 || time[k] < time[bestStep])) {
            bestStep = k;
            bestSite = s;
          }
        }
      }
    }
    if (bestStep < 0) {
      return NONE;
    }
    long start = time[bestStep];
    long end = start > Long.MAX_VALUE - job.declaredSeconds() ? Long.MAX_VALUE : start + job.declaredSeconds();
    int last = end == Long.MAX_VALUE ? steps : stepAt(end);
    for (int s = 0; s < sites; s++) {
      int gpus = take != null ? take[s] : (s == bestSite ? job.gpus() : 0);
      if (gpus != 0) {
        add(bestStep, last, s, -gpus);
      }
    }
    return start;
  }

  /** Free GPUs of site {@code site} at {@code atSeconds} in the plan (for tests and explanations). */
  public int freeAt(int site, long atSeconds) {
    int k = Arrays.binarySearch(time, 0, steps, atSeconds);
    k = k >= 0 ? k : -k - 2;
    return k < 0 ? 0 : free[k * sites + site];
  }

  private static boolean allowed(Shape job, int site) {
    return site >= 64 ? job.siteMask() == -1 : (job.siteMask() & (1L << site)) != 0;
  }

  /** The first step from which site {@code s} has {@code gpus} free for {@code seconds}, or -1. O(steps). */
  private int earliestOn(int s, int gpus, long seconds) {
    int from = -1;
    for (int k = 0; k < steps; k++) {
      if (free[k * sites + s] < gpus) {
        from = -1;
        continue;
      }
      if (from < 0) {
        from = k;
      }
      if (k == steps - 1 || time[k + 1] - time[from] >= seconds) {
        return from;
      }
    }
    return -1;
  }

  /**
   * The first step from which the job's sites together hold its GPUs for its run time, each site
   * giving at most its least free GPUs over the window (lowest site first); fills {@code take}.
   * O(steps · sites) per candidate start.
   */
  private int earliestSpanning(Shape job, int[] take) {
    for (int k = 0; k < steps; k++) {
      long end = time[k] > Long.MAX_VALUE - job.declaredSeconds() ? Long.MAX_VALUE : time[k] + job.declaredSeconds();
      int need = job.gpus();
      Arrays.fill(take, 0);
      for (int s = 0; s < sites && need > 0; s++) {
        if (allowed(job, s)) {
          take[s] = Math.min(need, leastFree(s, k, end));
          need -= take[s];
        }
      }
      if (need == 0) {
        return k;
      }
    }
    return -1;
  }

  /** Site {@code s}'s least free GPUs from step {@code k}'s time until {@code end}. */
  private int leastFree(int s, int k, long end) {
    int least = Integer.MAX_VALUE;
    for (int i = k; i < steps && time[i] < end; i++) {
      least = Math.min(least, free[i * sites + s]);
    }
    return least;
  }

  /** The index of the step starting exactly at {@code t} (>= the plan's start), inserted if needed. */
  private int stepAt(long t) {
    int k = Arrays.binarySearch(time, 0, steps, t);
    if (k >= 0) {
      return k;
    }
    int at = -k - 1;
    if (steps == time.length) {
      time = Arrays.copyOf(time, steps * 2);
      free = Arrays.copyOf(free, steps * 2 * sites);
    }
    System.arraycopy(time, at, time, at + 1, steps - at);
    System.arraycopy(free, at * sites, free, (at + 1) * sites, (steps - at) * sites);
    time[at] = t;
    System.arraycopy(free, (at - 1) * sites, free, at * sites, sites); // the new step starts as its predecessor
    steps++;
    return at;
  }

  private void add(int fromStep, int toStep, int s, int delta) {
    for (int k = fromStep; k < toStep; k++) {
      free[k * sites + s] += delta;
    }
  }

  private void requireSites(int n) {
    if (n != sites) {
      throw new IllegalArgumentException("gpusBySite has " + n + " sites, the plan " + sites);
    }
  }
}
