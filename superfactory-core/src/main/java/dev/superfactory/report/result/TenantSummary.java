package dev.superfactory.report.result;

/**
 * One row of {@code tenants}: a tenant's jobs, GPU-hours, waits, contract and revenue over the window.
 *
 * @param fleetShare the tenant's GPU-hours ÷ the fleet's available GPU-hours
 * @param goodput useful ÷ allocated GPU-hours; NaN if the tenant had none
 * @param priority the contract's priority class
 * @param withinReservationGpuHours GPU-hours used within the reservation
 * @param borrowedGpuHours GPU-hours beyond it, billed on demand
 * @param preemptions the tenant's jobs preempted
 * @param preemptedLostGpuHours work those preemptions lost
 * @param reservationRequests jobs submitted within the reservation
 * @param reservationMisses those that waited longer than the contract's reclaim bound
 * @param reservationMaxWaitHours the longest such wait
 * @param pendingAtEnd the tenant's jobs in the queue at the end, as {@code jobs.pendingAtEnd} counts them
 * @param gpuWeightedWaitP95Hours p95 wait of the tenant's jobs of the window, each counted once
 *     per GPU, jobs still pending counted with their age (censored)
 * @param revenueLostToFailuresUsd on-demand revenue not billed for provider downtime
 */
public record TenantSummary(
    String name,
    String displayName,
    int gpuLimit,
    long jobsSubmitted,
    long jobsStarted,
    long jobsCompleted,
    double gpuHours,
    double fleetShare,
    double waitP50Hours,
    double waitP95Hours,
    double waitP99Hours,
    double completionP50Hours,
    double goodput,
    int reservedGpus,
    double weight,
    int priority,
    boolean preemptible,
    double withinReservationGpuHours,
    double borrowedGpuHours,
    long preemptions,
    double preemptedLostGpuHours,
    long reservationRequests,
    long reservationMisses,
    double reservationMaxWaitHours,
    double reservedRevenueUsd,
    double onDemandRevenueUsd,
    double revenueUsd,
    long pendingAtEnd,
    double gpuWeightedWaitP95Hours,
    double revenueLostToFailuresUsd) {
  /** The display name, else the name. */
  public String label() {
    return displayName == null || displayName.isBlank() ? name : displayName;
  }
}
