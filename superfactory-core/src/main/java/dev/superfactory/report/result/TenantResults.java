package dev.superfactory.report.result;

import static dev.superfactory.report.result.Window.fraction;
import static dev.superfactory.report.result.Window.hours;
import static dev.superfactory.report.result.Window.round;

import dev.superfactory.econ.Economics;
import dev.superfactory.metrics.Distribution;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Tenant;
import java.util.ArrayList;
import java.util.List;

/** Builds {@code tenants} and {@code fairness}. Cost: O(tenants). */
final class TenantResults {
  private TenantResults() {}

  static List<TenantSummary> rows(SimulationResult r) {
    List<TenantSummary> rows = new ArrayList<>();
    for (int t = 0; t < r.tenants().size(); t++) {
      rows.add(row(r, t));
    }
    return rows;
  }

  private static TenantSummary row(SimulationResult r, int t) {
    RunMetrics m = r.metrics();
    Tenant tenant = r.tenants().get(t);
    double available = Window.of(r.scenario()).availableGpuHours();
    Distribution w = m.tenantWaits(t);
    Economics.TenantMoney money = r.economics().tenants().get(t);
    return new TenantSummary(tenant.name(), tenant.displayName(), tenant.gpuLimit(), m.tenantSubmitted(t),
        m.tenantStarted(t), m.tenantCompleted(t), round(m.tenantGpuSeconds(t) / 3600.0, 3),
        round(m.tenantGpuSeconds(t) / 3600.0 / available, 6), hours(w.percentileHours(50)),
        hours(w.percentileHours(95)), hours(w.percentileHours(99)), hours(m.tenantCompletions(t).percentileHours(50)),
        fraction(r.reliability().tenantGoodput(t)), tenant.reservedGpus(), tenant.contract().weight(),
        tenant.contract().priority(), tenant.contract().preemptible(), round(m.tenantWithinGpuSeconds(t) / 3600.0, 3),
        round(m.tenantBorrowedGpuSeconds(t) / 3600.0, 3), m.tenantPreemptions(t),
        round(m.tenantPreemptedLostGpuSeconds(t) / 3600.0, 3), m.reservationRequests(t), m.reservationMisses(t),
        round(m.reservationMaxWaitSeconds(t) / 3600.0, 4), round(money.reservedRevenueUsd(), 2),
        round(money.onDemandRevenueUsd(), 2), round(money.revenueUsd(), 2), m.tenantPendingAtEnd(t),
        hours(m.tenantGpuWeightedWaitsWithPending(t).percentileHours(95)),
        round(money.revenueLostToFailuresUsd(), 2));
  }

  /**
   * Jain's fairness index over tenants' normalised shares, J = (Σx)² / (n·Σx²), with x = the
   * tenant's share of the allocated GPU-hours ÷ its entitled share (its weight ÷ Σ weights).
   * 1 = perfectly fair; 1/n = one tenant has everything. Tenants that submitted nothing are left
   * out. NaN if no tenant ran. Rounded to six decimals.
   */
  static double fairness(SimulationResult r) {
    return fraction(jain(r));
  }

  static double jain(SimulationResult r) {
    RunMetrics m = r.metrics();
    double total = 0;
    double weights = 0;
    for (int t = 0; t < r.tenants().size(); t++) {
      if (active(m, t)) {
        total += m.tenantGpuSeconds(t);
        weights += r.tenants().get(t).contract().weight();
      }
    }
    if (total <= 0) {
      return Double.NaN;
    }
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    for (int t = 0; t < r.tenants().size(); t++) {
      if (active(m, t)) {
        double x = (m.tenantGpuSeconds(t) / total) / (r.tenants().get(t).contract().weight() / weights);
        sum += x;
        sumSq += x * x;
        n++;
      }
    }
    return sumSq > 0 ? sum * sum / (n * sumSq) : Double.NaN;
  }

  private static boolean active(RunMetrics m, int t) {
    return m.tenantSubmitted(t) > 0 || m.tenantGpuSeconds(t) > 0;
  }
}
