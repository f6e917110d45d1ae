package dev.superfactory.sim;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.WanLink;
import dev.superfactory.metrics.ReliabilityMetrics;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.random.RandomStreams;
import dev.superfactory.reliability.CheckpointMath;
import dev.superfactory.reliability.CheckpointPolicy;
import dev.superfactory.reliability.DownCounters;
import dev.superfactory.reliability.FailureCause;
import dev.superfactory.reliability.FailureDraws;
import dev.superfactory.reliability.PlannedMaintenance;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.reliability.Scope;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.workload.Jobs;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntLinkedOpenHashSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Failures, repairs, maintenance and WAN cuts acting on the running jobs.
 *
 * <p>Each cause of the {@link ReliabilitySpec} is a Poisson process with one pending event in the
 * queue at a time, so failures add O(causes) events to the heap, never O(fleet). An event marks
 * its component's GPUs down ({@link DownCounters}), interrupts every job holding one of them (a
 * rack failure hits every job in the rack), and schedules the repair. An interrupted job keeps the
 * work of its last durable checkpoint, hangs for the detection time holding its GPUs, is then
 * released and requeued at the front of the queue, and restarts on healthy GPUs (or swaps in hot
 * spares of its domain without waiting) paying the restart overhead. Planned maintenance drains
 * jobs after a checkpoint (nothing lost). A WAN cut stalls the jobs spanning the link or shrinks
 * them to their largest site until it is repaired; no new gang spans sites meanwhile.
 *
 * <p>Cost per event: O(GPUs of the component) to mark it down and find its jobs (a host: 4–8,
 * a rack: 72; a site, rarely, its whole site), plus O(log n) per queue operation.
 */
final class ReliabilityEngine {
  static final int NO_CAUSE = -1;

  private final Fleet fleet;
  private final FleetState state;
  private final Scheduler scheduler;
  private final Jobs jobs;
  private final JobRuns runs;
  private final RunMetrics metrics;
  private final ReliabilityMetrics reliability;
  private final EventQueue queue;
  private final ReliabilitySpec spec;
  private final CheckpointPolicy checkpoint;
  private final FailureDraws draws;
  private final DownCounters downs;
  private final boolean active;
  private final double[] delta = new double[JobRuns.LEDGERS];
  private final double perGpuSecond; // interruption rate of one GPU from per-GPU-day causes
  private final double[] componentRate; // per second, per component, by scope, for mtbf causes

  // repairs in flight: slot → GPU range or WAN link, reused through a free list
  private int[] repairFirst = new int[64];
  private int[] repairCount = new int[64];
  private int[] repairLink = new int[64];
  private final IntArrayList freeSlots = new IntArrayList();
  private int slots;

  private final boolean[] hanging;
  private final long[] hangStart;
  private final long[] requeuedAt;
  private final boolean[] stalled;
  private final boolean[] shrunk;
  private final boolean[] regrow; // released and requeued at detection, to get its full gang back
  private final long[] stallStart;
  private final int[] hitStamp;
  private int stamp;
  private final IntLinkedOpenHashSet multiSite = new IntLinkedOpenHashSet();
  // domains of a hung job where GPUs went out of service: where it needs replacements
  private final it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap<it.unimi.dsi.fastutil.ints.IntOpenHashSet> affected =
      new it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap<>();
  private static final it.unimi.dsi.fastutil.ints.IntOpenHashSet NONE_AFFECTED =
      new it.unimi.dsi.fastutil.ints.IntOpenHashSet();
  private final int[] wanDown;
  private int linksDown;
  private final int[] maintenanceUnit;
  private final SparePool spares;
  private final PerfSpeeds speeds;

  ReliabilityEngine(Fleet fleet, FleetState state, Scheduler scheduler, Jobs jobs, JobRuns runs, RunMetrics metrics,
      ReliabilityMetrics reliability, EventQueue queue, ReliabilitySpec spec, RandomStreams random,
      PerfSpeeds speeds) {
    this.speeds = speeds;
    this.fleet = fleet;
    this.state = state;
    this.scheduler = scheduler;
    this.jobs = jobs;
    this.runs = runs;
    this.metrics = metrics;
    this.reliability = reliability;
    this.queue = queue;
    this.spec = spec;
    this.checkpoint = spec.checkpoint();
    this.active = spec.active();
    this.draws = new FailureDraws(fleet, spec, random);
    this.downs = new DownCounters(state);
    int n = jobs.size();
    hanging = new boolean[n];
    hangStart = new long[n];
    requeuedAt = new long[n];
    stalled = new boolean[n];
    shrunk = new boolean[n];
    regrow = new boolean[n];
    stallStart = new long[n];
    hitStamp = new int[n];
    wanDown = new int[fleet.wanLinks().size()];
    maintenanceUnit = new int[spec.planned().size()];
    double perGpu = 0;
    componentRate = new double[Scope.values().length];
    for (FailureCause c : spec.causes()) {
      if (c.perGpuDay() > 0) {
        perGpu += c.perGpuDay() / 86400.0;
      } else {
        componentRate[c.scope().ordinal()] += 1.0 / (c.mtbfHours() * 3600.0);
      }
    }
    this.perGpuSecond = perGpu;
    this.spares = active && spec.sparesPerDomain() > 0
        ? new SparePool(fleet, state, spec.sparesPerDomain(), downs::isDown) : null;
    if (active) {
      scheduler.trackOwners();
    }
  }

  boolean active() {
    return active;
  }

  /** Sets the spares aside and schedules the first event of every cause and maintenance. */
  void start(long t0) {
    if (!active) {
      return;
    }
    if (spares != null) {
      scheduler.holdReserved(spares.allocation());
    }
    for (int c = 0; c < spec.causes().size(); c++) {
      scheduleNext(c, t0);
    }
    for (int p = 0; p < spec.planned().size(); p++) {
      PlannedMaintenance m = spec.planned().get(p);
      push(t0 + m.startSeconds(), Simulation.MAINT_START, p);
    }
  }

  private void scheduleNext(int cause, long now) {
    double gap = draws.nextGap(cause);
    if (Double.isFinite(gap)) {
      push(now + Math.max(1, Math.round(gap)), Simulation.FAILURE, cause);
    }
  }

  private void push(long t, int kind, int payload) {
    if (t <= EventQueue.MAX_TIME) {
      queue.push(t, kind, payload);
    }
  }

  // ---- job lifecycle hooks ----

  /** Checkpoint interval and write time for a job starting on {@code a}; infinite τ when nothing can fail. */
  double[] checkpointFor(int job, Allocation a) {
    int gpus = a.gpus();
    double bytes = checkpointBytes(job, gpus);
    double write = checkpoint.writeSeconds(bytes, gpus);
    if (!active) {
      return new double[] {Double.POSITIVE_INFINITY, write};
    }
    double tau = checkpoint.youngDaly()
        ? CheckpointMath.dalyInterval(write, mtbfSeconds(a))
        : checkpoint.fixedIntervalSeconds();
    return new double[] {tau, write};
  }

  /** Checkpoint size: from the job's model (weights and optimizer state), else per GPU. */
  double checkpointBytes(int job, int gpus) {
    String model = jobs.model(job);
    return model != null ? speeds.checkpointBytes(model) : checkpoint.bytesPerGpu() * gpus;
  }

  /** Mean time between interruptions of a job on {@code a}: per-GPU causes plus its share of components. */
  double mtbfSeconds(Allocation a) {
    double rate = perGpuSecond * a.gpus();
    rate += componentRate[Scope.GPU.ordinal()] * a.gpus();
    rate += componentRate[Scope.HOST.ordinal()] * Math.ceil((double) a.gpus() / spec.gpusPerHost());
    rate += componentRate[Scope.DOMAIN.ordinal()] * a.domainCount();
    if (componentRate[Scope.BLOCK.ordinal()] > 0) {
      rate += componentRate[Scope.BLOCK.ordinal()] * a.blockCount(fleet);
    }
    rate += componentRate[Scope.SITE.ordinal()] * a.siteCount();
    if (a.siteCount() > 1) {
      rate += componentRate[Scope.WAN.ordinal()] * fleet.wanLinks().size();
    }
    return rate > 0 ? 1 / rate : Double.POSITIVE_INFINITY;
  }

  /** Overhead before a restarted job computes again: init plus checkpoint load. */
  double restartOverhead(int job, Allocation a) {
    if (runs.interruptions[job] == 0) {
      return 0;
    }
    int gpus = a.gpus();
    double load = checkpoint.writeSeconds(checkpointBytes(job, gpus), gpus);
    return spec.restart().initSeconds() + Math.max(spec.restart().loadSecondsFloor(), load);
  }

  /** Called when the scheduler (re)starts a job. */
  void onStart(int job, Allocation a, long now) {
    if (!active) {
      return;
    }
    if (runs.interruptions[job] > 0) {
      reliability.requeueWait(runs.lastCause[job], (double) a.gpus() * (now - requeuedAt[job]));
    }
    if (a.siteCount() > 1) {
      multiSite.add(job);
    }
  }

  /** Called when a job's segment ends and it gives up its GPUs. */
  void onRelease(int job) {
    affected.remove(job);
    multiSite.remove(job);
    shrunk[job] = false;
  }

  /** Books a segment's GPU time; returns the work lost. */
  double endSegment(int job, long now, boolean done, boolean drained, int cause) {
    Arrays.fill(delta, 0);
    int gpus = scheduler.allocation(job).gpus();
    double lost = runs.end(job, now, gpus, done, drained, delta);
    reliability.book(delta, cause, jobs.tenant(job));
    return lost;
  }

  private void hold(int job, double seconds, int ledger, int cause) {
    if (seconds <= 0) {
      return;
    }
    Arrays.fill(delta, 0);
    runs.hold(job, seconds, scheduler.allocation(job).gpus(), ledger, delta);
    reliability.book(delta, cause, jobs.tenant(job));
  }

  // ---- events ----

  void onFailure(int cause, long now) {
    FailureCause c = spec.causes().get(cause);
    scheduleNext(cause, now);
    reliability.failureEvent(cause, now);
    FailureDraws.Hit hit = draws.pick(cause);
    if (c.scope() == Scope.WAN) {
      cutLink(hit.link(), cause, now);
      return;
    }
    if (c.scope() == Scope.JOB) {
      int owner = scheduler.owner(hit.firstGpu());
      if (owner >= 0) {
        interrupt(owner, cause, now, false);
      }
      return;
    }
    takeDown(hit.firstGpu(), hit.gpus(), cause, now, false);
    push(now + draws.repairSeconds(cause), Simulation.REPAIR, slot(hit.firstGpu(), hit.gpus(), -1));
  }

  /** Marks a GPU range down and interrupts the jobs on it (or swaps hot spares in). */
  private void takeDown(int first, int n, int cause, long now, boolean drained) {
    metrics.advance(now);
    downs.down(first, n);
    metrics.setDown(state.downGpus());
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(hitStamp, 0);
      stamp = 1;
    }
    for (int g = first; g < first + n; g++) {
      int job = scheduler.owner(g);
      if (job >= 0) {
        affected.computeIfAbsent(job, k -> new it.unimi.dsi.fastutil.ints.IntOpenHashSet()).add(fleet.gpuDomain(g));
      }
      if (job >= 0 && hitStamp[job] != stamp) {
        hitStamp[job] = stamp;
        if (!drained && spares != null && !hanging[job] && trySwap(job, first, n, cause, now)) {
          continue;
        }
        interrupt(job, cause, now, drained);
      }
    }
  }

  /** Replaces a job's GPUs in the failed range by hot spares of the same domains, if there are enough. */
  private boolean trySwap(int job, int first, int n, int cause, long now) {
    Allocation a = scheduler.allocation(job);
    Allocation swapped = spares.swap(a, first, n);
    if (swapped == null) {
      return false;
    }
    endSegment(job, now, false, false, cause);
    runs.interruptions[job]++;
    runs.lastCause[job] = (byte) cause;
    reliability.interruption(cause);
    scheduler.replaceAllocation(job, swapped);
    affected.remove(job);
    // the job restarts in place after detection: hold, then a new segment with the restart overhead
    hanging[job] = true;
    hangStart[job] = now;
    push(now + Math.round(spec.restart().detectionSeconds()), Simulation.SWAPPED, job);
    return true;
  }

  /** An interrupted job that swapped in spares resumes in place. */
  void onSwapped(int job, long now) {
    hanging[job] = false;
    hold(job, now - hangStart[job], JobRuns.DETECTION, runs.lastCause[job]);
    restarter.restart(job, scheduler.allocation(job), now);
  }

  /**
   * Interrupts a running job: keeps its durable work (all of it if {@code drained}), and releases
   * it after the detection time (at once if drained).
   */
  void interrupt(int job, int cause, long now, boolean drained) {
    if (!scheduler.isRunning(job) || hanging[job]) {
      return;
    }
    if (stalled[job]) {
      hold(job, now - stallStart[job], JobRuns.WAN_STALL, cause);
      stalled[job] = false;
    } else {
      endSegment(job, now, false, drained, cause);
    }
    runs.interruptions[job]++;
    runs.lastCause[job] = (byte) cause;
    reliability.interruption(cause);
    hanging[job] = true;
    hangStart[job] = now;
    long detect = drained ? 0 : Math.round(spec.restart().detectionSeconds());
    push(now + detect, Simulation.DETECTED, job);
  }

  /**
   * Detection done: the job restarts in place on its healthy GPUs plus replacements for the ones
   * out of service; if no replacement fits, it releases its GPUs and goes back to the front of
   * the queue.
   */
  void onDetected(int job, long now) {
    hanging[job] = false;
    hold(job, now - hangStart[job], JobRuns.DETECTION, runs.lastCause[job]);
    metrics.advance(now);
    Allocation before = scheduler.allocation(job);
    boolean toRegrow = regrow[job];
    regrow[job] = false;
    it.unimi.dsi.fastutil.ints.IntOpenHashSet hit = affected.remove(job);
    Allocation after = toRegrow ? null : scheduler.repairInPlace(job, hit == null ? NONE_AFFECTED : hit);
    if (after != null) {
      if (after != before) {
        metrics.released(job, before);
        metrics.resumed(job, after);
        if (after.siteCount() > 1) {
          multiSite.add(job);
        } else {
          multiSite.remove(job);
        }
      }
      restarter.restart(job, after, now);
      return;
    }
    metrics.released(job, before);
    onRelease(job);
    scheduler.finish(job, now);
    scheduler.requeueFront(job, now);
    requeuedAt[job] = now;
  }

  /** Starts a new run segment of a job that restarts in place. */
  interface Restarter {
    void restart(int job, Allocation a, long now);
  }

  private Restarter restarter = (job, a, now) -> {
    throw new IllegalStateException("no restarter");
  };

  void restarter(Restarter r) {
    this.restarter = r;
  }

  void onRepair(int slot, long now) {
    metrics.advance(now);
    if (repairLink[slot] >= 0) {
      restoreLink(repairLink[slot], now);
    } else {
      downs.up(repairFirst[slot], repairCount[slot]);
    }
    metrics.setDown(state.downGpus());
    scheduler.capacityReturned();
    freeSlots.add(slot);
  }

  void onMaintenanceStart(int plan, long now) {
    PlannedMaintenance m = spec.planned().get(plan);
    int unit = maintenanceUnit[plan]++;
    int units = m.scope() == Scope.BLOCK ? fleet.blockCount() : m.scope() == Scope.SITE ? fleet.siteCount()
        : fleet.domainCount();
    int cause = spec.causes().size() + plan;
    FailureDraws.Hit hit = m.scope() == Scope.BLOCK ? draws.blockHit(unit % units)
        : m.scope() == Scope.SITE ? draws.siteHit(unit % units)
        : new FailureDraws.Hit(fleet.domainFirstGpu(unit % units), fleet.domainSize(unit % units), 0, -1);
    reliability.failureEvent(cause, now);
    takeDown(hit.firstGpu(), hit.gpus(), cause, now, true);
    push(now + m.durationSeconds(), Simulation.REPAIR, slot(hit.firstGpu(), hit.gpus(), -1));
    if (unit + 1 < units) {
      push(now + m.everySeconds(), Simulation.MAINT_START, plan);
    } else if (m.repeatSeconds() > 0) {
      maintenanceUnit[plan] = 0;
      long rolloutStart = now - (long) unit * m.everySeconds();
      push(Math.max(now + 1, rolloutStart + m.repeatSeconds()), Simulation.MAINT_START, plan);
    }
  }

  // ---- WAN ----

  private void cutLink(int link, int cause, long now) {
    push(now + draws.repairSeconds(cause), Simulation.REPAIR, slot(-1, 0, link));
    if (wanDown[link]++ > 0) {
      return;
    }
    linksDown++;
    scheduler.allowSpanning(false);
    WanLink l = fleet.wanLinks().get(link);
    int a = fleet.siteIndex(l.siteA());
    int b = fleet.siteIndex(l.siteB());
    for (int job : multiSite.toIntArray()) {
      Allocation alloc = scheduler.allocation(job);
      if (alloc == null || hanging[job] || stalled[job] || alloc.gpusOnSite(a) == 0 || alloc.gpusOnSite(b) == 0) {
        continue;
      }
      reliability.interruption(cause);
      runs.interruptions[job]++;
      runs.lastCause[job] = (byte) cause;
      if (spec.shrinkOnWanCut()) {
        shrink(job, alloc, cause, now);
      } else {
        endSegment(job, now, false, true, cause); // progress pauses; nothing is lost
        stalled[job] = true;
        stallStart[job] = now;
      }
    }
  }

  /** Keeps the job's largest site, releases the rest, continues at the reduced speed. */
  private void shrink(int job, Allocation alloc, int cause, long now) {
    int keep = 0;
    for (int s = 1; s < fleet.siteCount(); s++) {
      if (alloc.gpusOnSite(s) > alloc.gpusOnSite(keep)) {
        keep = s;
      }
    }
    endSegment(job, now, false, true, cause);
    metrics.advance(now);
    int before = alloc.gpus();
    Allocation[] parts = alloc.splitBySite(fleet, keep);
    metrics.released(job, parts[1]);
    int kept = scheduler.shrinkToSite(job, keep);
    multiSite.remove(job);
    shrunk[job] = true;
    runs.speed[job] *= (double) kept / before;
    Allocation a = scheduler.allocation(job);
    double[] cp = checkpointFor(job, a);
    long end = runs.start(job, now, spec.restart().initSeconds(), cp[0], cp[1]);
    push(end, Simulation.FINISH, job);
  }

  private void restoreLink(int link, long now) {
    if (--wanDown[link] > 0) {
      return;
    }
    linksDown--;
    if (linksDown == 0) {
      scheduler.allowSpanning(true);
    }
    for (int job = 0; job < stalled.length; job++) {
      if (stalled[job]) {
        resumeStalled(job, now);
      }
    }
    for (int job = 0; job < shrunk.length; job++) {
      if (shrunk[job] && scheduler.isRunning(job)) {
        // checkpoint, then requeue to regrow to the full gang across sites
        shrunk[job] = false;
        runs.speed[job] = 1.0;
        regrow[job] = true;
        interrupt(job, runs.lastCause[job], now, true);
      }
    }
  }

  private void resumeStalled(int job, long now) {
    stalled[job] = false;
    hold(job, now - stallStart[job], JobRuns.WAN_STALL, runs.lastCause[job]);
    Allocation a = scheduler.allocation(job);
    double[] cp = checkpointFor(job, a);
    long end = runs.start(job, now, 0, cp[0], cp[1]);
    push(end, Simulation.FINISH, job);
  }

  /**
   * A job is preempted now: its work since the last durable checkpoint is lost (booked as lost
   * work, no failure cause), and it will pay the restart overhead when it runs again.
   */
  double onPreempted(int job, long now) {
    double lost = endSegment(job, now, false, false, NO_CAUSE);
    runs.interruptions[job]++;
    onRelease(job);
    return lost;
  }

  boolean canPreempt(int job) {
    return !hanging[job] && !stalled[job];
  }

  boolean isStalled(int job) {
    return stalled[job];
  }

  boolean isShrunk(int job) {
    return shrunk[job];
  }

  boolean isHanging(int job) {
    return hanging[job];
  }

  /**
   * While a WAN link is cut, no job spanning sites makes progress: each is stalled, hung or
   * shrunk to one site. O(multi-site jobs).
   */
  void checkInvariants() {
    for (int job = 0; job < shrunk.length; job++) {
      if (shrunk[job] && scheduler.isRunning(job) && scheduler.allocation(job).siteCount() != 1) {
        throw new IllegalStateException("job " + job + " was shrunk to one site but holds GPUs on several");
      }
    }
    if (linksDown == 0) {
      return;
    }
    for (int job : multiSite.toIntArray()) {
      Allocation a = scheduler.allocation(job);
      if (a != null && a.siteCount() > 1 && !stalled[job] && !hanging[job] && spansCutLink(a)) {
        throw new IllegalStateException("job " + job + " runs across a cut WAN link");
      }
    }
  }

  private boolean spansCutLink(Allocation a) {
    for (int l = 0; l < wanDown.length; l++) {
      if (wanDown[l] > 0) {
        WanLink link = fleet.wanLinks().get(l);
        if (a.gpusOnSite(fleet.siteIndex(link.siteA())) > 0 && a.gpusOnSite(fleet.siteIndex(link.siteB())) > 0) {
          return true;
        }
      }
    }
    return false;
  }

  int linksDown() {
    return linksDown;
  }

  /** Books the GPU time of jobs still running (or hung, or stalled) at the end of the run. */
  void closeAt(long now) {
    for (int job = 0; job < hanging.length; job++) {
      if (!scheduler.isRunning(job)) {
        continue;
      }
      if (hanging[job]) {
        hold(job, now - hangStart[job], JobRuns.DETECTION, runs.lastCause[job]);
      } else if (stalled[job]) {
        hold(job, now - stallStart[job], JobRuns.WAN_STALL, runs.lastCause[job]);
      } else {
        endSegment(job, now, false, true, NO_CAUSE);
      }
    }
  }

  private int slot(int first, int count, int link) {
    int s;
    if (!freeSlots.isEmpty()) {
      s = freeSlots.popInt();
    } else {
      s = slots++;
      if (s == repairFirst.length) {
        repairFirst = Arrays.copyOf(repairFirst, s * 2);
        repairCount = Arrays.copyOf(repairCount, s * 2);
        repairLink = Arrays.copyOf(repairLink, s * 2);
      }
    }
    repairFirst[s] = first;
    repairCount[s] = count;
    repairLink[s] = link;
    return s;
  }

  /** Cause names for outputs: failure causes, then maintenance plans. */
  static List<String> causeNames(ReliabilitySpec spec) {
    List<String> names = new ArrayList<>();
    spec.causes().forEach(c -> names.add(c.name()));
    spec.planned().forEach(p -> names.add("maintenance:" + p.name()));
    return names;
  }
}
