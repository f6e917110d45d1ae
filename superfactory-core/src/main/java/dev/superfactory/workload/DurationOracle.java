package dev.superfactory.workload;

/**
 * How long a training job of a model runs: supplied by the performance model (a layer above this
 * package) so that workloads described as (model, tokens) get durations.
 */
public interface DurationOracle {
  /** Knows no model: a job that names one is an error. */
  DurationOracle NONE = new DurationOracle() {
    @Override
    public double seconds(String model, double tokens, int gpus) {
      throw new IllegalArgumentException("no performance model: cannot time " + model);
    }

    @Override
    public boolean knows(String model) {
      return false;
    }
  };

  /** Seconds to train {@code model} on {@code tokens} tokens with {@code gpus} GPUs on the reference hardware. */
  double seconds(String model, double tokens, int gpus);

  /** Whether the model is known (for validation). */
  boolean knows(String model);
}
