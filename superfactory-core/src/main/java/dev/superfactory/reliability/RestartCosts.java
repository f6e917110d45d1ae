package dev.superfactory.reliability;

/**
 * What an interruption costs besides the lost work, each a documented parameter.
 *
 * @param detectionSeconds from the failure to the job being declared failed (collective timeout,
 *     health check); the job holds its GPUs meanwhile
 * @param initSeconds process start, collective (NCCL) initialisation, data-loader warm-up
 * @param loadSecondsFloor minimum checkpoint load time; the load is the checkpoint size over the
 *     job's read bandwidth (taken equal to the write bandwidth), at least this
 */
public record RestartCosts(double detectionSeconds, double initSeconds, double loadSecondsFloor) {
  public RestartCosts {
    if (detectionSeconds < 0 || initSeconds < 0 || loadSecondsFloor < 0) {
      throw new IllegalArgumentException("restart costs must be >= 0: " + this);
    }
  }
}
