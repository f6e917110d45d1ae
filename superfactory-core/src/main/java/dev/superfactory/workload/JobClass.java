package dev.superfactory.workload;

import java.util.Objects;

/**
 * A kind of job in the synthetic workload: experiments, fine-tunes, pre-training runs.
 *
 * @param name unique name ({@code pretrain})
 * @param gpus GPU count distribution
 * @param duration run time distribution
 * @param scaleUpGroup largest tensor-parallel group; a job's group is min(gpus, scaleUpGroup)
 * @param spanSites whether jobs of this class may span sites
 * @param weight default relative frequency (by job count) when a tenant gives no mix
 */
public record JobClass(
    String name, GpuChoice gpus, LogNormalDuration duration, int scaleUpGroup, boolean spanSites, double weight) {
  public JobClass {
    Objects.requireNonNull(name);
    if (scaleUpGroup <= 0) {
      throw new IllegalArgumentException("scaleUpGroup must be > 0, got " + scaleUpGroup);
    }
    for (int g : gpus.values()) {
      if (g > scaleUpGroup && g % scaleUpGroup != 0) {
        throw new IllegalArgumentException(String.format(
            "class %s: %d GPUs is not a multiple of scaleUpGroup %d", name, g, scaleUpGroup));
      }
    }
  }

  public int groupFor(int gpuCount) {
    return Math.min(gpuCount, scaleUpGroup);
  }
}
