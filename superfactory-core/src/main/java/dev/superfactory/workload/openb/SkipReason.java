package dev.superfactory.workload.openb;

/**
 * Why a pod-list row did not become a job. Every row is either a job or counted under exactly one
 * reason; when several apply, the first in this order wins (a CPU-only Pending pod is
 * {@link #CPU_ONLY}).
 */
public enum SkipReason {
  /** {@code num_gpu = 0}: the pod asks for no GPU, and Superfactory schedules GPUs only. */
  CPU_ONLY("cpuOnly", "CPU-only (num_gpu = 0: asks for no GPU)"),
  /** No {@code scheduled_time} (the Pending pods): the pod never ran, so its run time is unknown. */
  NEVER_SCHEDULED("neverScheduled", "never scheduled (no scheduled_time: run time unknown)"),
  /** {@code gpu_milli < 1000} and the options say to skip GPU-sharing pods. */
  SHARED_GPU("sharedGpu", "GPU-sharing (gpu_milli < 1000), skipped by option");

  private final String key;
  private final String description;

  SkipReason(String key, String description) {
    this.key = key;
    this.description = description;
  }

  /** Short name for outputs: {@code cpuOnly}. */
  public String key() {
    return key;
  }

  /** Why, for a person, after a count of rows: "1,200 CPU-only (num_gpu = 0: asks for no GPU)". */
  public String description() {
    return description;
  }
}
