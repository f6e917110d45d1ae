package dev.superfactory.perf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one optimizer step's time goes on the critical path, in seconds. The parts add up to the
 * step time. Communication counts only where it is not hidden behind computation.
 *
 * @param matmulSeconds GEMMs of the forward and backward passes, logits included
 * @param attentionSeconds attention core (QKᵀ, softmax, AV) forward and backward
 * @param memoryBoundSeconds norms, residual adds, activation functions, loss: HBM-bound kernels
 * @param recomputeSeconds forward work redone in the backward pass
 * @param tensorParallelSeconds TP all-gather / reduce-scatter over the scale-up domain
 * @param contextParallelSeconds CP key/value exchange not hidden behind attention
 * @param expertParallelSeconds EP all-to-all dispatch and combine
 * @param pipelineTransferSeconds PP point-to-point sends between stages
 * @param pipelineBubbleSeconds idle time while the pipeline fills and drains, (p−1)/v micro-batches
 * @param dataParallelSeconds exposed gradient reduction and weight gathering inside each site
 * @param wanSeconds exposed cross-site synchronisation (sync) or its per-step share (DiLoCo)
 * @param optimizerSeconds the optimizer update
 * @param stragglerSeconds waiting for the slowest: a slow server anywhere in the job sets everyone's
 *     pace, and per-micro-batch jitter accumulates along the pipeline instead of averaging out
 *     (see {@link Calibration}); grows as fewer micro-batches per step amortise it
 * @param stepOverheadSeconds fixed host-side cost of every step (batch loading, clipping, logging)
 */
public record Breakdown(
    double matmulSeconds,
    double attentionSeconds,
    double memoryBoundSeconds,
    double recomputeSeconds,
    double tensorParallelSeconds,
    double contextParallelSeconds,
    double expertParallelSeconds,
    double pipelineTransferSeconds,
    double pipelineBubbleSeconds,
    double dataParallelSeconds,
    double wanSeconds,
    double optimizerSeconds,
    double stragglerSeconds,
    double stepOverheadSeconds) {

  public double totalSeconds() {
    return matmulSeconds + attentionSeconds + memoryBoundSeconds + recomputeSeconds + tensorParallelSeconds
        + contextParallelSeconds + expertParallelSeconds + pipelineTransferSeconds + pipelineBubbleSeconds
        + dataParallelSeconds + wanSeconds + optimizerSeconds + stragglerSeconds + stepOverheadSeconds;
  }

  /** The parts by name (JSON keys), in a fixed order. */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("matmul", matmulSeconds);
    m.put("attention", attentionSeconds);
    m.put("memoryBound", memoryBoundSeconds);
    m.put("recompute", recomputeSeconds);
    m.put("tensorParallel", tensorParallelSeconds);
    m.put("contextParallel", contextParallelSeconds);
    m.put("expertParallel", expertParallelSeconds);
    m.put("pipelineTransfer", pipelineTransferSeconds);
    m.put("pipelineBubble", pipelineBubbleSeconds);
    m.put("dataParallel", dataParallelSeconds);
    m.put("wan", wanSeconds);
    m.put("optimizer", optimizerSeconds);
    m.put("straggler", stragglerSeconds);
    m.put("stepOverhead", stepOverheadSeconds);
    return m;
  }
}
