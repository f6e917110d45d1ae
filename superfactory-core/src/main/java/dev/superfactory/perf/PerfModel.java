package dev.superfactory.perf;

import dev.superfactory.input.InputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The training performance model: step time, throughput and memory of a transformer training job
 * from first principles, and a search for the fastest parallel layout on a number of GPUs.
 *
 * <p><b>Compute.</b> Each layer's matrix multiplications are listed with their per-GPU shapes
 * (tokens = micro-batch × sequence / cp rows; widths divided by tp; experts get their share of the
 * routed tokens) and timed on the soft-roofline efficiency curve of {@link Calibration}. The
 * attention core runs at a fixed fraction of the BF16 peak (half the s×s work with causal
 * FlashAttention, all of it plus HBM-bound softmax and dropout without). Norms, residual adds and
 * activation functions are HBM-bound: bytes ÷ achieved bandwidth. The backward pass costs twice
 * the forward compute; full recomputation adds a forward pass, selective adds the attention core,
 * norms and activation functions (Korthikanti et al., arXiv 2205.05198).
 *
 * <p><b>Communication.</b> TP: two all-gather/reduce-scatter pairs per layer forward and two
 * backward (Megatron-LM sequence parallelism), ring cost 2(t−1)/t × bytes over NVLink, not
 * overlapped. CP: ring exchange of keys and values, hidden behind the attention core where it can.
 * EP: dispatch and combine all-to-alls, not overlapped. PP: 2v point-to-point sends per micro-batch
 * and the interleaved-1F1B bubble of (p−1)/v micro-batch times (Narayanan et al., arXiv
 * 2104.04473, section 2.2). DP: a hierarchical all-reduce (NVLink inside the domain, scale-out
 * across), reduce-scatter hidden behind the last micro-batch's backward pass and ZeRO-1's all-gather
 * behind the next forward pass; FSDP gathers weights per micro-batch behind its compute. Across
 * sites: see {@link CrossSiteStrategy}; the WAN carries one replica's BF16 gradients per step
 * (sync) or per H steps (DiLoCo), at {@link Calibration#networkEfficiency()} of its bandwidth, plus
 * 2(K−1) one-way latencies.
 *
 * <p><b>Memory.</b> See {@link MemoryUse}: training state divided by TP, PP, EP and the sharding
 * ranks, plus the activations of the micro-batches in flight on the first pipeline stage.
 *
 * <p><b>Accuracy.</b> One {@link Calibration} reproduces the measured throughput of the Megatron-LM
 * runs (A100, 32 to 3,072 GPUs) and Llama 3 405B (H100, 8,192 and 16,384 GPUs) within 10%; see
 * {@code ReferenceThroughputTest} and the README.
 *
 * <p>Pure functions of their arguments; immutable and thread-safe. Costs: {@link #estimate} is a
 * few hundred floating-point operations plus O(layers / pp) for the stage balance (about a
 * microsecond); {@link #search} evaluates every valid (tp, pp, cp, ep, interleaving,
 * recomputation) combination, a few thousand for a dense model and up to about 10⁴ for a large
 * MoE, independent of the GPU count (milliseconds).
 */
public final class PerfModel {
  private static final Comparator<Estimate> FASTEST_FIRST = Comparator
      .comparingDouble((Estimate e) -> -e.tokensPerSecond())
      .thenComparingLong(Estimate::gpus)
      .thenComparingDouble(Estimate::memoryPerGpuBytes)
      .thenComparing(e -> e.parallelism().toString());

  private static final int[] VIRTUAL_STAGES = {1, 2, 3, 4, 6, 8};

  /** How much the search may round the global batch up to fill the data-parallel ranks: 2%. */
  public static final double BATCH_ROUNDING_TOLERANCE = 0.02;

  private final Calibration calibration;

  /** The model with the standard calibration. */
  public PerfModel() {
    this(Calibration.standard());
  }

  public PerfModel(Calibration calibration) {
    this.calibration = calibration;
  }

  public Calibration calibration() {
    return calibration;
  }

  /**
   * Step time, throughput and memory of one configuration.
   *
   * @throws InputException if the layout is invalid for this model, setup and
   *     hardware, or does not fit in GPU memory (the message says by how much)
   */
  public Estimate estimate(ModelSpec model, TrainingSetup setup, Hardware hardware, Parallelism parallelism) {
    String problem = problem(model, setup, hardware, parallelism);
    if (problem != null) {
      throw new InputException(problem);
    }
    Estimate e = new StepModel(calibration, model, setup, hardware, parallelism).estimate();
    if (!e.memory().fits()) {
      throw new InputException(memoryMessage(e));
    }
    return e;
  }

  /**
   * The fastest layouts on at most {@code gpus} GPUs that fit in memory, fastest first (by tokens
   * per second); empty if none fits. A layout may leave GPUs idle when {@code gpus} has no convenient
   * factors or the global batch caps data parallelism: dp is at most global batch ÷ micro-batch,
   * and the batch is rounded up to a multiple of dp × micro-batch by at most
   * {@link #BATCH_ROUNDING_TOLERANCE}. Recomputation starts at the setup's level and is raised only
   * where memory requires.
   */
  public List<Estimate> search(ModelSpec model, TrainingSetup setup, Hardware hardware, int gpus, int topK) {
    return search(model, setup, hardware, gpus, topK, SearchConstraints.any());
  }

  /** {@link #search(ModelSpec, TrainingSetup, Hardware, int, int)} keeping the given degrees fixed. */
  public List<Estimate> search(ModelSpec model, TrainingSetup setup, Hardware hardware, int gpus, int topK,
      SearchConstraints constraints) {
    if (gpus < 1) {
      throw new InputException("the number of GPUs must be >= 1, got " + gpus);
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be >= 1, got " + topK);
    }
    List<Estimate> best = new ArrayList<>(topK + 1);
    for (int tp : tensorParallelCandidates(model, hardware, constraints)) {
      for (int cp : contextParallelCandidates(setup, constraints)) {
        for (int pp : pipelineCandidates(model, gpus, constraints)) {
          long replica = (long) tp * pp * cp;
          if (replica > gpus) {
            continue;
          }
          int cap = (int) Math.min(gpus / replica, setup.globalBatchSequences() / setup.microBatchSequences());
          for (int ep : expertParallelCandidates(model, cap, constraints)) {
            int dp = constraints.dp() > 0 ? (constraints.dp() <= gpus / replica ? constraints.dp() : 0)
                : dataParallelDegree(setup, cap, lcm(ep, hardware.sites()));
            if (dp >= 1 && dp % ep == 0) {
              searchLayouts(model, setup, hardware, new Parallelism(tp, pp, dp, cp, ep, 1), constraints, best, topK);
            }
          }
        }
      }
    }
    return List.copyOf(best);
  }

  private void searchLayouts(ModelSpec model, TrainingSetup setup, Hardware hardware, Parallelism base,
      SearchConstraints constraints, List<Estimate> best, int topK) {
    int pp = base.pp();
    double capacity = hardware.gpu().hbmBytes() * calibration.usableMemoryFraction();
    if (weightsAndGradientsBytesAtLeast(model, setup, base) > capacity) {
      return; // cannot fit whatever the interleaving or recomputation
    }
    int microBatches = StepModel.microBatchesPerStep(setup, base);
    for (int v : VIRTUAL_STAGES) {
      boolean allowed = constraints.allows(v, constraints.virtualStages()) && (pp > 1 || v == 1)
          && (long) pp * v <= model.layers() && (v == 1 || microBatches >= pp);
      if (!allowed) {
        continue;
      }
      Parallelism layout = base.withVirtualStages(v);
      for (Recompute level : Recompute.values()) {
        if (level.compareTo(setup.recompute()) < 0) {
          continue;
        }
        TrainingSetup s = level == setup.recompute() ? setup : setup.withRecompute(level);
        if (problem(model, s, hardware, layout) != null) {
          break;
        }
        Estimate e = new StepModel(calibration, model, s, hardware, layout).estimate();
        if (e.memory().fits()) {
          offer(best, e, topK);
          break; // more recomputation only slows the same layout down
        }
      }
    }
  }

  /** A lower bound of a layout's memory: BF16 weights and gradients, unsharded unless FSDP. */
  private static double weightsAndGradientsBytesAtLeast(ModelSpec m, TrainingSetup s, Parallelism p) {
    if (s.sharding() == OptimizerSharding.FSDP) {
      return 0;
    }
    double modelParallel = (double) p.tp() * p.pp();
    return 4 * ((m.nonExpertParams() - m.embeddingParams()) / modelParallel
        + m.routedExpertParams() / (modelParallel * p.ep()));
  }

  private static void offer(List<Estimate> best, Estimate e, int topK) {
    if (best.size() == topK && FASTEST_FIRST.compare(e, best.get(topK - 1)) >= 0) {
      return;
    }
    int i = 0;
    while (i < best.size() && FASTEST_FIRST.compare(best.get(i), e) <= 0) {
      i++;
    }
    best.add(i, e);
    if (best.size() > topK) {
      best.remove(topK);
    }
  }

  /**
   * The WAN bandwidth (bytes/s, each direction) at which this configuration keeps {@code fraction}
   * of the throughput it has with all its GPUs in one site; +∞ if no bandwidth suffices (the WAN
   * latency alone costs more). Bisection over 80 estimates.
   *
   * @param hardware multi-site hardware; its WAN bandwidth is ignored, its latency kept
   */
  public double wanBandwidthFor(ModelSpec model, TrainingSetup setup, Hardware hardware, Parallelism parallelism,
      double fraction) {
    if (hardware.sites() < 2) {
      throw new InputException("the WAN bandwidth needed is defined for 2 or more sites, got " + hardware.sites());
    }
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1), got " + fraction);
    }
    String problem = problem(model, setup, hardware, parallelism);
    if (problem != null) {
      throw new InputException(problem);
    }
    double target = fraction * throughput(model, setup, hardware.singleSite(), parallelism);
    double lo = 1e3;
    double hi = 1e18;
    if (throughput(model, setup, withWan(hardware, hi), parallelism) < target) {
      return Double.POSITIVE_INFINITY;
    }
    for (int i = 0; i < 80 && hi / lo > 1.0001; i++) {
      double mid = Math.sqrt(lo * hi);
      if (throughput(model, setup, withWan(hardware, mid), parallelism) >= target) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  private double throughput(ModelSpec model, TrainingSetup setup, Hardware hardware, Parallelism parallelism) {
    return new StepModel(calibration, model, setup, hardware, parallelism).estimate().tokensPerSecond();
  }

  private static Hardware withWan(Hardware hw, double bandwidth) {
    return hw.withSites(hw.sites(), bandwidth, hw.wanLatencySeconds());
  }

  // ---- validity ----

  /** Why this layout cannot run (one line naming the values), or {@code null} if it can. */
  static String problem(ModelSpec m, TrainingSetup s, Hardware hw, Parallelism p) {
    int tp = p.tp();
    if (tp > hw.domainGpus()) {
      return String.format(Locale.ROOT, "tp=%d exceeds the scale-up domain (%d GPUs)", tp, hw.domainGpus());
    }
    if (m.attentionHeads() % tp != 0) {
      return String.format(Locale.ROOT, "tp=%d does not divide the %d attention heads of %s", tp,
          m.attentionHeads(), m.name());
    }
    if (m.kvHeads() % tp != 0 && tp % m.kvHeads() != 0) {
      return String.format(Locale.ROOT, "tp=%d and the %d KV heads of %s: one must divide the other", tp,
          m.kvHeads(), m.name());
    }
    if (m.ffnHiddenSize() % tp != 0 || m.expertFfnHiddenSize() % tp != 0) {
      return String.format(Locale.ROOT, "tp=%d does not divide the feed-forward width %d of %s", tp,
          m.ffnHiddenSize() % tp != 0 ? m.ffnHiddenSize() : m.expertFfnHiddenSize(), m.name());
    }
    String pipeline = pipelineProblem(m, s, p);
    return pipeline != null ? pipeline : dataProblem(m, s, hw, p);
  }

  private static String pipelineProblem(ModelSpec m, TrainingSetup s, Parallelism p) {
    if (p.pp() > m.layers()) {
      return String.format(Locale.ROOT, "pp=%d exceeds the %d layers of %s", p.pp(), m.layers(), m.name());
    }
    if ((long) p.pp() * p.virtualStages() > m.layers()) {
      return String.format(Locale.ROOT, "pp=%d with %d virtual stages needs %d layers; %s has %d", p.pp(),
          p.virtualStages(), p.pp() * p.virtualStages(), m.name(), m.layers());
    }
    int microBatches = StepModel.microBatchesPerStep(s, p);
    if (p.virtualStages() > 1 && microBatches < p.pp()) {
      return String.format(Locale.ROOT,
          "interleaving needs at least pp=%d micro-batches per step, got %d"
              + " (global batch %d / (dp %d × micro-batch %d))",
          p.pp(), microBatches, s.globalBatchSequences(), p.dp(), s.microBatchSequences());
    }
    if (p.cp() > 1 && s.seqLength() % (2 * p.cp()) != 0) {
      return String.format(Locale.ROOT, "cp=%d needs the sequence length (%d) to split into %d equal chunks",
          p.cp(), s.seqLength(), 2 * p.cp());
    }
    return null;
  }

  private static String dataProblem(ModelSpec m, TrainingSetup s, Hardware hw, Parallelism p) {
    if (!m.isMoe() && p.ep() > 1) {
      return String.format(Locale.ROOT, "ep=%d needs a mixture-of-experts model; %s is dense", p.ep(), m.name());
    }
    if (m.isMoe() && m.experts() % p.ep() != 0) {
      return String.format(Locale.ROOT, "ep=%d does not divide the %d experts of %s", p.ep(), m.experts(), m.name());
    }
    if ((long) p.dp() * s.microBatchSequences() > s.globalBatchSequences()) {
      return String.format(Locale.ROOT, "dp=%d × micro-batch %d exceeds the global batch of %d sequences", p.dp(),
          s.microBatchSequences(), s.globalBatchSequences());
    }
    if (p.dp() % hw.sites() != 0) {
      return String.format(Locale.ROOT, "dp=%d does not split evenly over %d sites", p.dp(), hw.sites());
    }
    return null;
  }

  private static String memoryMessage(Estimate e) {
    MemoryUse mem = e.memory();
    double gib = 1024.0 * 1024 * 1024;
    return String.format(Locale.ROOT,
        "%s with %s (recompute %s, sharding %s) needs %.1f GiB per GPU, %.1f GiB more than the %.1f GiB usable on %s"
            + " (weights %.1f, gradients %.1f, optimizer %.1f, activations %.1f GiB)",
        e.model(), e.parallelism(), e.setup().recompute().label(), e.setup().sharding().label(), mem.totalBytes() / gib,
        mem.overflowBytes() / gib, mem.capacityBytes() / gib, e.hardware().gpu().name(), mem.weightsBytes() / gib,
        mem.gradientsBytes() / gib, mem.optimizerBytes() / gib, mem.activationsBytes() / gib);
  }

  // ---- search candidates ----

  private static List<Integer> tensorParallelCandidates(ModelSpec m, Hardware hw, SearchConstraints k) {
    List<Integer> out = new ArrayList<>();
    for (int tp = 1; tp <= Math.min(hw.domainGpus(), m.attentionHeads()); tp++) {
      if (k.allows(tp, k.tp()) && m.attentionHeads() % tp == 0 && (m.kvHeads() % tp == 0 || tp % m.kvHeads() == 0)
          && m.ffnHiddenSize() % tp == 0 && m.expertFfnHiddenSize() % tp == 0) {
        out.add(tp);
      }
    }
    return out;
  }

  private static List<Integer> pipelineCandidates(ModelSpec m, int gpus, SearchConstraints k) {
    List<Integer> out = new ArrayList<>();
    for (int pp = 1; pp <= Math.min(m.layers(), gpus); pp++) {
      if (k.allows(pp, k.pp()) && (k.pp() == pp || m.layers() % pp == 0 || Integer.bitCount(pp) == 1)) {
        out.add(pp);
      }
    }
    return out;
  }

  /** Powers of two that leave at least 1,024 tokens per rank (CP pays off only for long sequences). */
  private static List<Integer> contextParallelCandidates(TrainingSetup s, SearchConstraints k) {
    List<Integer> out = new ArrayList<>();
    if (k.cp() > 0) {
      out.add(k.cp());
      return out;
    }
    out.add(1);
    for (int cp = 2; cp <= 64 && s.seqLength() / cp >= 1024 && s.seqLength() % (2 * cp) == 0; cp *= 2) {
      out.add(cp);
    }
    return out;
  }

  private static List<Integer> expertParallelCandidates(ModelSpec m, int maxDp, SearchConstraints k) {
    List<Integer> out = new ArrayList<>();
    if (!m.isMoe()) {
      if (k.allows(1, k.ep())) {
        out.add(1);
      }
      return out;
    }
    for (int ep = 1; ep <= Math.min(maxDp, m.experts()); ep++) {
      if (k.allows(ep, k.ep()) && m.experts() % ep == 0) {
        out.add(ep);
      }
    }
    return out;
  }

  /**
   * The most data-parallel ranks up to {@code cap}, a multiple of {@code step} (the EP degree and the
   * sites), whose rounding of the global batch up to a multiple of dp × micro-batch adds at most
   * {@value #BATCH_ROUNDING_TOLERANCE} of it; 0 if none.
   */
  private static int dataParallelDegree(TrainingSetup s, int cap, int step) {
    double limit = s.globalBatchSequences() * (1 + BATCH_ROUNDING_TOLERANCE);
    for (int dp = cap - cap % step; dp >= step; dp -= step) {
      long perPipeline = (long) dp * s.microBatchSequences();
      long batch = (s.globalBatchSequences() + perPipeline - 1) / perPipeline * perPipeline;
      if (batch <= limit) {
        return dp;
      }
    }
    return 0;
  }

  private static int lcm(int a, int b) {
    int x = a;
    int y = b;
    while (y != 0) {
      int t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }
}
