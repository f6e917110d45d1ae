package dev.superfactory.sim;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.metrics.ReliabilityMetrics;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.random.RandomStreams;
import dev.superfactory.reliability.FailureCause;
import dev.superfactory.reliability.FailureDraws;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.reliability.Scope;
import dev.superfactory.sched.Scheduler;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The twin's source of failures, repairs and planned maintenance ({@link MaintenanceRollout}
 * says which unit is next): it decides <em>when</em> and <em>where</em> something breaks or is drained, tells the kernel ({@link Scheduler#gpusDown},
 * {@link Scheduler#jobFailed}, {@link Scheduler#wanCut} and their repairs), and the kernel decides
 * what follows. Each cause of the {@link ReliabilitySpec} is a Poisson process with one pending
 * event at a time, so failures add O(causes) events to the heap, never O(fleet); each outage in
 * flight holds one repair slot (a GPU range or a WAN link), reused through a free list.
 *
 * <p>Before each command it names the cause ({@link #cause()}), so the twin's bookkeeping of the
 * kernel's reports can attribute lost time. Cost per event: O(1) draws plus the kernel's command.
 */
final class FailureSource {
  static final int NO_CAUSE = -1;

  private final Fleet fleet;
  private final Scheduler kernel;
  private final RunMetrics metrics;
  private final ReliabilityMetrics reliability;
  private final EventQueue queue;
  private final ReliabilitySpec spec;
  private final FailureDraws draws;
  private final MaintenanceRollout maintenance;
  private int[] repairFirst = new int[64];
  private int[] repairCount = new int[64];
  private int[] repairLink = new int[64];
  private final IntArrayList freeSlots = new IntArrayList();
  private int slots;
  private int cause = NO_CAUSE;

  FailureSource(Fleet fleet, Scheduler kernel, RunMetrics metrics, ReliabilityMetrics reliability, EventQueue queue,
      ReliabilitySpec spec, RandomStreams random) {
    this.fleet = fleet;
    this.kernel = kernel;
    this.metrics = metrics;
    this.reliability = reliability;
    this.queue = queue;
    this.spec = spec;
    this.draws = new FailureDraws(fleet, spec, random);
    this.maintenance = new MaintenanceRollout(fleet, spec.planned(), draws, queue);
  }

  /** Index of the failure cause (or maintenance plan, after the causes) behind the kernel command in progress. */
  int cause() {
    return cause;
  }

  /** Holds the hot spares and schedules the first event of every cause and maintenance plan. */
  void start(long t0) {
    if (!spec.active()) {
      return;
    }
    if (spec.sparesPerDomain() > 0) {
      kernel.holdSpares(spec.sparesPerDomain(), t0);
    }
    for (int c = 0; c < spec.causes().size(); c++) {
      scheduleNext(c, t0);
    }
    maintenance.start(t0);
  }

  private void scheduleNext(int c, long now) {
    double gap = draws.nextGap(c);
    if (Double.isFinite(gap)) {
      queue.pushIfInRange(now + Math.max(1, Math.round(gap)), EventKind.FAILURE, c);
    }
  }

  /** The next event of failure process {@code c}: a component fails, a job crashes, or a WAN link is cut. */
  void onFailure(int c, long now) {
    FailureCause fc = spec.causes().get(c);
    scheduleNext(c, now);
    reliability.failureEvent(c, now);
    FailureDraws.Hit hit = draws.pick(c);
    cause = c;
    if (fc.scope() == Scope.WAN) {
      queue.pushIfInRange(now + draws.repairSeconds(c), EventKind.REPAIR, slot(-1, 0, hit.link()));
      kernel.wanCut(hit.link(), now);
    } else if (fc.scope() == Scope.JOB) {
      long owner = kernel.ownerOf(hit.firstGpu());
      if (owner >= 0) {
        kernel.jobFailed(owner, now);
      }
    } else {
      takeDown(hit.firstGpu(), hit.gpus(), now, false);
      queue.pushIfInRange(now + draws.repairSeconds(c), EventKind.REPAIR, slot(hit.firstGpu(), hit.gpus(), -1));
    }
    cause = NO_CAUSE;
  }

  private void takeDown(int first, int n, long now, boolean drain) {
    metrics.advance(now);
    kernel.gpusDown(first, n, now, drain);
    metrics.setDown(kernel.fleetState().downGpus());
  }

  /** An outage in repair slot {@code slot} ends. */
  void onRepair(int slot, long now) {
    metrics.advance(now);
    if (repairLink[slot] >= 0) {
      kernel.wanRestored(repairLink[slot], now);
    } else {
      kernel.gpusUp(repairFirst[slot], repairCount[slot], now);
    }
    metrics.setDown(kernel.fleetState().downGpus());
    freeSlots.add(slot);
  }

  /** The next unit of maintenance plan {@code plan} is drained for its duration. */
  void onMaintenanceStart(int plan, long now) {
    FailureDraws.Hit hit = maintenance.nextUnit(plan, now);
    cause = spec.causes().size() + plan;
    reliability.failureEvent(cause, now);
    takeDown(hit.firstGpu(), hit.gpus(), now, true);
    cause = NO_CAUSE;
    queue.pushIfInRange(now + spec.planned().get(plan).durationSeconds(), EventKind.REPAIR,
        slot(hit.firstGpu(), hit.gpus(), -1));
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
  /**
   * Per cause (in {@link #causeNames} order), whether the provider caused it: hardware, network,
   * WAN and maintenance; not a job-scope (software) failure, which is the tenant's own.
   */
  static boolean[] providerCauses(ReliabilitySpec spec) {
    boolean[] provider = new boolean[spec.causes().size() + spec.planned().size()];
    for (int i = 0; i < provider.length; i++) {
      provider[i] = i >= spec.causes().size() || spec.causes().get(i).scope() != dev.superfactory.reliability.Scope.JOB;
    }
    return provider;
  }

  static List<String> causeNames(ReliabilitySpec spec) {
    List<String> names = new ArrayList<>();
    spec.causes().forEach(c -> names.add(c.name()));
    spec.planned().forEach(p -> names.add("maintenance:" + p.name()));
    return names;
  }
}
