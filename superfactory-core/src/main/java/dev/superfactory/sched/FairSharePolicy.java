package dev.superfactory.sched;

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
 * pass. Cost per pass: O(pending · tenants) plus placements.
 */
public final class FairSharePolicy implements QueuePolicy {
  @Override
  public String name() {
    return "fair-share";
  }

  @Override
  public void schedule(SchedulingPass pass) {
    int tenants = pass.tenantCount();
    List<it.unimi.dsi.fastutil.ints.IntArrayList> queues = new ArrayList<>();
    for (int t = 0; t < tenants; t++) {
      queues.add(new it.unimi.dsi.fastutil.ints.IntArrayList());
    }
    for (int j : pass.pendingJobs()) {
      queues.get(pass.jobTenant(j)).add(j);
    }
    int[] cursor = new int[tenants];
    boolean[] done = new boolean[tenants];
    for (int t = 0; t < tenants; t++) {
      done[t] = pass.tenantHeadroom(t) <= 0;
    }
    Reservation r = null;
    while (true) {
      int pick = -1;
      double best = Double.MAX_VALUE;
      for (int t = 0; t < tenants; t++) {
        if (!done[t] && cursor[t] < queues.get(t).size()) {
          double share = pass.weightedShare(t);
          if (share < best) {
            best = share;
            pick = t;
          }
        }
      }
      if (pick < 0) {
        return;
      }
      int j = queues.get(pick).getInt(cursor[pick]++);
      Outcome o = r == null ? pass.tryStart(j, true) : pass.tryBackfill(j, r);
      if (o == Outcome.TENANT_LIMIT) {
        done[pick] = pass.tenantHeadroom(pick) <= 0;
      } else if (o == Outcome.NO_FIT && r == null) {
        r = pass.reserve(j);
      }
    }
  }
}
