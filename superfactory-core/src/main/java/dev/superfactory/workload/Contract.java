package dev.superfactory.workload;

/**
 * What a tenant has bought, in the terms cluster managers use (Kueue's ClusterQueue: nominal
 * quota, borrowing limit, lending; Slurm QOS: priority, preemption).
 *
 * @param reservedGpus GPUs guaranteed to the tenant; reclaimed from borrowers within {@code reclaimWithinSeconds}
 * @param reclaimWithinSeconds the bound within which a tenant asking for its reservation gets it
 * @param borrowLimitGpus most GPUs beyond the reservation the tenant may use when others' are idle
 *     (0 = no borrowing)
 * @param lends whether others may use this tenant's idle reserved GPUs
 * @param priority priority class (higher runs first and may preempt lower under the priority policy)
 * @param preemptible whether this tenant's jobs may be preempted
 * @param siteMask bit mask of the sites its jobs may run on (-1 = all)
 * @param weight fair-share weight
 * @param reservedUsdPerGpuHour price of reserved capacity, billed on the reservation (take or pay)
 * @param onDemandUsdPerGpuHour price of GPU-hours used beyond the reservation
 * @param billsProviderDowntime whether on-demand GPU-hours lost to the provider's failures and
 *     maintenance (detection, restart, work redone since the last checkpoint, WAN stalls) are
 *     billed; default not: a cloud does not charge for its own hardware's failures (see README,
 *     "Billing during failures")
 */
public record Contract(
    int reservedGpus,
    long reclaimWithinSeconds,
    int borrowLimitGpus,
    boolean lends,
    int priority,
    boolean preemptible,
    long siteMask,
    double weight,
    double reservedUsdPerGpuHour,
    double onDemandUsdPerGpuHour,
    boolean billsProviderDowntime) {
  public Contract {
    if (reservedGpus < 0 || borrowLimitGpus < 0 || reclaimWithinSeconds < 0 || !(weight > 0)
        || reservedUsdPerGpuHour < 0 || onDemandUsdPerGpuHour < 0) {
      throw new IllegalArgumentException("invalid contract " + this);
    }
  }

  /** Default price of reserved capacity, USD per GPU-hour. ASSUMPTION: 2025 rates for H100-class GPUs. */
  public static final double DEFAULT_RESERVED_USD_PER_GPU_HOUR = 2.0;

  /** Default on-demand price, USD per GPU-hour. ASSUMPTION: 2025 rates for H100-class GPUs. */
  public static final double DEFAULT_ON_DEMAND_USD_PER_GPU_HOUR = 3.0;

  /** No reservation: everything is borrowed from idle capacity up to {@code limit}, at the default on-demand price. */
  public static Contract onDemand(int limit) {
    return new Contract(0, 0, limit, true, 50, true, -1L, 1.0, DEFAULT_RESERVED_USD_PER_GPU_HOUR,
        DEFAULT_ON_DEMAND_USD_PER_GPU_HOUR, false);
  }

  /** The most GPUs the tenant may hold: its reservation plus what it may borrow. */
  public int gpuCap() {
    long cap = (long) reservedGpus + borrowLimitGpus;
    return (int) Math.min(Integer.MAX_VALUE, cap);
  }

  public boolean allowsSite(int site) {
    return (siteMask & (1L << site)) != 0;
  }
}
