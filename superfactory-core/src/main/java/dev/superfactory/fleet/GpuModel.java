package dev.superfactory.fleet;

import java.util.List;
import java.util.Objects;

/**
 * One GPU model: the figures the performance model, the power model and {@code fleet show} need.
 *
 * <p>Peak rates are dense (no structured sparsity). {@code fp8Tflops} is 0 for GPUs without FP8
 * tensor cores (A100); the performance model then runs FP8 jobs at the BF16 rate.
 *
 * @param name canonical short name used in scenarios and on the command line ({@code gb200})
 * @param aliases other accepted names ({@code "GB200 NVL72"})
 * @param displayName full marketing name
 * @param bf16Tflops dense BF16 tensor TFLOP/s
 * @param fp8Tflops dense FP8 tensor TFLOP/s, 0 if unsupported
 * @param hbmBytes HBM capacity in bytes (decimal GB × 1e9 as datasheets state it)
 * @param hbmBandwidthBytesPerSecond HBM bandwidth
 * @param scaleUpBandwidthBytesPerSecond NVLink bandwidth per GPU (all links, both directions, as
 *     NVIDIA quotes it: 900 GB/s for H100 means 450 GB/s each way)
 * @param tdpWatts board / module power
 * @param source where each figure comes from, or "assumption: ..."
 */
public record GpuModel(
    String name,
    List<String> aliases,
    String displayName,
    double bf16Tflops,
    double fp8Tflops,
    double hbmBytes,
    double hbmBandwidthBytesPerSecond,
    double scaleUpBandwidthBytesPerSecond,
    double tdpWatts,
    String source) {

  public GpuModel {
    Objects.requireNonNull(name, "name");
    aliases = List.copyOf(aliases);
    if (!(bf16Tflops > 0)) {
      throw new IllegalArgumentException("bf16Tflops must be > 0 for " + name + ", got " + bf16Tflops);
    }
    if (fp8Tflops < 0 || hbmBytes <= 0 || hbmBandwidthBytesPerSecond <= 0
        || scaleUpBandwidthBytesPerSecond <= 0 || tdpWatts <= 0) {
      throw new IllegalArgumentException("GPU " + name + " has a non-positive figure");
    }
  }

  /** Peak dense FLOP/s at the given precision; FP8 falls back to BF16 where unsupported. */
  public double peakFlops(boolean fp8) {
    return (fp8 && fp8Tflops > 0 ? fp8Tflops : bf16Tflops) * 1e12;
  }

  public double hbmGB() {
    return hbmBytes / 1e9;
  }
}
