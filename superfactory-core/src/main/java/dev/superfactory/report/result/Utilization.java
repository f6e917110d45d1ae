package dev.superfactory.report.result;

import java.util.Map;

/**
 * {@code utilization}: allocated ÷ available GPU-hours over the window, in all, per site (of the
 * site's GPUs) and per tenant (of the whole fleet's).
 */
public record Utilization(
    double allocated,
    double allocatedGpuHours,
    double availableGpuHours,
    Map<String, Double> bySite,
    Map<String, Double> byTenant) {
  public Utilization {
    bySite = Immutable.map(bySite);
    byTenant = Immutable.map(byTenant);
  }
}
