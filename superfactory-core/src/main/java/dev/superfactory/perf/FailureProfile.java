package dev.superfactory.perf;

/**
 * Failure rates of one hardware generation on one kind of cluster: unexpected and planned
 * interruptions of a training job per GPU-day, so that a job of N GPUs is interrupted N × rate times
 * a day. Calibrated in {@link FailureCalibration}; listed in {@link FailureProfiles}.
 *
 * @param name the name scenarios and {@code --failure-profile} use
 * @param generation GPU generation the rates were measured on
 * @param clusterType what kind of cluster: a production-hardened training run or a shared research cluster
 * @param unexpectedPerGpuDay unexpected interruptions per GPU per day
 * @param plannedPerGpuDay planned interruptions (maintenance) per GPU per day
 * @param source where the rates come from
 */
public record FailureProfile(String name, String generation, String clusterType, double unexpectedPerGpuDay,
    double plannedPerGpuDay, String source) {
  public FailureProfile {
    if (!(unexpectedPerGpuDay > 0) || plannedPerGpuDay < 0) {
      throw new IllegalArgumentException(String.format(
          "profile %s: unexpected rate must be > 0 and planned >= 0, got %s and %s",
          name, unexpectedPerGpuDay, plannedPerGpuDay));
    }
  }

  /** Mean time between unexpected interruptions of a job of {@code gpus} GPUs, hours. */
  public double mttfHours(long gpus) {
    return 24 / (unexpectedPerGpuDay * gpus);
  }

  /** Unexpected interruptions per 1,000 node-days of 8-GPU nodes, the unit of Kokolis et al. */
  public double perThousandNodeDays() {
    return unexpectedPerGpuDay * 8 * 1000;
  }
}
