package dev.superfactory.sim;

import dev.superfactory.econ.Economics;
import dev.superfactory.econ.Usage;
import dev.superfactory.input.InputException;
import dev.superfactory.metrics.ReliabilityMetrics;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.random.RandomStreams;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.reliability.CheckpointPlanner;
import dev.superfactory.sched.JobRequest;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.sched.QueuePolicy;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sched.SchedulerListener;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The discrete-event loop that drives the scheduler kernel ({@link Scheduler}) with a virtual
 * clock in whole seconds: job arrivals read in submit order from the job table, everything else
 * (job ends, failures, repairs, detections, maintenance; {@link EventKind}) in an
 * {@link EventQueue}, and metric samples at a fixed interval. The loop and {@link FailureSource}
 * decide <em>when</em> things happen and send the kernel the same commands a live service would;
 * the kernel decides what follows and reports it to {@link TwinBookkeeping}. Single-threaded and
 * deterministic: same scenario and seed, same result.
 *
 * <p>At each distinct time the loop (1) closes any sample intervals that ended, (2) integrates
 * the metrics up to now, (3) handles the queued events due now in kind order, (4) submits the
 * jobs that arrive now, and (5) runs one scheduling pass. Cost per event: O(log n) for the queue
 * plus the kernel's command and incremental pass; arrivals need no heap at all; failures keep one
 * pending event per cause.
 */
public final class Simulation {
  private static final PendingReason[] PENDING_REASONS = PendingReason.values();
  /** The kernel's pending reasons as results name them: {@code tenant-limit}, … */
  public static final String[] PENDING_REASON_NAMES = java.util.Arrays.stream(PENDING_REASONS)
      .map(Simulation::reasonName).toArray(String[]::new);

  /** A pending reason's name in results: {@code TENANT_LIMIT} is {@code tenant-limit}. */
  public static String reasonName(PendingReason r) {
    return r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
  private final Scenario scenario;
  private Progress progress = Progress.NONE;
  private boolean checkInvariants;
  private SchedulerListener watcher;
  private long sampleEverySeconds;
  private long sampleUntilSeconds;
  private Sampler sampler;

  /** Receives a fork of the kernel at each sample time ({@link #sample}). */
  @FunctionalInterface
  public interface Sampler {
    /**
     * @param atSeconds the sample time, a multiple of the interval; every event at or before it has
     *     been handled and its pass run, none after it
     * @param fork a deep copy of the kernel ({@link Scheduler#fork}); its clock is the latest event
     *     time, at or before {@code atSeconds}. The callback may drive it; the run never sees it
     */
    void sample(long atSeconds, Scheduler fork);
  }

  public Simulation(Scenario scenario) {
    this.scenario = scenario;
  }

  public Simulation progress(Progress p) {
    this.progress = p;
    return this;
  }

  /**
   * Reports every decision of the kernel to {@code listener} too, after the twin's bookkeeping has
   * booked it (null: none). It watches only: it must not call the kernel.
   */
  public Simulation watch(SchedulerListener listener) {
    this.watcher = listener;
    return this;
  }

  /**
   * Hands {@code sampler} a fork of the kernel at every multiple of {@code everySeconds} of
   * simulated time in the measured window ([warm-up, horizon)), between events: after the pass of
   * the latest event time at or before it. The run cannot be moved by the callback: it gets a copy
   * that reports to no one. Cost: one {@link Scheduler#fork} per sample (O(state): 20–40 ms on
   * fairwater full) plus the callback; nothing when not set (the run is unchanged either way).
   */
  public Simulation sample(long everySeconds, Sampler sampler) {
    return sample(everySeconds, Long.MAX_VALUE, sampler);
  }

  /** As {@link #sample(long, Sampler)}, with no sample at or after {@code untilSeconds}. */
  public Simulation sample(long everySeconds, long untilSeconds, Sampler sampler) {
    if (everySeconds <= 0) {
      throw new IllegalArgumentException("everySeconds must be > 0, got " + everySeconds);
    }
    this.sampleEverySeconds = everySeconds;
    this.sampleUntilSeconds = untilSeconds;
    this.sampler = java.util.Objects.requireNonNull(sampler, "sampler");
    return this;
  }

  /** Check every invariant after every event and scheduling pass (slow; for tests). */
  public Simulation checkInvariants(boolean on) {
    this.checkInvariants = on;
    return this;
  }

  public SimulationResult run() {
    Workload workload = Workload.of(scenario);
    return run(workload.jobs(), workload.tenants());
  }

  /** Runs the given jobs (their outcome columns are reset first). */
  public SimulationResult run(Jobs jobs, List<Tenant> tenants) {
    try (HeapSampler heap = HeapSampler.start()) {
      return new Run(jobs, tenants).execute().withPeakHeapBytes(heap.stop());
    }
  }

  /** One run: the kernel, the twin's bookkeeping of its reports, and the event sources that drive it. */
  private final class Run {
    private final Jobs jobs;
    private final List<Tenant> tenants;
    private final long warmup = scenario.effectiveWarmupSeconds();
    private final long horizon = warmup + scenario.horizonSeconds(); // the clock's end
    private final RunMetrics metrics;
    private final ReliabilityMetrics reliabilityMetrics;
    private final EventQueue queue = new EventQueue();
    private final JobRuns runs;
    private final Scheduler kernel;
    private final TwinBookkeeping books;
    private final FailureSource failures;
    private long events;
    private long nextSnapshot = Long.MAX_VALUE;

    Run(Jobs jobs, List<Tenant> tenants) {
      this.jobs = jobs;
      this.tenants = tenants;
      if (horizon > EventQueue.MAX_TIME) {
        throw new InputException("horizon " + horizon + " s is longer than the supported 68 years");
      }
      if (jobs.size() > EventQueue.MAX_PAYLOAD + 1) {
        throw new InputException(jobs.size() + " jobs are more than the supported " + (EventQueue.MAX_PAYLOAD + 1));
      }
      jobs.resetOutcome();
      requireTraceJobsInWindow(jobs);
      metrics = new RunMetrics(scenario.fleet(), jobs, tenants, scenario.effectiveSampleIntervalSeconds(),
          PENDING_REASON_NAMES);
      ReliabilitySpec spec = scenario.reliability();
      reliabilityMetrics = new ReliabilityMetrics(FailureSource.causeNames(spec), tenants.size(),
          scenario.horizonSeconds());
      reliabilityMetrics.providerCauses(FailureSource.providerCauses(spec));
      runs = new JobRuns(jobs.size(), spec.checkpoint());
      for (int j = 0; j < jobs.size(); j++) {
        runs.init(j, jobs.durationSeconds(j));
      }
      PerfSpeeds speeds = new PerfSpeeds(scenario.fleet(), scenario.models());
      Segments segments = new Segments(jobs, runs, reliabilityMetrics,
          new CheckpointPlanner(scenario.fleet(), spec), spec, speeds, queue);
      books = new TwinBookkeeping(jobs, tenants, runs, segments, metrics, reliabilityMetrics, spec, queue);
      QueuePolicy policy = scenario.scheduler().newPolicy(job -> jobs.durationSeconds((int) job));
      kernel = new Scheduler(scenario.fleet(), tenants, policy, new Scheduler.Options(spec.shrinkOnWanCut(),
          scenario.scheduler().siteChoice()), watcher == null ? books : books.andThen(watcher));
      kernel.progress(segments);
      metrics.watchPending(r -> kernel.pendingGpus(PENDING_REASONS[r]), () -> kernel.fleetState().freeGpus());
      failures = new FailureSource(scenario.fleet(), kernel, metrics, reliabilityMetrics, queue, spec,
          new RandomStreams(scenario.seed()));
      books.failures(failures);
    }

    /** A replayed trace none of whose jobs is submitted in the measured window would measure nothing. */
    private void requireTraceJobsInWindow(Jobs jobs) {
      if (jobs.traceInfo() == null || jobs.size() == 0) {
        return;
      }
      for (int j = 0; j < jobs.size(); j++) {
        if (jobs.submit(j) >= warmup && jobs.submit(j) < horizon) {
          return;
        }
      }
      throw new InputException(String.format(java.util.Locale.ROOT,
          "%s: none of its %d jobs is submitted in the measured window (day %s to day %s, after %s days of warm-up):"
              + " they are submitted from day %s to day %s; change --warmup or --days",
          jobs.traceInfo().source(), jobs.size(), days(warmup), days(horizon), days(warmup), days(jobs.submit(0)),
          days(jobs.submit(jobs.size() - 1))));
    }

    private String days(long seconds) {
      return String.format(java.util.Locale.ROOT, "%.1f", seconds / 86400.0);
    }

    private void onFinish(int job, long t) {
      if (runs.finishAt[job] == t) {
        kernel.finish(job, t);
      } // else an interruption, a stall or a shrink made this end stale
    }

    /** An interrupted job's detection (or hot-spare swap) is over: the kernel restarts or requeues it. */
    private void onRecovered(int job, long t) {
      books.detectionOver(job, kernel.allocation(job).gpus(), t);
      kernel.recover(job, t);
    }

    private void startMeasuring() {
      metrics.advance(warmup);
      metrics.startMeasuring(warmup, kernel.runningCount() + kernel.pendingCount());
      metrics.setDown(kernel.fleetState().downGpus());
      reliabilityMetrics.startMeasuring(warmup);
    }

    SimulationResult execute() {
      long wallStart = System.nanoTime();
      failures.start(0);
      long interval = metrics.sampleIntervalSeconds();
      long nextSample = warmup + interval;
      boolean measuring = false;
      int nextJob = 0;
      int n = jobs.size();
      long nextProgressCheck = 1 << 16;
      long lastProgressNanos = System.nanoTime();
      if (sampler != null) {
        nextSnapshot = (warmup + sampleEverySeconds - 1) / sampleEverySeconds * sampleEverySeconds;
      }
      while (true) {
        long arrival = nextJob < n ? jobs.submit(nextJob) : Long.MAX_VALUE;
        long t = Math.min(arrival, queue.peekTime());
        snapshotsBefore(Math.min(t, Math.min(horizon, sampleUntilSeconds)));
        if (t >= horizon) {
          break;
        }
        if (!measuring && t >= warmup) {
          startMeasuring();
          measuring = true;
        }
        while (nextSample <= t) {
          sample(nextSample);
          nextSample += interval;
        }
        metrics.advance(t);
        while (queue.peekTime() == t) {
          dispatch(queue.pop(), t);
          events++;
          check();
        }
        while (nextJob < n && jobs.submit(nextJob) == t) {
          metrics.submitted(nextJob);
          kernel.submit(nextJob, request(nextJob), t);
          nextJob++;
          events++;
        }
        kernel.schedule(t);
        check();
        if (events >= nextProgressCheck) {
          nextProgressCheck = events + (1 << 16);
          long nowNanos = System.nanoTime();
          if (nowNanos - lastProgressNanos > 100_000_000L) {
            lastProgressNanos = nowNanos;
            progress.update(t, horizon, events);
          }
        }
      }
      if (!measuring) {
        startMeasuring();
      }
      while (nextSample <= horizon) {
        sample(nextSample);
        nextSample += interval;
      }
      metrics.advance(horizon);
      metrics.closeWaits(horizon);
      closeRunning();
      books.closeRequeued(horizon, j -> kernel.pendingReason(j) != null);
      kernel.fleetState().checkInvariants();
      kernel.checkInvariants();
      return result(nextJob, (System.nanoTime() - wallStart) / 1e9);
    }

    /** The samples due before {@code t}, the next event time: each gets its own fork. */
    private void snapshotsBefore(long t) {
      while (nextSnapshot < t) {
        sampler.sample(nextSnapshot, kernel.fork((job, allocation, now) -> { }));
        nextSnapshot += sampleEverySeconds;
      }
    }

    /** After every event and pass when asked (tests): the fleet state and the kernel check themselves. */
    private void check() {
      if (checkInvariants) {
        kernel.fleetState().checkInvariants();
        kernel.checkInvariants();
      }
    }

    private JobRequest request(int j) {
      return new JobRequest(jobs.tenant(j), jobs.gpus(j), jobs.scaleUpGroup(j), jobs.spanSites(j),
          jobs.expectedSeconds(j));
    }

    private void sample(long at) {
      metrics.advance(at);
      metrics.sample(at, kernel.pendingCount(), kernel.pendingGpus(), kernel.runningCount());
      events++;
    }

    /** Books the GPU time of the jobs still holding GPUs at the horizon, in job order. */
    private void closeRunning() {
      it.unimi.dsi.fastutil.longs.LongArrayList holding = new it.unimi.dsi.fastutil.longs.LongArrayList();
      kernel.forEachRunning(holding::add);
      long[] ids = holding.toLongArray();
      java.util.Arrays.sort(ids);
      for (long id : ids) {
        books.closeAt((int) id, kernel.allocation(id).gpus(), kernel.state(id), horizon);
      }
    }

    private SimulationResult result(int submitted, double wall) {
      for (int j = 0; j < submitted; j++) {
        if (books.withinReservation(j) && jobs.start(j) < 0 && !jobs.rejected(j)) {
          metrics.reservationGranted(j, horizon - jobs.submit(j),
              tenants.get(jobs.tenant(j)).contract().reclaimWithinSeconds());
        }
      }
      Map<PendingReason, Integer> reasons = new EnumMap<>(PendingReason.class);
      long[] pendingByTenant = new long[tenants.size()];
      for (int j = 0; j < submitted; j++) {
        PendingReason r = kernel.pendingReason(j);
        if (r != null) {
          reasons.merge(r, 1, Integer::sum);
          pendingByTenant[jobs.tenant(j)]++;
        }
      }
      metrics.pendingAtEnd(pendingByTenant);
      progress.update(horizon, horizon, events);
      long in = metrics.carriedOverJobs() + metrics.submittedJobs();
      long accounted = metrics.completedJobs() + kernel.runningCount() + kernel.pendingCount()
          + metrics.rejectedJobs();
      if (in != accounted) {
        throw new IllegalStateException("carried over + submitted = " + in
            + " jobs but completed + running + pending + rejected = " + accounted);
      }
      return new SimulationResult(scenario, List.copyOf(tenants), jobs, metrics, reliabilityMetrics,
          new JobOutcomes(runs.interruptions, runs.allocatedSeconds, runs.lostSeconds),
          kernel.runningCount(), kernel.pendingCount(), reasons, kernel.preemptions(), economics(), events,
          wall, 0);
    }

    private Economics.Result economics() {
      int q = metrics.quarters();
      long[][][] byQts = new long[q][tenants.size()][scenario.fleet().siteCount()];
      long[][] within = new long[q][tenants.size()];
      long[][] borrowed = new long[q][tenants.size()];
      for (int i = 0; i < q; i++) {
        for (int t = 0; t < tenants.size(); t++) {
          within[i][t] = metrics.quarterWithinGpuSeconds(i, t);
          borrowed[i][t] = metrics.quarterBorrowedGpuSeconds(i, t);
          for (int s = 0; s < scenario.fleet().siteCount(); s++) {
            byQts[i][t][s] = metrics.quarterTenantSiteGpuSeconds(i, t, s);
          }
        }
      }
      double[] downtime = new double[tenants.size()];
      for (int t = 0; t < tenants.size(); t++) {
        downtime[t] = reliabilityMetrics.tenantProviderDowntimeGpuSeconds(t);
      }
      Usage usage = new Usage(scenario.horizonSeconds(), byQts, within, borrowed, downtime);
      return Economics.evaluate(scenario.fleet(), tenants, scenario.economics(), usage);
    }

    private void dispatch(long key, long t) {
      int payload = EventQueue.payload(key);
      switch (EventQueue.kind(key)) {
        case FINISH:
          onFinish(payload, t);
          break;
        case REPAIR:
          failures.onRepair(payload, t);
          break;
        case SWAPPED:
        case DETECTED:
          onRecovered(payload, t);
          break;
        case FAILURE:
          failures.onFailure(payload, t);
          break;
        case MAINT_START:
          failures.onMaintenanceStart(payload, t);
          break;
        default:
          throw new IllegalStateException("unknown event kind " + EventQueue.kind(key));
      }
    }
  }
}
