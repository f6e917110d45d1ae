package dev.superfactory.perf;

/**
 * Bytes per GPU on the most loaded GPU (the first pipeline stage, or the last with its logits).
 * Mixed-precision Adam as in ZeRO (arXiv 1910.02054): BF16 weights (2 bytes; FP8 adds a 1-byte
 * copy), BF16 gradient buffer (2; Megatron-Core's default), FP32 master weights, momentum and
 * variance (12), each divided by the ranks that shard it.
 *
 * @param weightsBytes model weights (and FP8 copies, FSDP gather buffers)
 * @param gradientsBytes gradient buffer
 * @param optimizerBytes master weights and Adam moments (plus DiLoCo's outer state)
 * @param activationsBytes activations kept for the backward pass of the micro-batches in flight,
 *     plus the logits on the last stage
 * @param capacityBytes what the job may use: HBM × {@link Calibration#usableMemoryFraction()}
 */
public record MemoryUse(
    double weightsBytes, double gradientsBytes, double optimizerBytes, double activationsBytes, double capacityBytes) {

  public double totalBytes() {
    return weightsBytes + gradientsBytes + optimizerBytes + activationsBytes;
  }

  public boolean fits() {
    return totalBytes() <= capacityBytes;
  }

  /** Bytes short of fitting (0 if it fits). */
  public double overflowBytes() {
    return Math.max(0, totalBytes() - capacityBytes);
  }
}
