package dev.superfactory.reliability;

/**
 * How jobs checkpoint.
 *
 * @param youngDaly true: interval from the job's failure rate (Daly's optimum); false: {@code fixedIntervalSeconds}
 * @param fixedIntervalSeconds interval of useful work between checkpoints under the fixed policy
 * @param async true: writes overlap compute (durable {@code write time} later; step time slowed by
 *     {@code asyncOverhead}; needs host memory for the snapshot); false: compute pauses while writing
 * @param asyncOverhead fraction of step time lost to asynchronous snapshots
 * @param bytesPerGpu checkpoint size per GPU of the job when its model is not known
 * @param writeBandwidthPerGpuBytes storage write bandwidth one GPU's share gets
 * @param siteStorageBandwidthBytes storage bandwidth of one site (caps a job's write rate)
 */
public record CheckpointPolicy(
    boolean youngDaly,
    double fixedIntervalSeconds,
    boolean async,
    double asyncOverhead,
    double bytesPerGpu,
    double writeBandwidthPerGpuBytes,
    double siteStorageBandwidthBytes) {
  public CheckpointPolicy {
    if (!(fixedIntervalSeconds > 0) || asyncOverhead < 0 || asyncOverhead >= 1 || !(bytesPerGpu > 0)
        || !(writeBandwidthPerGpuBytes > 0) || !(siteStorageBandwidthBytes > 0)) {
      throw new IllegalArgumentException("invalid checkpoint policy " + this);
    }
  }

  /** Seconds to write a checkpoint of {@code bytes} for a job of {@code gpus} GPUs. */
  public double writeSeconds(double bytes, int gpus) {
    return bytes / Math.min(gpus * writeBandwidthPerGpuBytes, siteStorageBandwidthBytes);
  }
}
