package dev.superfactory.perf;

/**
 * The arithmetic of one configuration: per-layer costs, the pipeline, data-parallel and WAN
 * synchronisation, memory. One instance per evaluation, discarded after it; {@link PerfModel}
 * documents the model and its sources. Cost: O(layers / pp) for the stage balance, otherwise O(1).
 */
final class StepModel {
  /** GPUs per server (DGX/HGX): the unit that is slow or not. ASSUMPTION for every GPU type. */
  private static final int GPUS_PER_SERVER = 8;

  private final Calibration c;
  private final ModelSpec m;
  private final TrainingSetup s;
  private final Hardware hw;
  private final Parallelism p;

  /** Tokens one GPU handles per micro-batch in each layer: micro-batch × sequence / cp. */
  private final double tokens;
  private final double peakFlops;
  private final double peakBf16Flops;
  private final double hbmBytesPerSecond;
  private final double ridgeFlopsPerByte;
  private final int gemmBytesPerElement;
  private final double scaleUpBytesPerSecond;
  private final double scaleOutBytesPerSecond;
  private final int microBatches;
  private final double h;
  private final double queryWidthPerGpu;
  private final double kvWidthPerGpu;

  StepModel(Calibration c, ModelSpec m, TrainingSetup s, Hardware hw, Parallelism p) {
    this.c = c;
    this.m = m;
    this.s = s;
    this.hw = hw;
    this.p = p;
    boolean fp8 = s.precision().isFp8();
    this.tokens = (double) s.microBatchSequences() * s.seqLength() / p.cp();
    this.peakFlops = hw.gpu().peakFlops(fp8);
    this.peakBf16Flops = hw.gpu().peakFlops(false);
    this.hbmBytesPerSecond = hw.gpu().hbmBandwidthBytesPerSecond() * c.hbmEfficiency();
    this.ridgeFlopsPerByte = peakFlops / hw.gpu().hbmBandwidthBytesPerSecond();
    this.gemmBytesPerElement = fp8 && hw.gpu().fp8Tflops() > 0 ? 1 : 2;
    this.scaleUpBytesPerSecond = hw.scaleUpBytesPerSecondEachWay() * c.scaleUpEfficiency();
    this.scaleOutBytesPerSecond = hw.scaleOutBytesPerSecond() * c.networkEfficiency();
    this.microBatches = microBatchesPerStep(s, p);
    this.h = m.hiddenSize();
    this.queryWidthPerGpu = (double) m.attentionHeads() * m.headDim() / p.tp();
    this.kvWidthPerGpu = Math.max(1.0, (double) m.kvHeads() / p.tp()) * m.headDim();
  }

  static int microBatchesPerStep(TrainingSetup s, Parallelism p) {
    long perPipeline = (long) p.dp() * s.microBatchSequences();
    return (int) ((s.globalBatchSequences() + perPipeline - 1) / perPipeline);
  }

  /** Forward-pass times of one layer for one micro-batch on one GPU, in seconds. */
  private record LayerTimes(double matmul, double attention, double memoryBound, double recomputable,
      double tensorParallel, double contextParallel, double expertParallel) {

    double forward() {
      return matmul + attention + memoryBound + tensorParallel + contextParallel + expertParallel;
    }

    /** Backward: twice the compute (input and weight gradients), the same collectives. */
    double backward() {
      return 2 * (matmul + attention + memoryBound + contextParallel) + tensorParallel + expertParallel;
    }

    LayerTimes mix(LayerTimes o, double shareOfOther) {
      double a = 1 - shareOfOther;
      return new LayerTimes(a * matmul + shareOfOther * o.matmul, a * attention + shareOfOther * o.attention,
          a * memoryBound + shareOfOther * o.memoryBound, a * recomputable + shareOfOther * o.recomputable,
          a * tensorParallel + shareOfOther * o.tensorParallel, a * contextParallel + shareOfOther * o.contextParallel,
          a * expertParallel + shareOfOther * o.expertParallel);
    }
  }

  Estimate estimate() {
    LayerTimes layer = layerTimes(false);
    if (m.isMoe()) {
      layer = layer.mix(layerTimes(true), (double) m.moeLayers() / m.layers());
    }
    double recompute = recomputeSeconds(layer);
    double layerSeconds = layer.forward() + layer.backward() + recompute;
    double logitsMatmul = gemmSeconds(tokens, (double) m.vocabSize() / p.tp(), h);
    double lossBytes = 12.0 * tokens * m.vocabSize() / p.tp(); // fp32 logits: write, read, write gradient
    double outputSeconds = 3 * logitsMatmul + lossBytes / hbmBytesPerSecond;
    Stage stage = criticalStage(layerSeconds, outputSeconds);
    double n = stage.layers;
    double out = stage.hasOutput ? 1 : 0;
    double transfer = pipelineTransferSeconds();
    double[] perMicroBatch = {
      n * 3 * layer.matmul + out * 3 * logitsMatmul,
      n * 3 * layer.attention,
      n * 3 * layer.memoryBound + out * lossBytes / hbmBytesPerSecond,
      n * recompute,
      n * 2 * layer.tensorParallel,
      n * 3 * layer.contextParallel,
      n * 2 * layer.expertParallel,
      transfer
    };
    double microBatchSeconds = 0;
    for (double v : perMicroBatch) {
      microBatchSeconds += v;
    }
    double forwardWindow = n * layer.forward() + out * logitsMatmul;
    double backwardWindow = n * layer.backward() + out * 2 * logitsMatmul;
    double computePerMicroBatch = microBatchSeconds - transfer;
    double[] sync = synchronisationSeconds(forwardWindow, backwardWindow, computePerMicroBatch);
    double optimizer = optimizerSeconds();
    double bubble = (p.pp() - 1.0) / p.virtualStages() * microBatchSeconds;
    int mb = microBatches;
    double straggler = stragglerSeconds(mb * microBatchSeconds + bubble);
    Breakdown breakdown = new Breakdown(mb * perMicroBatch[0], mb * perMicroBatch[1], mb * perMicroBatch[2],
        mb * perMicroBatch[3], mb * perMicroBatch[4], mb * perMicroBatch[5], mb * perMicroBatch[6],
        mb * perMicroBatch[7], bubble, sync[0], sync[1], optimizer, straggler, c.stepOverheadSeconds());
    return assemble(breakdown, stage);
  }

  private Estimate assemble(Breakdown breakdown, Stage stage) {
    double step = breakdown.totalSeconds();
    long batch = (long) microBatches * p.dp() * s.microBatchSequences();
    double stepTokens = (double) batch * s.seqLength();
    double modelFlops = stepTokens * m.modelFlopsPerToken(s.seqLength());
    double hardwareFlops = stepTokens * hardwareFlopsPerToken();
    long gpus = p.gpus();
    double tflops = modelFlops / step / gpus / 1e12;
    return new Estimate(m.name(), s, hw, p, gpus, batch, microBatches, step, stepTokens / step, modelFlops,
        hardwareFlops, tflops, hardwareFlops / step / gpus / 1e12, tflops * 1e12 / peakFlops, memory(stage),
        breakdown);
  }

  // ---- one layer ----

  private LayerTimes layerTimes(boolean moe) {
    double matmul = gemmSeconds(tokens, queryWidthPerGpu + 2 * kvWidthPerGpu, h)
        + gemmSeconds(tokens, h, queryWidthPerGpu)
        + (moe ? expertMatmulSeconds() : ffnMatmulSeconds(m.ffnHiddenSize(), tokens));
    double attention = attentionSeconds();
    double normAndActivation = (8 * h + activationBytesPerToken(moe)) / p.tp();
    double otherElementwise = (12 * h + 4 * (queryWidthPerGpu + 2 * kvWidthPerGpu) * p.tp()) / p.tp();
    double fp8Casts = s.precision().isFp8() ? 3 * (2 * h + queryWidthPerGpu * p.tp() + ffnInputWidth(moe)) / p.tp()
        : 0;
    double perByte = tokens * c.elementwiseTrafficFactor() / hbmBytesPerSecond;
    double memoryBound = (normAndActivation + otherElementwise + fp8Casts) * perByte;
    double tensorParallel = 2 * allReduceSeconds(tokens * h * 2, p.tp(), scaleUpBytesPerSecond,
        c.scaleUpLatencySeconds());
    double contextParallel = Math.max(0, contextParallelSeconds() - attention);
    double expertParallel = moe ? expertParallelSeconds() : 0;
    return new LayerTimes(matmul, attention, memoryBound, normAndActivation * perByte, tensorParallel,
        contextParallel, expertParallel);
  }

  private double ffnMatmulSeconds(double width, double rows) {
    double up = (m.gatedFfn() ? 2 : 1) * width / p.tp();
    return gemmSeconds(rows, up, h) + gemmSeconds(rows, h, width / p.tp());
  }

  /** Router, routed experts (balanced: each GPU sees tokens × k assignments) and shared experts. */
  private double expertMatmulSeconds() {
    double localExperts = (double) m.experts() / p.ep();
    double rowsPerExpert = tokens * m.activeExperts() / localExperts;
    double routed = localExperts * ffnMatmulSeconds(m.expertFfnHiddenSize(), rowsPerExpert);
    double shared = m.sharedExperts() > 0
        ? ffnMatmulSeconds((double) m.sharedExperts() * m.expertFfnHiddenSize(), tokens) : 0;
    return gemmSeconds(tokens, m.experts(), h) + routed + shared;
  }

  /** Attention core, forward: 4·T·s·width FLOPs, halved by causal skipping with FlashAttention. */
  private double attentionSeconds() {
    double flops = 4 * tokens * s.seqLength() * queryWidthPerGpu * (s.flashAttention() ? 0.5 : 1.0);
    double seconds = flops / (peakBf16Flops * c.attentionEfficiency());
    if (!s.flashAttention()) {
      double scores = tokens * s.seqLength() * m.attentionHeads() / p.tp();
      seconds += scores * c.softmaxBytesPerScore() / hbmBytesPerSecond;
    }
    return seconds;
  }

  /** Activation-function bytes per token (all TP shards): read the up (and gate) outputs, write the result. */
  private double activationBytesPerToken(boolean moe) {
    double perWidth = m.gatedFfn() ? 6 : 4;
    if (!moe) {
      return perWidth * m.ffnHiddenSize();
    }
    double width = (double) (m.activeExperts() + m.sharedExperts()) * m.expertFfnHiddenSize();
    return perWidth * width + 8 * h * m.activeExperts(); // plus permuting tokens to and from their experts
  }

  private double ffnInputWidth(boolean moe) {
    return moe ? (double) (m.activeExperts() + m.sharedExperts()) * m.expertFfnHiddenSize() : m.ffnHiddenSize();
  }

  /** Ring exchange of keys and values across the CP group, overlapped with the attention core. */
  private double contextParallelSeconds() {
    if (p.cp() == 1) {
      return 0;
    }
    double bytes = (p.cp() - 1.0) * tokens * 2 * kvWidthPerGpu * 2;
    boolean local = (long) p.tp() * p.cp() <= hw.domainGpus();
    return bytes / (local ? scaleUpBytesPerSecond : scaleOutBytesPerSecond)
        + (p.cp() - 1) * (local ? c.scaleUpLatencySeconds() : c.scaleOutLatencySeconds());
  }

  /** Dispatch and combine all-to-alls of the routed tokens, forward pass. */
  private double expertParallelSeconds() {
    if (p.ep() == 1) {
      return 0;
    }
    double bytes = 2 * tokens * m.activeExperts() * h * 2 * (p.ep() - 1.0) / p.ep();
    boolean local = (long) p.tp() * p.cp() * p.ep() <= hw.domainGpus();
    return bytes / (local ? scaleUpBytesPerSecond : scaleOutBytesPerSecond)
        + 4 * (local ? c.scaleUpLatencySeconds() : c.scaleOutLatencySeconds());
  }

  private double recomputeSeconds(LayerTimes layer) {
    switch (s.recompute()) {
      case FULL:
        return layer.forward();
      case SELECTIVE:
        return layer.attention + layer.recomputable;
      default:
        return 0;
    }
  }

  /** Soft roofline: see {@link Calibration}. */
  double gemmSeconds(double rows, double cols, double inner) {
    if (rows <= 0 || cols <= 0 || inner <= 0) {
      return 0;
    }
    double flops = 2 * rows * cols * inner;
    double intensity = flops / (gemmBytesPerElement * (rows * inner + inner * cols + rows * cols));
    double efficiency = c.gemmPeakEfficiency() * intensity
        / (intensity + c.gemmHalfIntensityRidges() * ridgeFlopsPerByte);
    return flops / (peakFlops * efficiency);
  }

  /** Ring all-reduce: 2(n−1)/n of the bytes over each GPU's link, plus 2(n−1) latencies. */
  static double allReduceSeconds(double bytes, int n, double bytesPerSecond, double latencySeconds) {
    if (n <= 1) {
      return 0;
    }
    return 2.0 * (n - 1) / n * bytes / bytesPerSecond + 2.0 * (n - 1) * latencySeconds;
  }

  // ---- pipeline ----

  /** The pipeline stage that sets the pace: whole layers, the output layer on the last stage. */
  private record Stage(int layers, boolean hasOutput, int firstStageLayers) {}

  /**
   * Assigns layers to stages to balance the output layer (as Llama 3 does, section 3.3.2): the last
   * stage gets k layers plus the logits, the others at most ⌈(L − k)/(p − 1)⌉; k minimises the
   * slowest stage.
   */
  private Stage criticalStage(double layerSeconds, double outputSeconds) {
    int layers = m.layers();
    int pp = p.pp();
    if (pp == 1) {
      return new Stage(layers, true, layers);
    }
    Stage best = null;
    double bestSeconds = Double.MAX_VALUE;
    int maxLast = (layers + pp - 1) / pp;
    for (int last = 0; last <= maxLast && last <= layers - (pp - 1); last++) {
      int others = (layers - last + pp - 2) / (pp - 1);
      double lastSeconds = last * layerSeconds + outputSeconds;
      double otherSeconds = others * layerSeconds;
      double slowest = Math.max(lastSeconds, otherSeconds);
      if (slowest < bestSeconds) {
        bestSeconds = slowest;
        best = lastSeconds >= otherSeconds ? new Stage(last, true, others) : new Stage(others, false, others);
      }
    }
    return best;
  }

  /** Activations and gradients between stages: 2v sends per micro-batch, scattered over TP. */
  private double pipelineTransferSeconds() {
    if (p.pp() == 1) {
      return 0;
    }
    double bytes = tokens * h * 2 / p.tp();
    boolean local = p.gpus() <= hw.domainGpus();
    double one = bytes / (local ? scaleUpBytesPerSecond : scaleOutBytesPerSecond)
        + (local ? c.scaleUpLatencySeconds() : c.scaleOutLatencySeconds());
    return 2.0 * p.virtualStages() * one;
  }

  // ---- stragglers ----

  /**
   * Time lost to the slowest participants over a pipelined step of {@code pipelinedSeconds}: the
   * expected slowdown of the slowest server, δ × P(the job holds at least one of the fraction q of
   * slow servers) = δ(1 − (1 − q)^servers), plus the pipeline's accumulated jitter. With m
   * micro-batches of v chunks each through p stages, a chunk of τ = step/(m·v) seconds with
   * coefficient of variation σ, the tandem-queue result (Glynn and Whitt 1991) adds 2στ√(m·v·(p−1)),
   * that is 2σ√((p−1)/(m·v)) of the step: small with many micro-batches, large with few.
   */
  private double stragglerSeconds(double pipelinedSeconds) {
    double servers = Math.ceil((double) p.gpus() / Math.min(GPUS_PER_SERVER, hw.domainGpus()));
    double slowServer = c.slowMachineSlowdown() * (1 - Math.pow(1 - c.slowMachineFraction(), servers));
    double chunks = (double) microBatches * p.virtualStages();
    double jitter = 2 * c.pipelineJitter() * Math.sqrt((p.pp() - 1.0) / chunks);
    return pipelinedSeconds * (slowServer + jitter);
  }

  // ---- data parallelism and the WAN ----

  /**
   * Exposed data-parallel and WAN time per step: {dataParallel, wan}. Gradient reduction overlaps
   * the last micro-batch's backward pass, ZeRO-1's weight all-gather the first one's forward pass
   * (Megatron-Core overlap_grad_reduce / overlap_param_gather); FSDP's per-micro-batch gathers
   * overlap that micro-batch's compute; DiLoCo's outer all-reduce is not overlapped.
   */
  private double[] synchronisationSeconds(double forwardWindow, double backwardWindow, double microBatchCompute) {
    double half = halfSyncSeconds(2 * denseParamsPerGpu(), p.dp() * p.cp(), hw.domainGpus() / p.tp())
        + halfSyncSeconds(2 * expertParamsPerGpu(), p.dp() * p.cp() / p.ep(),
            hw.domainGpus() / (p.tp() * p.ep()));
    double reduce = half * c.gradientReduceBytesPerParameter() / 2; // the same ranks, gradients instead of weights
    boolean multiSite = hw.sites() > 1;
    boolean diloco = multiSite && s.strategy().isDiloco();
    double wanAllReduce = multiSite ? wanAllReduceSeconds() : 0;
    double wanInStep = diloco ? 0 : wanAllReduce;
    double reduceExposed;
    double total;
    switch (s.sharding()) {
      case ZERO1:
        reduceExposed = Math.max(0, reduce + wanInStep - backwardWindow);
        total = reduceExposed + Math.max(0, half - forwardWindow);
        break;
      case FSDP:
        reduceExposed = Math.max(0, wanInStep - backwardWindow);
        total = reduceExposed + microBatches * Math.max(0, 2 * half + reduce - microBatchCompute);
        break;
      default:
        reduceExposed = Math.max(0, 2 * reduce + wanInStep - backwardWindow);
        total = reduceExposed;
    }
    double wan = Math.min(wanInStep, reduceExposed);
    if (diloco) {
      wan = wanAllReduce / s.strategy().outerSteps();
    }
    return new double[] {total - Math.min(wanInStep, reduceExposed), wan};
  }

  /**
   * One half (reduce-scatter or all-gather) of a hierarchical all-reduce inside each site: over
   * NVLink among the group's members in one domain, then over the scale-out network with each GPU
   * carrying its 1/inDomain share.
   */
  private double halfSyncSeconds(double bytes, int groupSize, int domainSlots) {
    if (bytes <= 0) {
      return 0;
    }
    int perSite = Math.max(1, groupSize / hw.sites());
    int inDomain = Math.max(1, Math.min(perSite, domainSlots));
    int outside = Math.max(1, perSite / inDomain);
    double up = inDomain > 1
        ? (inDomain - 1.0) / inDomain * bytes / scaleUpBytesPerSecond + (inDomain - 1) * c.scaleUpLatencySeconds()
        : 0;
    double out = outside > 1
        ? (outside - 1.0) / outside * bytes / inDomain / scaleOutBytesPerSecond
            + (outside - 1) * c.scaleOutLatencySeconds()
        : 0;
    return up + out;
  }

  /**
   * The cross-site all-reduce: one replica's BF16 gradients (or DiLoCo parameter deltas) cross the
   * WAN 2(K−1)/K times in each direction, shared by all of a site's GPUs.
   */
  private double wanAllReduceSeconds() {
    int k = hw.sites();
    double bytes = 2 * m.parameters() * 2.0 * (k - 1) / k;
    return bytes / (hw.wanBandwidthBytesPerSecond() * c.networkEfficiency()) + 2.0 * (k - 1) * hw.wanLatencySeconds();
  }

  /** Non-expert weights on the first stage: its share of the layers plus the embedding. */
  private double denseParamsPerGpu() {
    double embedding = p.pp() == 1 ? m.embeddingParams() : (double) m.vocabSize() * m.hiddenSize();
    double layerParams = m.nonExpertParams() - m.embeddingParams();
    return (layerParams / p.pp() + embedding) / p.tp();
  }

  private double expertParamsPerGpu() {
    return m.routedExpertParams() / ((double) p.pp() * p.tp() * p.ep());
  }

  private double optimizerSeconds() {
    double dense = denseParamsPerGpu();
    double experts = expertParamsPerGpu();
    if (s.sharding() != OptimizerSharding.NONE) {
      double dataRanks = (double) p.dp() * p.cp() / hw.sites();
      dense /= dataRanks;
      experts /= dataRanks / p.ep();
    }
    return (dense + experts) * c.optimizerBytesPerParameter() / hbmBytesPerSecond;
  }

  // ---- memory ----

  private MemoryUse memory(Stage stage) {
    double dense = denseParamsPerGpu();
    double experts = expertParamsPerGpu();
    // Sharding stays inside a site: each site keeps a whole (sharded) copy of the training state.
    double dataRanks = (double) p.dp() * p.cp() / hw.sites();
    double expertDataRanks = dataRanks / p.ep();
    double weightBytes = s.precision().isFp8() ? 3 : 2;
    double weights;
    double gradients;
    double optimizer;
    if (s.sharding() == OptimizerSharding.FSDP) {
      double gatherBuffer = 2 * weightBytes * (m.nonExpertParams() + m.routedExpertParams() / p.ep())
          / m.layers() / p.tp();
      weights = weightBytes * (dense / dataRanks + experts / expertDataRanks) + gatherBuffer;
      gradients = 2 * (dense / dataRanks + experts / expertDataRanks);
    } else {
      weights = weightBytes * (dense + experts);
      gradients = 2 * (dense + experts);
    }
    boolean sharded = s.sharding() != OptimizerSharding.NONE;
    double optimizerPerParam = hw.sites() > 1 && s.strategy().isDiloco() ? 12 + 8 : 12;
    optimizer = optimizerPerParam * (sharded ? dense / dataRanks + experts / expertDataRanks : dense + experts);
    double capacity = hw.gpu().hbmBytes() * c.usableMemoryFraction();
    return new MemoryUse(weights, gradients, optimizer, activationBytes(stage), capacity);
  }

  /** Activations of the micro-batches in flight on the first stage, or of the last stage plus its logits. */
  private double activationBytes(Stage stage) {
    double perLayer = activationBytesPerLayer();
    int pp = p.pp();
    int v = p.virtualStages();
    double firstLayers = stage.firstStageLayers;
    double inFlightLayers;
    if (pp == 1) {
      inFlightLayers = firstLayers;
    } else if (v == 1) {
      inFlightLayers = Math.min(microBatches, pp) * firstLayers;
    } else {
      // Megatron-Core interleaved 1F1B: rank 0 runs 2(p−1) + (v−1)p warm-up chunks, then one more.
      double chunks = Math.min((double) microBatches * v, 2.0 * (pp - 1) + (v - 1.0) * pp + 1);
      inFlightLayers = chunks * firstLayers / v;
    }
    double first = inFlightLayers * perLayer;
    double logits = tokens * m.vocabSize() / p.tp() * 4 * 2;
    double last = (pp == 1 ? 0 : stage.layers * perLayer) + logits;
    return pp == 1 ? first + logits : Math.max(first, last);
  }

  /**
   * Bytes one layer keeps per micro-batch on one GPU, after Korthikanti et al. (arXiv 2205.05198)
   * with sequence parallelism (everything divided by TP). Kept per token, in BF16 elements: the
   * layer input and mid-layer residual (2h), both norm outputs (2h), Q, K, V, the attention output,
   * the MLP up/gate outputs and the activation output. Selective recomputation drops the norm and
   * activation outputs (and the s×s scores of non-fused attention); full recomputation keeps the
   * layer input only.
   */
  private double activationBytesPerLayer() {
    double q = queryWidthPerGpu * p.tp();
    double kv = 2 * kvWidthPerGpu * p.tp();
    double mlpUp;
    double mlpAct;
    if (m.isMoe()) {
      double width = (double) (m.activeExperts() + m.sharedExperts()) * m.expertFfnHiddenSize();
      mlpUp = (m.gatedFfn() ? 2 : 1) * width + m.activeExperts() * h + 2.0 * m.experts();
      mlpAct = width;
    } else {
      mlpUp = (m.gatedFfn() ? 2 : 1) * (double) m.ffnHiddenSize();
      mlpAct = m.ffnHiddenSize();
    }
    double scores = s.flashAttention() ? 0 : 2.5 * m.attentionHeads() * (double) s.seqLength();
    double elements;
    switch (s.recompute()) {
      case FULL:
        elements = h;
        break;
      case SELECTIVE:
        elements = 2 * h + q + kv + q + mlpUp;
        break;
      default:
        elements = 4 * h + q + kv + q + mlpUp + mlpAct + scores;
    }
    return elements * 2 * tokens / p.tp();
  }

  // ---- FLOP counts ----

  /** What the GPUs execute per token: model FLOPs plus recomputation, attention as run. */
  private double hardwareFlopsPerToken() {
    double attentionForward = 4.0 * s.seqLength() * m.attentionHeads() * m.headDim() * m.layers()
        * (s.flashAttention() ? 0.5 : 1.0);
    double matmulForward = 2 * m.matmulParamsPerToken();
    double flops = 3 * (matmulForward + attentionForward);
    if (s.recompute() == Recompute.FULL) {
      flops += matmulForward - 2.0 * m.vocabSize() * m.hiddenSize() + attentionForward;
    } else if (s.recompute() == Recompute.SELECTIVE) {
      flops += attentionForward;
    }
    return flops;
  }
}
