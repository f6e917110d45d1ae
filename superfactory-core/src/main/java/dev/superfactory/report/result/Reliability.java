package dev.superfactory.report.result;

import java.util.List;
import java.util.Map;

/**
 * {@code reliability}: failures, what they cost and the goodput left, over the window. Written for
 * every run; with failures off, {@code enabled} is false and the counts are zero. Goodput is useful
 * ÷ allocated GPU-hours; the effective training time ratio is productive time ÷ time since the job
 * started (MegaScale, Jiang et al., NSDI 2024; Llama 3, arXiv 2407.21783, §3.3.4).
 *
 * @param enabled whether anything could interrupt a job
 * @param interruptionsByCause jobs interrupted, by failure cause (planned maintenance as
 *     {@code maintenance:<name>}), in the scenario's order of causes
 * @param failureEventsByCause failure events, whether or not they hit a job
 * @param lostGpuHoursByCause allocated GPU-hours each cause cost, and demand that waited after it
 * @param gpuHours every allocated GPU-hour, by what it went to
 * @param healthyFraction time-average share of the fleet in service
 * @param largeJobs the ten largest jobs that ran in the window
 * @param timeline failure events per day by cause
 */
public record Reliability(
    boolean enabled,
    long interruptions,
    double interruptionsPerDay,
    double interruptionsPer1000GpusPerDay,
    Map<String, Long> interruptionsByCause,
    Map<String, Long> failureEventsByCause,
    Map<String, LostGpuHours> lostGpuHoursByCause,
    GpuHours gpuHours,
    double goodput,
    Map<String, Double> goodputByTenant,
    double healthyFraction,
    List<LargeJob> largeJobs,
    Timeline timeline) {
  public Reliability {
    interruptionsByCause = Immutable.map(interruptionsByCause);
    failureEventsByCause = Immutable.map(failureEventsByCause);
    lostGpuHoursByCause = Immutable.map(lostGpuHoursByCause);
    gpuHours = gpuHours == null ? GpuHours.UNKNOWN : gpuHours;
    goodputByTenant = Immutable.map(goodputByTenant);
    largeJobs = Immutable.list(largeJobs);
    timeline = timeline == null ? Timeline.EMPTY : timeline;
  }

  /**
   * The allocated GPU-hours lost to one cause, split like {@link GpuHours}, plus the demand that
   * waited in the queue after its interruptions (not allocated, so not part of {@link GpuHours}).
   */
  public record LostGpuHours(double lostWork, double restart, double detection, double wanStall,
      double waitingAfterInterruption) {}

  /**
   * {@code gpuHours}: every GPU-hour allocated in the window by use, in the simulator's ledger order
   * ({@code ReliabilityMetrics.LEDGERS}).
   */
  public record GpuHours(double useful, double lostWork, double restart, double checkpoint, double detection,
      double wanStall) {
    static final GpuHours UNKNOWN = new GpuHours(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  /** One of the largest jobs: its interruptions, goodput and effective training time ratio. */
  public record LargeJob(String id, String tenant, int gpus, long interruptions, double goodput,
      double effectiveTrainingTimeRatio, boolean completed) {}

  /** Failure events per day of the window ({@code days} 0, 1, …), per cause. */
  public record Timeline(Counts days, Map<String, Counts> byCause) {
    static final Timeline EMPTY = new Timeline(Counts.empty(), Map.of());

    public Timeline {
      days = Counts.orEmpty(days);
      byCause = Immutable.map(byCause);
    }
  }
}
