package dev.superfactory.sim;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.reliability.FailureDraws;
import dev.superfactory.reliability.PlannedMaintenance;
import dev.superfactory.reliability.Scope;
import java.util.List;

/**
 * Planned maintenance as rolling drains: each plan takes its units (domains, blocks or sites) one
 * at a time, one every {@code every}, starting at {@code start}; after the last unit it starts
 * over {@code repeat} after the rollout began (or stops if it does not repeat). One pending event
 * per plan. O(1) per unit.
 */
final class MaintenanceRollout {
  private final Fleet fleet;
  private final List<PlannedMaintenance> plans;
  private final FailureDraws draws;
  private final EventQueue queue;
  private final int[] nextUnit;

  MaintenanceRollout(Fleet fleet, List<PlannedMaintenance> plans, FailureDraws draws, EventQueue queue) {
    this.fleet = fleet;
    this.plans = plans;
    this.draws = draws;
    this.queue = queue;
    this.nextUnit = new int[plans.size()];
  }

  /** Schedules the first unit of every plan. */
  void start(long t0) {
    for (int p = 0; p < plans.size(); p++) {
      queue.pushIfInRange(t0 + plans.get(p).startSeconds(), EventKind.MAINT_START, p);
    }
  }

  /** The GPUs of plan {@code p}'s unit due now; schedules the unit after it. */
  FailureDraws.Hit nextUnit(int p, long now) {
    PlannedMaintenance m = plans.get(p);
    int unit = nextUnit[p]++;
    int units = m.scope() == Scope.BLOCK ? fleet.blockCount() : m.scope() == Scope.SITE ? fleet.siteCount()
        : fleet.domainCount();
    FailureDraws.Hit hit = m.scope() == Scope.BLOCK ? draws.blockHit(unit % units)
        : m.scope() == Scope.SITE ? draws.siteHit(unit % units)
        : new FailureDraws.Hit(fleet.domainFirstGpu(unit % units), fleet.domainSize(unit % units), 0, -1);
    if (unit + 1 < units) {
      queue.pushIfInRange(now + m.everySeconds(), EventKind.MAINT_START, p);
    } else if (m.repeatSeconds() > 0) {
      nextUnit[p] = 0;
      long rolloutStart = now - (long) unit * m.everySeconds();
      queue.pushIfInRange(Math.max(now + 1, rolloutStart + m.repeatSeconds()), EventKind.MAINT_START, p);
    }
    return hit;
  }
}
