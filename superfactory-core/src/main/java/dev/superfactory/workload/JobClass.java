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
 * @param model a model name: jobs train it on {@code tokens} tokens and their run time comes from
 *     the performance model; null: jobs run for {@code duration}
 * @param tokens training tokens per job (with {@code model})
 */
public record JobClass(
    String name, GpuChoice gpus, LogNormal duration, int scaleUpGroup, boolean spanSites, double weight,
    String model, LogNormal tokens) {
  public JobClass {
    if ((model == null) != (tokens == null) || model == null && duration == null) {
      throw new IllegalArgumentException("class " + name + ": give a duration, or a model with tokens");
    }
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

  /** A class of jobs that run for a drawn duration. */
  public JobClass(String name, GpuChoice gpus, LogNormal duration, int scaleUpGroup, boolean spanSites, double weight) {
    this(name, gpus, duration, scaleUpGroup, spanSites, weight, null, null);
  }

  public int groupFor(int gpuCount) {
    return Math.min(gpuCount, scaleUpGroup);
  }
}
