package dev.superfactory.perf;

/**
 * The hardware-efficiency parameters of the performance model: one set for every GPU, model and
 * layout. {@link #standard()} holds the values fitted once, by hand, against the reference runs in
 * {@code ReferenceThroughputTest} (Megatron-LM, arXiv 2104.04473, Tables 1 and 2 on A100; Llama 3,
 * arXiv 2407.21783, Table 4 on H100), and the straggler and per-step terms against the MegaScale
 * batch-6,144 strong-scaling series in {@code StrongScalingTest}. There are no per-case factors.
 *
 * <p><b>Matrix multiplications.</b> A GEMM of {@code M×K} by {@code K×N} does {@code 2MNK} FLOPs and
 * moves at least {@code e·(MK + KN + MN)} bytes ({@code e} = 2 in BF16, 1 in FP8); its arithmetic
 * intensity is {@code I = 2MNK / bytes}. The GPU's ridge point is {@code peak / HBM bandwidth}
 * (A100 153, H100 295, GB200 313 FLOP/byte in BF16). The achieved fraction of peak is the
 * saturating curve
 *
 * <pre>  efficiency(I) = gemmPeakEfficiency × I / (I + gemmHalfIntensityRidges × ridge)</pre>
 *
 * so small or skinny per-GPU matrices (small hidden size, high TP, small micro-batch) run far below
 * peak, large ones approach {@code gemmPeakEfficiency}, and a GPU whose compute has outgrown its
 * memory bandwidth needs larger matrices for the same efficiency. The values are end-to-end:
 * they include what the model does not describe separately (kernel launch gaps, stragglers, clock
 * throttling under power caps), which is why they sit below cuBLAS benchmark figures.
 *
 * @param gemmPeakEfficiency efficiency of very large GEMMs (0.80; 0.78 before the straggler and
 *     step-overhead terms took their share of the same measured step times)
 * @param gemmHalfIntensityRidges arithmetic intensity, in multiples of the ridge point, at which a
 *     GEMM reaches half of {@code gemmPeakEfficiency} (2.0)
 * @param attentionEfficiency fraction of the BF16 peak reached by the attention core, QKᵀ and AV
 *     (0.50; FlashAttention-2 reports 50–73% of A100 peak forward, less backward, arXiv 2307.08691)
 * @param elementwiseTrafficFactor HBM bytes the non-matmul kernels (norms, residual adds, rotary or
 *     bias, activation function) move, as a multiple of the tensor bytes they read and write once
 *     (2.0: unfused kernels touch most tensors twice)
 * @param softmaxBytesPerScore without FlashAttention, HBM bytes per attention score per forward
 *     pass in the softmax and dropout kernels between the two batched GEMMs: read 2, write 2,
 *     dropout read 2, write 2, mask 1 (9)
 * @param hbmEfficiency achieved fraction of HBM bandwidth in memory-bound kernels (0.80)
 * @param scaleUpEfficiency achieved fraction of NVLink bandwidth in collectives (0.80; NCCL
 *     all-reduce bus bandwidth on DGX A100 is about 230 of 300 GB/s each way)
 * @param networkEfficiency achieved fraction of scale-out and WAN bandwidth (0.80)
 * @param scaleUpLatencySeconds per-hop latency of a collective step on NVLink (5 µs)
 * @param scaleOutLatencySeconds per-hop latency on the scale-out network (10 µs)
 * @param optimizerBytesPerParameter HBM bytes an Adam step moves per parameter it updates: read
 *     fp32 master weight, momentum, variance, gradient (16), write the first three and a BF16 copy
 *     (14): 30
 * @param usableMemoryFraction share of HBM a training job can fill; the rest is the CUDA context,
 *     NCCL buffers and allocator fragmentation (0.95)
 * @param gradientReduceBytesPerParameter bytes per parameter of the data-parallel gradient
 *     reduction (4: FP32; Megatron-LM forces FP32 gradient accumulation and all-reduce with BF16,
 *     {@code megatron/arguments.py}; Llama 3 reduce-scatters gradients in FP32, arXiv 2407.21783
 *     section 3.3.4). Weights are gathered in BF16 (2 bytes)
 * @param slowMachineFraction share of servers that run markedly slower than the rest (0.005:
 *     MegaScale, arXiv 2402.15627 section 5.1, "approximately 0.5%" of machines); a synchronous job
 *     runs at the pace of its slowest server
 * @param slowMachineSlowdown how much slower such a server is (ASSUMPTION, fitted in-sample on the
 *     MegaScale batch-6,144 series, {@code StrongScalingTest}: 0.03)
 * @param pipelineJitter coefficient of variation of one micro-batch's time on one virtual stage
 *     (ASSUMPTION, fitted in-sample with the slowdown: 0.02); in a pipeline the jitter of p stages adds up
 *     rather than averaging out (Glynn and Whitt, "Departures from many queues in series", Ann. Appl.
 *     Probab. 1991: n jobs through k stages take about n + k mean service times plus 2√(nk) standard
 *     deviations)
 * @param stepOverheadSeconds host-side time per step the model does not describe otherwise: loading
 *     the batch (MegaScale section 3.4 calls it "non-negligible GPU idle time at the beginning of each
 *     training step"), gradient-norm clipping, loss scaling, logging (ASSUMPTION, fitted in-sample:
 *     0.2 s)
 */
public record Calibration(
    double gemmPeakEfficiency,
    double gemmHalfIntensityRidges,
    double attentionEfficiency,
    double elementwiseTrafficFactor,
    double softmaxBytesPerScore,
    double hbmEfficiency,
    double scaleUpEfficiency,
    double networkEfficiency,
    double scaleUpLatencySeconds,
    double scaleOutLatencySeconds,
    double optimizerBytesPerParameter,
    double usableMemoryFraction,
    double gradientReduceBytesPerParameter,
    double slowMachineFraction,
    double slowMachineSlowdown,
    double pipelineJitter,
    double stepOverheadSeconds) {

  private static final Calibration STANDARD =
      new Calibration(0.80, 2.0, 0.50, 2.0, 9, 0.80, 0.80, 0.80, 5e-6, 10e-6, 30, 0.95, 4, 0.005,
          0.03, 0.02, 0.2);

  public Calibration {
    double[] fractions = {gemmPeakEfficiency, attentionEfficiency, hbmEfficiency, scaleUpEfficiency,
        networkEfficiency, usableMemoryFraction};
    for (double f : fractions) {
      if (!(f > 0 && f <= 1)) {
        throw new IllegalArgumentException("efficiencies must be in (0, 1], got " + f);
      }
    }
    if (!(gemmHalfIntensityRidges > 0) || !(elementwiseTrafficFactor >= 0) || !(softmaxBytesPerScore >= 0)
        || !(scaleUpLatencySeconds >= 0) || !(scaleOutLatencySeconds >= 0) || !(optimizerBytesPerParameter >= 0)
        || !(gradientReduceBytesPerParameter > 0) || !(slowMachineSlowdown >= 0) || !(pipelineJitter >= 0)
        || !(stepOverheadSeconds >= 0)) {
      throw new IllegalArgumentException("calibration constants must be positive");
    }
    if (!(slowMachineFraction >= 0 && slowMachineFraction < 1)) {
      throw new IllegalArgumentException("slowMachineFraction must be in [0, 1), got " + slowMachineFraction);
    }
  }

  /** The fitted values documented above. */
  public static Calibration standard() {
    return STANDARD;
  }
}
