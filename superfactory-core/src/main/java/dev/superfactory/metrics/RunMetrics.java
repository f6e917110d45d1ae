package dev.superfactory.metrics;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import java.util.List;

/**
 * What a run measures, updated as the clock moves:
 * <ul>
 *   <li>allocated GPU-seconds, in total, per site and per tenant, integrated exactly over time
 *       ({@code long} GPU-seconds);
 *   <li>queue wait (start − submit) and job completion time (end − submit) distributions, overall,
 *       per tenant and per job-size class;
 *   <li>a time series sampled every {@code sampleIntervalSeconds}: the average allocated fraction
 *       over the interval (total, per site, per tenant) and, at the sample instant, jobs pending
 *       and running and GPUs queued.
 * </ul>
 * Nothing is measured before {@link #startMeasuring} (the warm-up): the allocation is tracked
 * but not integrated, and waits count only jobs submitted in the measured window. Reported
 * times are relative to the window's start.
 *
 * <p>Cost: O(sites + tenants) per clock advance and per sample; O(1) per job event.
 */
public final class RunMetrics {
  /** Job-size classes for wait statistics: upper bounds (inclusive) in GPUs. */
  public static final int[] SIZE_CLASS_MAX = {8, 64, 1024, 16384, Integer.MAX_VALUE};
  public static final String[] SIZE_CLASS_NAMES = {"1-8", "9-64", "65-1024", "1025-16384", ">16384"};

  private final Fleet fleet;
  private final Jobs jobs;
  private final List<Tenant> tenants;
  private final long sampleInterval;

  private long lastTime;
  private final long[] siteGpus; // currently allocated
  private final long[] tenantGpusNow;
  private long totalGpusNow;
  private final long[] siteIntegral;
  private final long[] tenantIntegral;
  private long totalIntegral;
  private final long[] siteInterval;
  private final long[] tenantInterval;
  private long totalInterval;
  private long intervalStart;
  private boolean measuring;
  private long downNow;
  private long downIntegral;
  private long downInterval;
  private long windowStart;
  private long carriedOver;

  // load: pending GPUs by the kernel's reason (watched), and the idle GPUs each reason explains
  private final String[] pendingReasons;
  private java.util.function.IntToLongFunction pendingGpusByReason = r -> 0;
  private java.util.function.LongSupplier freeGpus;
  private final long[] pendingNow;
  private final long[] pendingIntegral;
  private final double[] idleByReason;
  private double idleNoDemand;

  private final Distribution wait = new Distribution();
  private final Distribution waitWithPending = new Distribution();
  private final Distribution gpuWaitWithPending = new Distribution();
  private Distribution[] tenantGpuWaitWithPending = new Distribution[0];
  private long censoredWaits;
  private long[] tenantCensored = new long[0];
  private double unservedGpuSeconds;
  private double slowdownGpuWeighted = Double.NaN;
  private double slowdownMean = Double.NaN;
  private final Distribution completion = new Distribution();
  private final Distribution[] tenantWait;
  private final Distribution[] tenantCompletion;
  private final Distribution[] sizeWait;
  private final long[] tenantSubmitted;
  private final long[] tenantCompleted;
  private final long[] tenantStarted;
  private long submitted;
  private long started;
  private long completed;
  private long rejected;
  private final TimeSeries series;
  // tenancy: usage within / beyond the reservation, per site, per quarter; preemptions; reservation misses
  public static final long QUARTER_SECONDS = 365L * 86400 / 4;
  private final long[] reserved;
  private final long[] tenantWithin;
  private final long[] tenantBorrowed;
  private final long[][] tenantSiteNow;
  private long[][][] quarterTenantSite = new long[0][][]; // [quarter][tenant][site] GPU-seconds
  private long[][] quarterWithin = new long[0][];
  private long[][] quarterBorrowed = new long[0][];
  private final long[] tenantPreemptions;
  private final double[] tenantPreemptedLostGpuSeconds;
  private final long[] reservationRequests;
  private final long[] reservationMisses;
  private final long[] reservationMaxWait;

  /**
   * @param pendingReasons the names of the kernel's pending reasons, in the order
   *     {@link #watchPending} reads them; each gets a {@code pendingGpus:<name>} column
   */
  public RunMetrics(Fleet fleet, Jobs jobs, List<Tenant> tenants, long sampleIntervalSeconds,
      String[] pendingReasons) {
    this.fleet = fleet;
    this.pendingReasons = pendingReasons.clone();
    this.pendingNow = new long[pendingReasons.length];
    this.pendingIntegral = new long[pendingReasons.length];
    this.idleByReason = new double[pendingReasons.length];
    this.jobs = jobs;
    this.tenants = tenants;
    this.sampleInterval = sampleIntervalSeconds;
    int sites = fleet.siteCount();
    int t = tenants.size();
    siteGpus = new long[sites];
    tenantGpusNow = new long[t];
    siteIntegral = new long[sites];
    tenantIntegral = new long[t];
    siteInterval = new long[sites];
    tenantInterval = new long[t];
    tenantWait = new Distribution[t];
    tenantCompletion = new Distribution[t];
    for (int i = 0; i < t; i++) {
      tenantWait[i] = new Distribution();
      tenantCompletion[i] = new Distribution();
    }
    sizeWait = new Distribution[SIZE_CLASS_MAX.length];
    for (int i = 0; i < sizeWait.length; i++) {
      sizeWait[i] = new Distribution();
    }
    reserved = new long[t];
    for (int i = 0; i < t; i++) {
      reserved[i] = tenants.get(i).reservedGpus();
    }
    tenantWithin = new long[t];
    tenantBorrowed = new long[t];
    tenantSiteNow = new long[t][sites];
    tenantPreemptions = new long[t];
    tenantPreemptedLostGpuSeconds = new double[t];
    reservationRequests = new long[t];
    reservationMisses = new long[t];
    reservationMaxWait = new long[t];
    tenantSubmitted = new long[t];
    tenantCompleted = new long[t];
    tenantStarted = new long[t];
    String[] columns = new String[1 + sites + t + 4 + pendingReasons.length];
    int c = 0;
    columns[c++] = "allocated";
    for (int s = 0; s < sites; s++) {
      columns[c++] = "site:" + fleet.site(s).name();
    }
    for (Tenant tenant : tenants) {
      columns[c++] = "tenant:" + tenant.name();
    }
    columns[c++] = "pendingJobs";
    columns[c++] = "pendingGpus";
    columns[c++] = "runningJobs";
    columns[c++] = "healthy";
    for (String reason : pendingReasons) {
      columns[c++] = "pendingGpus:" + reason;
    }
    series = new TimeSeries(columns);
  }

  /**
   * Reads, at every clock advance, the pending GPUs under each reason (by index into the names
   * given at construction) and the GPUs in service that no job holds: O(reasons) per advance, so
   * both sources must answer in O(1). Without a free-GPU source, idle is the fleet less allocated
   * and down GPUs.
   */
  public void watchPending(java.util.function.IntToLongFunction gpusByReason, java.util.function.LongSupplier free) {
    this.pendingGpusByReason = gpusByReason;
    this.freeGpus = free;
  }

  public long sampleIntervalSeconds() {
    return sampleInterval;
  }

  /** Starts the measured window at {@code t}; {@code carried} jobs are running or queued then. */
  public void startMeasuring(long t, long carried) {
    measuring = true;
    windowStart = t;
    lastTime = t;
    intervalStart = t;
    carriedOver = carried;
  }

  public boolean measuring() {
    return measuring;
  }

  public long windowStart() {
    return windowStart;
  }

  /** Jobs submitted in the warm-up that were still running or queued when measuring began. */
  public long carriedOverJobs() {
    return carriedOver;
  }

  /** Integrates the current allocation up to {@code t}. Call before any change at time t. */
  public void advance(long t) {
    long dt = t - lastTime;
    if (dt <= 0 || !measuring) {
      lastTime = Math.max(lastTime, t);
      return;
    }
    for (int s = 0; s < siteGpus.length; s++) {
      siteIntegral[s] += siteGpus[s] * dt;
      siteInterval[s] += siteGpus[s] * dt;
    }
    for (int i = 0; i < tenantGpusNow.length; i++) {
      tenantIntegral[i] += tenantGpusNow[i] * dt;
      tenantInterval[i] += tenantGpusNow[i] * dt;
    }
    totalIntegral += totalGpusNow * dt;
    totalInterval += totalGpusNow * dt;
    downIntegral += downNow * dt;
    downInterval += downNow * dt;
    integrateLoad(dt);
    integrateTenancy(lastTime, t);
    lastTime = t;
  }

  /**
   * Integrates the pending GPUs by reason and explains the idle GPUs (in service, not allocated):
   * while pending jobs ask for at least as many GPUs as are idle, every idle GPU is held idle by
   * them, shared among the reasons in proportion to the GPUs each holds pending; idle GPUs beyond
   * what is pending have no job waiting for them.
   */
  private void integrateLoad(long dt) {
    long pending = 0;
    for (int r = 0; r < pendingNow.length; r++) {
      pendingNow[r] = pendingGpusByReason.applyAsLong(r);
      pendingIntegral[r] += pendingNow[r] * dt;
      pending += pendingNow[r];
    }
    long idle = freeGpus != null ? freeGpus.getAsLong() : Math.max(0, fleet.totalGpus() - totalGpusNow - downNow);
    long held = Math.min(idle, pending);
    idleNoDemand += (double) (idle - held) * dt;
    if (held > 0) {
      for (int r = 0; r < pendingNow.length; r++) {
        idleByReason[r] += (double) held * pendingNow[r] / pending * dt;
      }
    }
  }

  /** Splits [from, to) at quarter boundaries of the window and integrates tenant usage in each. */
  private void integrateTenancy(long from, long to) {
    long at = from;
    while (at < to) {
      int q = (int) ((at - windowStart) / QUARTER_SECONDS);
      long end = Math.min(to, windowStart + (q + 1) * QUARTER_SECONDS);
      long dt = end - at;
      ensureQuarter(q);
      for (int i = 0; i < tenantGpusNow.length; i++) {
        long within = Math.min(tenantGpusNow[i], reserved[i]) * dt;
        long borrowed = Math.max(0, tenantGpusNow[i] - reserved[i]) * dt;
        tenantWithin[i] += within;
        tenantBorrowed[i] += borrowed;
        quarterWithin[q][i] += within;
        quarterBorrowed[q][i] += borrowed;
        for (int s = 0; s < siteGpus.length; s++) {
          quarterTenantSite[q][i][s] += tenantSiteNow[i][s] * dt;
        }
      }
      at = end;
    }
  }

  private void ensureQuarter(int q) {
    if (q < quarterTenantSite.length) {
      return;
    }
    int n = q + 1;
    quarterTenantSite = java.util.Arrays.copyOf(quarterTenantSite, n);
    quarterWithin = java.util.Arrays.copyOf(quarterWithin, n);
    quarterBorrowed = java.util.Arrays.copyOf(quarterBorrowed, n);
    for (int i = 0; i < n; i++) {
      if (quarterTenantSite[i] == null) {
        quarterTenantSite[i] = new long[tenantGpusNow.length][siteGpus.length];
        quarterWithin[i] = new long[tenantGpusNow.length];
        quarterBorrowed[i] = new long[tenantGpusNow.length];
      }
    }
  }

  /** A job was preempted; its tenant bears {@code lostGpuSeconds} of lost work. */
  public void preempted(int job, double lostGpuSeconds) {
    if (measuring) {
      tenantPreemptions[jobs.tenant(job)]++;
      tenantPreemptedLostGpuSeconds[jobs.tenant(job)] += lostGpuSeconds;
    }
  }

  /** A job asked for GPUs within its tenant's reservation and waited {@code waitSeconds}; a miss if beyond the bound. */
  public void reservationGranted(int job, long waitSeconds, long boundSeconds) {
    if (measuring && jobs.submit(job) >= windowStart) {
      int t = jobs.tenant(job);
      reservationRequests[t]++;
      reservationMaxWait[t] = Math.max(reservationMaxWait[t], waitSeconds);
      if (waitSeconds > boundSeconds) {
        reservationMisses[t]++;
      }
    }
  }

  public long tenantWithinGpuSeconds(int t) {
    return tenantWithin[t];
  }

  public long tenantBorrowedGpuSeconds(int t) {
    return tenantBorrowed[t];
  }

  public int quarters() {
    return quarterTenantSite.length;
  }

  public long quarterTenantSiteGpuSeconds(int q, int t, int s) {
    return quarterTenantSite[q][t][s];
  }

  public long quarterWithinGpuSeconds(int q, int t) {
    return quarterWithin[q][t];
  }

  public long quarterBorrowedGpuSeconds(int q, int t) {
    return quarterBorrowed[q][t];
  }

  public long tenantPreemptions(int t) {
    return tenantPreemptions[t];
  }

  public double tenantPreemptedLostGpuSeconds(int t) {
    return tenantPreemptedLostGpuSeconds[t];
  }

  public long reservationRequests(int t) {
    return reservationRequests[t];
  }

  public long reservationMisses(int t) {
    return reservationMisses[t];
  }

  public long reservationMaxWaitSeconds(int t) {
    return reservationMaxWait[t];
  }

  /** Closes the sample interval ending at {@code t} (after {@link #advance}(t)). */
  public void sample(long t, long pendingJobs, long pendingGpus, long runningJobs) {
    double span = Math.max(1, t - intervalStart);
    double[] row = new double[series.columns().length];
    int c = 0;
    row[c++] = totalInterval / span / fleet.totalGpus();
    for (int s = 0; s < siteGpus.length; s++) {
      row[c++] = siteInterval[s] / span / fleet.siteGpus(s);
      siteInterval[s] = 0;
    }
    for (int i = 0; i < tenantGpusNow.length; i++) {
      row[c++] = tenantInterval[i] / span / fleet.totalGpus();
      tenantInterval[i] = 0;
    }
    row[c++] = pendingJobs;
    row[c++] = pendingGpus;
    row[c++] = runningJobs;
    row[c++] = 1.0 - downInterval / span / fleet.totalGpus();
    for (int r = 0; r < pendingReasons.length; r++) {
      row[c++] = pendingGpusByReason.applyAsLong(r);
    }
    downInterval = 0;
    totalInterval = 0;
    intervalStart = t;
    series.add(t - windowStart, row);
  }

  private boolean inWindow(int job) {
    return measuring && jobs.submit(job) >= windowStart;
  }

  public void submitted(int job) {
    if (measuring) {
      submitted++;
      tenantSubmitted[jobs.tenant(job)]++;
    }
  }

  public void rejected(int job) {
    if (measuring) {
      rejected++;
    }
  }

  public void started(int job, Allocation a, long t) {
    int tenant = jobs.tenant(job);
    if (measuring) {
      started++;
      tenantStarted[tenant]++;
    }
    if (inWindow(job)) {
      long w = t - jobs.submit(job);
      wait.record(w);
      tenantWait[tenant].record(w);
      sizeWait[sizeClass(jobs.gpus(job))].record(w);
    }
    change(a, tenant, +1);
  }

  /** A job that ran before gets GPUs again (after an interruption). */
  public void resumed(int job, Allocation a) {
    change(a, jobs.tenant(job), +1);
  }

  /** A job gives up GPUs without completing (interruption, shrink). */
  public void released(int job, Allocation a) {
    change(a, jobs.tenant(job), -1);
  }

  /** GPUs out of service from now on (call after {@link #advance}). */
  public void setDown(long gpus) {
    downNow = gpus;
  }

  /** Average fraction of the fleet in service over the measured window so far. */
  public double healthyFraction() {
    long span = lastTime - windowStart;
    return span <= 0 ? 1.0 : 1.0 - (double) downIntegral / span / fleet.totalGpus();
  }

  public void finished(int job, Allocation a, long t) {
    int tenant = jobs.tenant(job);
    if (measuring) {
      completed++;
      tenantCompleted[tenant]++;
    }
    if (inWindow(job)) {
      long jct = t - jobs.submit(job);
      completion.record(jct);
      tenantCompletion[tenant].record(jct);
    }
    change(a, tenant, -1);
  }

  private void change(Allocation a, int tenant, int sign) {
    for (int s = 0; s < siteGpus.length; s++) {
      siteGpus[s] += sign * (long) a.gpusOnSite(s);
      tenantSiteNow[tenant][s] += sign * (long) a.gpusOnSite(s);
    }
    tenantGpusNow[tenant] += sign * (long) a.gpus();
    totalGpusNow += sign * (long) a.gpus();
  }

  public static int sizeClass(int gpus) {
    int i = 0;
    while (gpus > SIZE_CLASS_MAX[i]) {
      i++;
    }
    return i;
  }

  /**
   * At the end of the run: the waits of the jobs submitted in the window, counting each job still
   * pending with its age at {@code end} (censored: it will wait at least that long), per job and
   * weighted by GPUs, overall and per tenant; the GPU-hours asked for by jobs never started
   * (pending or rejected: their GPUs × run time); and the wait-based bounded slowdown
   * (wait + run time) ÷ max(run time, 10 s), mean and GPU-weighted mean. O(jobs), once.
   */
  public void closeWaits(long end) {
    tenantGpuWaitWithPending = new Distribution[tenants.size()];
    tenantCensored = new long[tenants.size()];
    for (int i = 0; i < tenants.size(); i++) {
      tenantGpuWaitWithPending[i] = new Distribution();
    }
    double slowdown = 0;
    double weighted = 0;
    double gpus = 0;
    long n = 0;
    for (int j = 0; j < jobs.size() && jobs.submit(j) < end; j++) {
      if (jobs.submit(j) < windowStart) {
        continue;
      }
      if (jobs.rejected(j)) {
        unservedGpuSeconds += (double) jobs.gpus(j) * jobs.durationSeconds(j);
        continue;
      }
      long w;
      if (jobs.start(j) >= 0) {
        w = jobs.start(j) - jobs.submit(j);
      } else {
        w = end - jobs.submit(j);
        censoredWaits++;
        tenantCensored[jobs.tenant(j)]++;
        unservedGpuSeconds += (double) jobs.gpus(j) * jobs.durationSeconds(j);
      }
      waitWithPending.record(w);
      gpuWaitWithPending.record(w, jobs.gpus(j));
      tenantGpuWaitWithPending[jobs.tenant(j)].record(w, jobs.gpus(j));
      double s = (double) (w + jobs.durationSeconds(j)) / Math.max(jobs.durationSeconds(j), SLOWDOWN_FLOOR_SECONDS);
      slowdown += s;
      weighted += s * jobs.gpus(j);
      gpus += jobs.gpus(j);
      n++;
    }
    slowdownMean = n == 0 ? Double.NaN : slowdown / n;
    slowdownGpuWeighted = n == 0 ? Double.NaN : weighted / gpus;
  }

  /** Bounded slowdown's floor on run time, so seconds-long jobs do not dominate (Feitelson's τ = 10 s). */
  public static final long SLOWDOWN_FLOOR_SECONDS = 10;

  /** Waits of started jobs and ages of pending ones (censored), per job. After {@link #closeWaits}. */
  public Distribution waitsWithPending() {
    return waitWithPending;
  }

  /** The same, each job counted once per GPU. After {@link #closeWaits}. */
  public Distribution gpuWeightedWaitsWithPending() {
    return gpuWaitWithPending;
  }

  public Distribution tenantGpuWeightedWaitsWithPending(int t) {
    return tenantGpuWaitWithPending[t];
  }

  /** Tenant {@code t}'s jobs of the window never started by the end (their waits are censored). */
  public long tenantCensoredWaits(int t) {
    return tenantCensored[t];
  }

  private long[] tenantPendingAtEnd = new long[0];

  /** Each tenant's jobs in the queue at the end (from the warm-up, the window, or requeued). */
  public void pendingAtEnd(long[] byTenant) {
    tenantPendingAtEnd = byTenant.clone();
  }

  public long tenantPendingAtEnd(int t) {
    return t < tenantPendingAtEnd.length ? tenantPendingAtEnd[t] : 0;
  }

  /** Jobs of the window still pending at the end, whose wait is their age. */
  public long censoredWaits() {
    return censoredWaits;
  }

  /** GPU-seconds asked for by the window's jobs that never started (pending at the end or rejected). */
  public double unservedGpuSeconds() {
    return unservedGpuSeconds;
  }

  public double slowdownMean() {
    return slowdownMean;
  }

  public double slowdownGpuWeightedMean() {
    return slowdownGpuWeighted;
  }

  public String[] pendingReasonNames() {
    return pendingReasons.clone();
  }

  /** Pending GPU-seconds under reason {@code r}, integrated over the window. */
  public long pendingGpuSeconds(int r) {
    return pendingIntegral[r];
  }

  /** Idle GPU-seconds held idle by jobs pending for reason {@code r} (see {@link #integrateLoad}). */
  public double idleGpuSeconds(int r) {
    return idleByReason[r];
  }

  /** Idle GPU-seconds with no job waiting for them. */
  public double idleNoDemandGpuSeconds() {
    return idleNoDemand;
  }

  /** GPU-seconds out of service over the window. */
  public long downGpuSeconds() {
    return downIntegral;
  }

  // ---- results ----

  public long submittedJobs() {
    return submitted;
  }

  public long startedJobs() {
    return started;
  }

  public long completedJobs() {
    return completed;
  }

  public long rejectedJobs() {
    return rejected;
  }

  public long tenantSubmitted(int t) {
    return tenantSubmitted[t];
  }

  public long tenantStarted(int t) {
    return tenantStarted[t];
  }

  public long tenantCompleted(int t) {
    return tenantCompleted[t];
  }

  public long allocatedGpuSeconds() {
    return totalIntegral;
  }

  public long siteGpuSeconds(int s) {
    return siteIntegral[s];
  }

  public long tenantGpuSeconds(int t) {
    return tenantIntegral[t];
  }

  public Distribution waits() {
    return wait;
  }

  public Distribution completions() {
    return completion;
  }

  public Distribution tenantWaits(int t) {
    return tenantWait[t];
  }

  public Distribution tenantCompletions(int t) {
    return tenantCompletion[t];
  }

  public Distribution sizeClassWaits(int c) {
    return sizeWait[c];
  }

  public TimeSeries series() {
    return series;
  }

  public List<Tenant> tenants() {
    return tenants;
  }
}
