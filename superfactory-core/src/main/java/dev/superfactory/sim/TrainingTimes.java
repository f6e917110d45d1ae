package dev.superfactory.sim;

import dev.superfactory.scenario.Scenario;

/**
 * How long a training run takes on a scenario's fleet, by the same performance model and batch rule the
 * simulation gives model-described jobs ({@link PerfSpeeds}), with no failure or wait: what a sweep
 * reports as an {@code estimate} output (the frontier run's time against the WAN bandwidth). Cost: one
 * {@link dev.superfactory.perf.PerfModel#search}.
 */
public final class TrainingTimes {
  private TrainingTimes() {}

  /**
   * Seconds to train {@code model} on {@code tokens} with {@code gpus} GPUs spread over every site of the
   * scenario's fleet (one site: within it); NaN when no parallel layout fits.
   */
  public static double acrossFleet(Scenario scenario, String model, double tokens, int gpus) {
    PerfSpeeds speeds = new PerfSpeeds(scenario.fleet(), scenario.models());
    double tps = speeds.tokensPerSecond(model, gpus, speeds.wholeFleet());
    return tps > 0 ? tokens / tps : Double.NaN;
  }
}
