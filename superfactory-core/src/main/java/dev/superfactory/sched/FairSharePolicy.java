package dev.superfactory.sched;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;

/**
 * Weighted fair sharing with dominant resources: the next job to start is the oldest pending job
 * of the tenant whose weighted dominant share (max of its GPU share and WAN share, ÷ weight;
 * Ghodsi et al., "Dominant Resource Fairness", NSDI 2011) is lowest now, so shares converge to
 * the weights when every tenant is backlogged (as Kueue's fair sharing and Slurm's fair-share
 * factor aim to). The first job that does not fit gets an EASY reservation; later picks
 * backfill around it. A job that would take its tenant over its limit is skipped (the tenant's
 * smaller jobs may still fit); a tenant with no headroom left is skipped for the rest of the
 * pass. Cost per pass: O(pending · tenants) plus placements (in a forecast's fork, the picks stop
 * once a reservation is held and nothing more can start: {@link PassView#restCannotBackfill}).
 */
public final class FairSharePolicy implements QueuePolicy {
  @Override
  public String name() {
    return "fair-share";
  }

  @Override
  public void schedule(PassView view, Decisions decisions) {
    int tenants = view.tenantCount();
    List<IntArrayList> queues = new ArrayList<>();
    for (int t = 0; t < tenants; t++) {
      queues.add(new IntArrayList());
    }
    for (int j : view.pendingJobs()) {
      queues.get(view.jobTenant(j)).add(j);
    }
    int[] cursor = new int[tenants];
    boolean[] done = new boolean[tenants];
    for (int t = 0; t < tenants; t++) {
      done[t] = view.tenantHeadroom(t) <= 0;
    }
    Reservation r = null;
    while (true) {
      int pick = lowestShare(view, queues, cursor, done);
      if (pick < 0 || r != null && view.restCannotBackfill(r)) {
        return; // the rest can only be deferred (in a forecast's fork, which keeps no reasons)
      }
      int j = queues.get(pick).getInt(cursor[pick]++);
      Outcome o = r == null ? decisions.start(j, Start.RECLAIMING_ELSE_RESERVE) : decisions.backfill(j, r);
      if (o == Outcome.TENANT_LIMIT) {
        done[pick] = view.tenantHeadroom(pick) <= 0;
      } else if (o == Outcome.NO_FIT && r == null) {
        r = view.reservation();
      }
    }
  }

  /** The tenant with jobs left and the lowest weighted share (ties: lower index), or -1. */
  private static int lowestShare(PassView view, List<IntArrayList> queues, int[] cursor, boolean[] done) {
    int pick = -1;
    double best = Double.MAX_VALUE;
    for (int t = 0; t < cursor.length; t++) {
      if (!done[t] && cursor[t] < queues.get(t).size()) {
        double share = view.weightedShare(t);
        if (share < best) {
          best = share;
          pick = t;
        }
      }
    }
    return pick;
  }
}
