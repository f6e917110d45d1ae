package dev.superfactory.report.result;

import java.util.Map;

/**
 * {@code utilization}: what the fleet's GPU-hours went to over the measured window, every figure a
 * share of the fleet's GPU-hours in the window (README, "Load, demand and utilization"):
 * {@code allocated + down + idle = 1} (apart from GPUs that fail under a job, counted in allocated
 * and in down until the job lets go of them), {@code useful ≤ allocated ≤ demand}, and the idle
 * reasons add up to {@code idle}.
 *
 * @param allocated GPU-hours held by jobs; per site of the site's GPUs, per tenant of the fleet's
 * @param offered the synthetic generator's expected GPU-hours ÷ available (the scenario's
 *     {@code offeredLoad}); NaN (null) for a trace
 * @param submitted GPU-hours asked for by the jobs submitted in the window (GPUs × full run time,
 *     wherever it ends) ÷ available
 * @param demand time-average of GPUs allocated + GPUs asked for by pending jobs
 * @param useful GPU-hours of work kept: allocated minus lost work, restarts, detection, WAN
 *     stalls and checkpoint writes (= allocated × goodput)
 * @param down GPUs out of service (failures, repairs, maintenance)
 * @param idle GPUs in service and not allocated
 * @param idleReasons {@code idle} split by why: {@code no-job-waiting} (more idle GPUs than pending
 *     jobs ask for), {@code tenant-limit}, {@code does-not-fit} (not enough free GPUs in whole
 *     domains where the job may run, or never fits), {@code queue-order} (behind the blocked head,
 *     or would delay its reservation); while jobs wait, the idle GPUs they could use are shared
 *     among their reasons by the GPUs each reason holds pending
 * @param pendingGpusByReason time-average GPUs asked for by pending jobs, by the kernel's reason
 */
public record Utilization(
    double allocated,
    double allocatedGpuHours,
    double availableGpuHours,
    Map<String, Double> bySite,
    Map<String, Double> byTenant,
    double offered,
    double submitted,
    double demand,
    double useful,
    double down,
    double idle,
    Map<String, Double> idleReasons,
    Map<String, Double> pendingGpusByReason) {
  public Utilization {
    bySite = Immutable.map(bySite);
    byTenant = Immutable.map(byTenant);
    idleReasons = Immutable.map(idleReasons);
    pendingGpusByReason = Immutable.map(pendingGpusByReason);
  }
}
