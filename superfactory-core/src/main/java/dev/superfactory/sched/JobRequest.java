package dev.superfactory.sched;

/**
 * A job as submitted to the kernel: a gang of {@code gpus} GPUs in scale-up groups of
 * {@code scaleUpGroup} that must each sit inside one NVLink domain. {@code expectedSeconds} is the
 * run time the job declared (a time limit, or a predictor's estimate); the kernel never learns
 * the true one.
 *
 * @param tenant index of the tenant in the kernel's tenant list
 * @param gpus GPUs of the gang, a positive multiple of {@code scaleUpGroup}
 * @param scaleUpGroup GPUs that must share one scale-up domain (the tensor-parallel group)
 * @param spanSites whether the gang may be placed across sites
 * @param expectedSeconds declared run time, seconds, > 0
 */
public record JobRequest(int tenant, int gpus, int scaleUpGroup, boolean spanSites, long expectedSeconds) {
  public JobRequest {
    if (tenant < 0) {
      throw new IllegalArgumentException("tenant index must be >= 0, got " + tenant);
    }
    if (gpus <= 0 || scaleUpGroup <= 0 || gpus % scaleUpGroup != 0) {
      throw new IllegalArgumentException(String.format(
          "gpus=%d must be a positive multiple of scaleUpGroup=%d", gpus, scaleUpGroup));
    }
    if (expectedSeconds <= 0) {
      throw new IllegalArgumentException("expectedSeconds must be > 0, got " + expectedSeconds);
    }
  }
}
