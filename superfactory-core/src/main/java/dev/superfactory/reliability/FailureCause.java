package dev.superfactory.reliability;

import dev.superfactory.workload.LogNormal;
import java.util.Objects;

/**
 * One failure process: a Poisson process over all components of its scope.
 *
 * <p>The rate is given either per GPU-day ({@code perGpuDay}: failure events per GPU per day,
 * the unit large-training-run reports use, e.g. Llama 3's 419 unexpected interruptions in 54
 * days on 16,384 GPUs) or as the MTBF of one component ({@code mtbfHours}); the fleet-wide event
 * rate is then perGpuDay × GPUs, or components ÷ MTBF.
 *
 * @param name cause name in outputs ({@code gpu}, {@code hbm}, {@code software}, ...)
 * @param scope what goes down
 * @param perGpuDay events per GPU per day (0 if {@code mtbfHours} is used)
 * @param mtbfHours mean time between failures of one component (0 if {@code perGpuDay} is used)
 * @param repair time to repair (ignored for {@link Scope#JOB})
 * @param source where the rate comes from
 */
public record FailureCause(
    String name, Scope scope, double perGpuDay, double mtbfHours, LogNormal repair, String source) {
  public FailureCause {
    Objects.requireNonNull(name);
    Objects.requireNonNull(scope);
    if ((perGpuDay > 0) == (mtbfHours > 0)) {
      throw new IllegalArgumentException("cause " + name + ": give exactly one of perGpuDay or mtbfHours");
    }
    if (scope != Scope.JOB && repair == null) {
      throw new IllegalArgumentException("cause " + name + ": a repair time is needed for scope " + scope);
    }
  }

  /** Fleet-wide events per second, given the number of GPUs and of components in scope. */
  public double eventsPerSecond(long gpus, long components) {
    return perGpuDay > 0 ? perGpuDay * gpus / 86400.0 : components / (mtbfHours * 3600.0);
  }
}
