package dev.superfactory.perf;

/**
 * The performance model's answer for one configuration.
 *
 * <p>Two FLOP conventions, as REFERENCE.md warns: <b>model FLOPs</b> ({@link
 * ModelSpec#modelFlopsPerToken}: 6 × weights per token plus causal attention, no recomputation)
 * give {@code tflopsPerGpu} and {@code mfu}; <b>hardware FLOPs</b> count what the GPUs execute,
 * recomputation included and, without FlashAttention, the full s×s attention, as Megatron-LM's
 * published TFLOP/s do.
 *
 * @param model the model's name
 * @param setup the training setup used (the search may have raised its recomputation level)
 * @param hardware the hardware
 * @param parallelism the layout
 * @param gpus GPUs used: tp × pp × dp × cp
 * @param globalBatchSequences sequences per step actually used (the request rounded up to a
 *     multiple of dp × micro-batch)
 * @param microBatches micro-batches per pipeline per step
 * @param stepTimeSeconds one optimizer step
 * @param tokensPerSecond training throughput
 * @param modelFlopsPerStep model FLOPs of one step
 * @param hardwareFlopsPerStep FLOPs the GPUs execute in one step
 * @param tflopsPerGpu achieved model TFLOP/s per GPU
 * @param hardwareTflopsPerGpu achieved hardware TFLOP/s per GPU (Megatron-LM's convention)
 * @param mfu model FLOPs utilisation against the GPU's dense peak at the setup's precision (0..1)
 * @param memory bytes per GPU
 * @param breakdown where the step time goes
 */
public record Estimate(
    String model,
    TrainingSetup setup,
    Hardware hardware,
    Parallelism parallelism,
    long gpus,
    long globalBatchSequences,
    int microBatches,
    double stepTimeSeconds,
    double tokensPerSecond,
    double modelFlopsPerStep,
    double hardwareFlopsPerStep,
    double tflopsPerGpu,
    double hardwareTflopsPerGpu,
    double mfu,
    MemoryUse memory,
    Breakdown breakdown) {

  public CrossSiteStrategy strategy() {
    return setup.strategy();
  }

  /**
   * The pipeline bubble as a share of the step time: {@link Breakdown#pipelineBubbleSeconds()} ÷
   * {@link #stepTimeSeconds()}. The one definition the console line, the breakdown table and the JSON
   * all print. (The bubble is (p−1)/v micro-batch times, so this is (p−1)/(m·v) of the pipelined
   * work, less once the step also pays for communication and the optimizer.)
   */
  public double bubbleFraction() {
    return breakdown.pipelineBubbleSeconds() / stepTimeSeconds;
  }

  public double memoryPerGpuBytes() {
    return memory.totalBytes();
  }

  /** Days to train on {@code tokens} tokens at this throughput, without interruptions. */
  public double trainingDays(double tokens) {
    return tokens / tokensPerSecond / 86_400.0;
  }
}
