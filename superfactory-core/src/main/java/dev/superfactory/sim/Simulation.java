package dev.superfactory.sim;

import dev.superfactory.econ.Economics;
import dev.superfactory.econ.Usage;
import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.input.InputException;
import dev.superfactory.metrics.ReliabilityMetrics;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.random.RandomStreams;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.NativeTrace;
import dev.superfactory.workload.SyntheticGenerator;
import dev.superfactory.workload.Tenant;
import dev.superfactory.workload.TraceInfo;
import dev.superfactory.workload.TraceSource;
import dev.superfactory.workload.openb.OpenbTrace;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The discrete-event loop: a virtual clock in whole seconds, job arrivals read in submit order
 * from the job table, everything else (job ends, failures, repairs, detections, maintenance) in
 * an {@link EventQueue}, and metric samples at a fixed interval. Single-threaded and
 * deterministic: same scenario and seed, same result.
 *
 * <p>At each distinct time the loop (1) closes any sample intervals that ended, (2) integrates
 * the metrics up to now, (3) handles the queued events due now in kind order (job ends first,
 * then repairs, detections, failures, maintenance), (4) submits the jobs that arrive now, and
 * (5) runs one scheduling pass. Cost per event: O(log n) for the queue plus the scheduler's
 * incremental pass; arrivals need no heap at all; failures keep one pending event per cause.
 */
public final class Simulation {
  // event kinds, in the order same-time events are handled
  static final int FINISH = 0;
  static final int REPAIR = 1;
  static final int SWAPPED = 2;
  static final int DETECTED = 3;
  static final int FAILURE = 4;
  static final int MAINT_START = 5;

  private final Scenario scenario;
  private Progress progress = Progress.NONE;
  private boolean checkInvariants;

  public Simulation(Scenario scenario) {
    this.scenario = scenario;
  }

  public Simulation progress(Progress p) {
    this.progress = p;
    return this;
  }

  /** Check every invariant after every scheduling pass (slow; for tests). */
  public Simulation checkInvariants(boolean on) {
    this.checkInvariants = on;
    return this;
  }

  /** Builds the run's jobs: the trace if one is given (sped up as asked), else the synthetic generator. */
  public static Jobs workload(Scenario scenario, List<Tenant> tenants) {
    Jobs jobs = readOrGenerate(scenario, tenants);
    double speedup = scenario.workload().traceSpeedup();
    return scenario.workload().trace() != null && speedup != 1.0 ? jobs.withSubmitsScaled(speedup) : jobs;
  }

  private static Jobs readOrGenerate(Scenario scenario, List<Tenant> tenants) {
    TraceSource trace = scenario.workload().trace();
    if (trace != null) {
      if (trace.format().equals("openb")) {
        OpenbTrace.Result r = OpenbTrace.read(trace.path(), tenants,
            OpenbTrace.Options.defaults().withTenantGpuLimit(scenario.fleet().totalGpus()));
        if (tenants.isEmpty()) {
          tenants.addAll(r.tenants());
        }
        Map<String, Long> skipped = new java.util.LinkedHashMap<>();
        r.skipped().forEach((reason, n) -> skipped.put(reason.key(), n));
        r.jobs().setTraceInfo(new TraceInfo(trace.toString(), r.rows(), r.jobs().size(), skipped, r.notes()));
        return r.jobs();
      }
      Jobs jobs = NativeTrace.read(trace.path(), tenants, scenario.fleet().totalGpus(),
          new PerfSpeeds(scenario.fleet(), scenario.models()));
      jobs.setTraceInfo(new TraceInfo(trace.toString(), jobs.size(), jobs.size(), Map.of(), List.of()));
      return jobs;
    }
    int largestSite = 0;
    for (int s = 0; s < scenario.fleet().siteCount(); s++) {
      largestSite = Math.max(largestSite, scenario.fleet().siteGpus(s));
    }
    SyntheticGenerator generator = new SyntheticGenerator(scenario.workload(), tenants,
        scenario.fleet().totalGpus(), largestSite, new PerfSpeeds(scenario.fleet(), scenario.models()));
    return generator.generate(scenario.effectiveWarmupSeconds() + scenario.horizonSeconds(),
        new RandomStreams(scenario.seed()));
  }

  /** The tenants a run starts with: the scenario's, or none (to be taken from a trace) if it only has the implicit default. */
  public static List<Tenant> initialTenants(Scenario scenario) {
    List<Tenant> tenants = new ArrayList<>(scenario.tenants());
    TraceSource trace = scenario.workload().trace();
    boolean implicit = tenants.size() == 1 && tenants.get(0).name().equals("default");
    if (trace != null && implicit) {
      tenants.clear();
    }
    if (trace != null && trace.format().equals("openb")
        && tenants.stream().noneMatch(t -> t.name().equals("ls") || t.name().equals("be"))) {
      tenants.clear(); // the trace's tenants are its QoS classes
    }
    return tenants;
  }

  public SimulationResult run() {
    List<Tenant> tenants = initialTenants(scenario);
    Jobs jobs = workload(scenario, tenants);
    return run(jobs, tenants);
  }

  /** Runs the given jobs (their outcome columns are reset first). */
  public SimulationResult run(Jobs jobs, List<Tenant> tenants) {
    try (HeapSampler heap = HeapSampler.start()) {
      return new Run(jobs, tenants).execute().withPeakHeapBytes(heap.stop());
    }
  }

  /** One run's state and event handlers. */
  private final class Run {
    private final Jobs jobs;
    private final List<Tenant> tenants;
    private final long warmup = scenario.effectiveWarmupSeconds();
    private final long horizon = warmup + scenario.horizonSeconds(); // the clock's end
    private final FleetState state = new FleetState(scenario.fleet());
    private final RunMetrics metrics;
    private final ReliabilityMetrics reliabilityMetrics;
    private final EventQueue queue = new EventQueue();
    private final JobRuns runs;
    private final Scheduler scheduler;
    private final ReliabilityEngine engine;
    private final PerfSpeeds speeds = new PerfSpeeds(scenario.fleet(), scenario.models());
    private final boolean[] withinReservation;
    private long events;

    Run(Jobs jobs, List<Tenant> tenants) {
      this.jobs = jobs;
      this.tenants = tenants;
      if (horizon > EventQueue.MAX_TIME) {
        throw new InputException("horizon " + horizon + " s is longer than the supported 68 years");
      }
      jobs.resetOutcome();
      withinReservation = new boolean[jobs.size()];
      metrics = new RunMetrics(scenario.fleet(), jobs, tenants, scenario.effectiveSampleIntervalSeconds());
      ReliabilitySpec spec = scenario.reliability();
      reliabilityMetrics = new ReliabilityMetrics(ReliabilityEngine.causeNames(spec), tenants.size(),
          scenario.horizonSeconds());
      runs = new JobRuns(jobs.size(), spec.checkpoint());
      for (int j = 0; j < jobs.size(); j++) {
        runs.init(j, jobs.durationSeconds(j));
      }
      scheduler = new Scheduler(state, jobs, tenants, scenario.scheduler().newPolicy(), new Scheduler.Listener() {
        @Override
        public void started(int job, Allocation a, long now) {
          onStarted(job, a, now);
        }

        @Override
        public void rejected(int job, PendingReason reason, long now) {
          metrics.rejected(job);
          jobs.setRejected(job);
        }

        @Override
        public void preempted(int job, Allocation a, int byJob, long now) {
          metrics.advance(now);
          double lostWork = engine.onPreempted(job, now);
          metrics.released(job, a);
          metrics.preempted(job, a.gpus() * lostWork / Math.max(1e-9, runs.speed[job]));
        }
      });
      scheduler.progress(new dev.superfactory.sched.JobProgress() {
        @Override
        public double lostGpuSecondsIfStopped(int job, long now) {
          double e = now - runs.segmentStart[job];
          return jobs.gpus(job) * (runs.workAt(job, e) - runs.durableAt(job, e));
        }

        @Override
        public double attainedGpuSeconds(int job, long now) {
          double held = runs.allocatedSeconds[job];
          if (scheduler.isRunning(job) && runs.finishAt[job] >= 0) {
            held += now - runs.segmentStart[job];
          }
          return jobs.gpus(job) * held;
        }

        @Override
        public boolean canPreempt(int job) {
          return engine.canPreempt(job);
        }
      });
      engine = new ReliabilityEngine(scenario.fleet(), state, scheduler, jobs, runs, metrics, reliabilityMetrics,
          queue, spec, new RandomStreams(scenario.seed()), speeds);
      engine.restarter(this::startSegment);
    }

    private void onStarted(int job, Allocation a, long now) {
      if (jobs.start(job) < 0) {
        jobs.setStart(job, now);
        metrics.started(job, a, now);
        if (withinReservation[job]) {
          metrics.reservationGranted(job, now - jobs.submit(job),
              tenants.get(jobs.tenant(job)).contract().reclaimWithinSeconds());
        }
      } else {
        metrics.resumed(job, a);
      }
      engine.onStart(job, a, now);
      startSegment(job, a, now);
    }

    /**
     * Starts a run segment on {@code a}: its speed from the placement, its checkpoint interval,
     * the restart overhead if it ran before, and its end event. Used for starts from the queue
     * and for restarts in place after a failure or a hot-spare swap.
     */
    private void startSegment(int job, Allocation a, long now) {
      jobs.setPlacement(job, a.gpusBySite());
      String model = jobs.model(job);
      runs.speed[job] = model == null ? 1.0 : speeds.speed(model, jobs.gpus(job), a);
      double[] cp = engine.checkpointFor(job, a);
      long end = runs.start(job, now, engine.restartOverhead(job, a), cp[0], cp[1]);
      if (end <= EventQueue.MAX_TIME) {
        queue.push(end, FINISH, job);
      }
    }

    private void onFinish(int job, long t) {
      if (runs.finishAt[job] != t || !scheduler.isRunning(job)) {
        return; // an interruption or a stall made this end stale
      }
      Allocation a = scheduler.allocation(job);
      engine.endSegment(job, t, true, false, ReliabilityEngine.NO_CAUSE);
      metrics.finished(job, a, t);
      engine.onRelease(job);
      scheduler.finish(job, t);
      jobs.setEnd(job, t);
    }

    private void startMeasuring() {
      metrics.advance(warmup);
      metrics.startMeasuring(warmup, scheduler.runningCount() + scheduler.pendingCount());
      metrics.setDown(state.downGpus());
      reliabilityMetrics.startMeasuring(warmup);
    }

    SimulationResult execute() {
      long wallStart = System.nanoTime();
      engine.start(0);
      long interval = metrics.sampleIntervalSeconds();
      long nextSample = warmup + interval;
      boolean measuring = false;
      int nextJob = 0;
      int n = jobs.size();
      long nextProgressCheck = 1 << 16;
      long lastProgressNanos = System.nanoTime();
      while (true) {
        long arrival = nextJob < n ? jobs.submit(nextJob) : Long.MAX_VALUE;
        long t = Math.min(arrival, queue.peekTime());
        if (t >= horizon) {
          break;
        }
        if (!measuring && t >= warmup) {
          startMeasuring();
          measuring = true;
        }
        while (nextSample <= t) {
          metrics.advance(nextSample);
          metrics.sample(nextSample, scheduler.pendingCount(), scheduler.pendingGpus(), scheduler.runningCount());
          nextSample += interval;
          events++;
        }
        metrics.advance(t);
        while (queue.peekTime() == t) {
          dispatch(queue.pop(), t);
          events++;
        }
        while (nextJob < n && jobs.submit(nextJob) == t) {
          metrics.submitted(nextJob);
          int tenant = jobs.tenant(nextJob);
          withinReservation[nextJob] = scheduler.tenantGpus(tenant) + jobs.gpus(nextJob)
              <= tenants.get(tenant).reservedGpus();
          scheduler.submit(nextJob, t);
          nextJob++;
          events++;
        }
        scheduler.schedule(t);
        if (checkInvariants) {
          state.checkInvariants();
          scheduler.checkInvariants();
          engine.checkInvariants();
        }
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
        metrics.advance(nextSample);
        metrics.sample(nextSample, scheduler.pendingCount(), scheduler.pendingGpus(), scheduler.runningCount());
        nextSample += interval;
        events++;
      }
      metrics.advance(horizon);
      engine.closeAt(horizon);
      state.checkInvariants();
      scheduler.checkInvariants();
      for (int j = 0; j < nextJob; j++) {
        if (withinReservation[j] && jobs.start(j) < 0 && !jobs.rejected(j)) {
          metrics.reservationGranted(j, horizon - jobs.submit(j),
              tenants.get(jobs.tenant(j)).contract().reclaimWithinSeconds());
        }
      }
      Map<PendingReason, Integer> reasons = new EnumMap<>(PendingReason.class);
      for (int j = 0; j < nextJob; j++) {
        if (scheduler.isPending(j)) {
          PendingReason r = scheduler.reason(j);
          if (r == PendingReason.NEW && scheduler.reservation() != null) {
            r = PendingReason.BEHIND_HEAD;
          }
          reasons.merge(r, 1, Integer::sum);
        }
      }
      progress.update(horizon, horizon, events);
      long in = metrics.carriedOverJobs() + metrics.submittedJobs();
      long accounted = metrics.completedJobs() + scheduler.runningCount() + scheduler.pendingCount()
          + metrics.rejectedJobs();
      if (in != accounted) {
        throw new IllegalStateException("carried over + submitted = " + in
            + " jobs but completed + running + pending + rejected = " + accounted);
      }
      double wall = (System.nanoTime() - wallStart) / 1e9;
      return new SimulationResult(scenario, List.copyOf(tenants), jobs, metrics, reliabilityMetrics,
          new JobOutcomes(runs.interruptions, runs.allocatedSeconds, runs.lostSeconds),
          scheduler.runningCount(), scheduler.pendingCount(), reasons, scheduler.preemptions(), economics(), events,
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
      Usage usage = new Usage(scenario.horizonSeconds(), byQts, within, borrowed);
      return Economics.evaluate(scenario.fleet(), tenants, scenario.economics(), usage);
    }

    private void dispatch(long key, long t) {
      int payload = EventQueue.payload(key);
      switch (EventQueue.kind(key)) {
        case FINISH:
          onFinish(payload, t);
          break;
        case REPAIR:
          engine.onRepair(payload, t);
          break;
        case SWAPPED:
          engine.onSwapped(payload, t);
          break;
        case DETECTED:
          engine.onDetected(payload, t);
          break;
        case FAILURE:
          engine.onFailure(payload, t);
          break;
        case MAINT_START:
          engine.onMaintenanceStart(payload, t);
          break;
        default:
          throw new IllegalStateException("unknown event kind " + EventQueue.kind(key));
      }
    }
  }
}
