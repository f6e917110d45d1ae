package dev.superfactory.econ;

/**
 * GPU-seconds used over a measured window, as the economics model needs them: per quarter, per
 * tenant, per site; and per quarter and tenant the part within its reservation and the part
 * borrowed beyond it. Filled by the simulation from its metrics.
 *
 * @param windowSeconds length of the window
 * @param byQuarterTenantSite [quarter][tenant][site] GPU-seconds
 * @param withinByQuarterTenant [quarter][tenant] GPU-seconds within the reservation
 * @param borrowedByQuarterTenant [quarter][tenant] GPU-seconds beyond the reservation
 * @param providerDowntimeByTenant [tenant] allocated GPU-seconds lost to the provider's failures
 *     and maintenance over the window (lost work, restart, detection, WAN stall)
 */
public record Usage(
    long windowSeconds, long[][][] byQuarterTenantSite, long[][] withinByQuarterTenant,
    long[][] borrowedByQuarterTenant, double[] providerDowntimeByTenant) {
  /** Usage with no provider downtime (no failures simulated). */
  public Usage(long windowSeconds, long[][][] byQuarterTenantSite, long[][] withinByQuarterTenant,
      long[][] borrowedByQuarterTenant) {
    this(windowSeconds, byQuarterTenantSite, withinByQuarterTenant, borrowedByQuarterTenant,
        new double[withinByQuarterTenant.length == 0 ? 0 : withinByQuarterTenant[0].length]);
  }

  /**
   * The on-demand GPU-seconds of tenant {@code t} in quarter {@code q} that were provider
   * downtime. Downtime comes off the on-demand hours first: without the failure the tenant would
   * have held that many fewer GPUs, and its reservation is paid for either way. The tenant's
   * downtime is spread over the quarters in proportion to its use (it is not timed per quarter).
   */
  /** The on-demand GPU-seconds billed to tenant {@code t} in quarter {@code q}, downtime off unless the contract bills it. */
  public double billedBorrowedGpuSeconds(int q, int t, boolean billsDowntime) {
    return borrowedByQuarterTenant[q][t] - (billsDowntime ? 0 : downtimeBorrowedGpuSeconds(q, t));
  }

  public double downtimeBorrowedGpuSeconds(int q, int t) {
    double used = 0;
    double usedInQuarter = withinByQuarterTenant[q][t] + borrowedByQuarterTenant[q][t];
    for (int i = 0; i < withinByQuarterTenant.length; i++) {
      used += withinByQuarterTenant[i][t] + borrowedByQuarterTenant[i][t];
    }
    if (used <= 0 || usedInQuarter <= 0) {
      return 0;
    }
    return Math.min(borrowedByQuarterTenant[q][t], providerDowntimeByTenant[t] * usedInQuarter / used);
  }
}
