package dev.superfactory.cli;

import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.fleet.GpuModel;
import dev.superfactory.fleet.WanLink;
import dev.superfactory.input.InputException;
import dev.superfactory.input.Units;
import dev.superfactory.perf.CrossSiteStrategy;
import dev.superfactory.perf.Estimate;
import dev.superfactory.perf.FailureProfiles;
import dev.superfactory.perf.Hardware;
import dev.superfactory.perf.ModelCatalog;
import dev.superfactory.perf.ModelSpec;
import dev.superfactory.perf.OptimizerSharding;
import dev.superfactory.perf.Parallelism;
import dev.superfactory.perf.PerfModel;
import dev.superfactory.perf.Precision;
import dev.superfactory.perf.Recompute;
import dev.superfactory.perf.ReliabilityEstimate;
import dev.superfactory.perf.SearchConstraints;
import dev.superfactory.perf.TrainingSetup;
import dev.superfactory.perf.WanRequirement;
import dev.superfactory.report.EstimateReport;
import dev.superfactory.report.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "estimate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Estimate step time, throughput, MFU and memory of a training job.",
        "Searches the fastest parallel layout unless --tp/--pp/--cp/--ep fix degrees; reports the WAN cross-site"
            + " training needs and, with --days, reliability. TFLOP/s and MFU count model FLOPs; hardware TFLOP/s"
            + " include recomputation."})
final class EstimateCommand implements Runnable {
  private static final int NEXT_BEST = 4;
  private static final double KEEP = 0.95;

  @Option(names = "--model", paramLabel = "NAME", description = "A catalog model: ${COMPLETION-CANDIDATES}.",
      completionCandidates = ModelNames.class)
  String model;

  @Option(names = "--model-file", paramLabel = "FILE", description = "A model YAML file (keys as in models.yaml).")
  Path modelFile;

  @Option(names = "--layers", paramLabel = "L", converter = NumberConverters.PositiveInt.class,
      description = "Transformer layers (with --hidden and --heads).")
  Integer layers;

  @Option(names = "--hidden", paramLabel = "H", converter = NumberConverters.PositiveInt.class,
      description = "Hidden size.")
  Integer hidden;

  @Option(names = "--heads", paramLabel = "A", converter = NumberConverters.PositiveInt.class,
      description = "Attention heads.")
  Integer heads;

  @Option(names = "--kv-heads", paramLabel = "K", converter = NumberConverters.PositiveInt.class,
      description = "Key/value heads (default: --heads).")
  Integer kvHeads;

  @Option(names = "--ffn", paramLabel = "F", converter = NumberConverters.PositiveInt.class,
      description = "Feed-forward width (default: 4 x hidden, GELU).")
  Integer ffn;

  @Option(names = "--vocab", paramLabel = "V", converter = NumberConverters.PositiveInt.class,
      description = "Vocabulary (default: 51200).")
  Integer vocab;

  @Option(names = "--seq-len", paramLabel = "S", converter = NumberConverters.PositiveInt.class,
      description = "Sequence length (default: the model's, 2048 inline).")
  Integer seqLen;

  @Option(names = "--gpu", paramLabel = "NAME", defaultValue = "h100",
      description = "GPU model (default: ${DEFAULT-VALUE}).")
  String gpu;

  @Option(names = "--gpus", paramLabel = "N[,N...]", required = true,
      description = "GPUs of the job; a comma-separated list prints the strong-scaling curve at the fixed global batch.")
  String gpusList;

  /** The GPU count being estimated (one of --gpus). */
  private int gpus;

  @Option(names = "--global-batch", paramLabel = "B", converter = NumberConverters.PositiveInt.class,
      description = "Sequences per step (default: about 4M tokens).")
  Integer globalBatch;

  @Option(names = "--micro-batch", paramLabel = "b", converter = NumberConverters.PositiveInt.class,
      defaultValue = "1",
      description = "Sequences per micro-batch (default: ${DEFAULT-VALUE}).")
  int microBatch;

  @Option(names = "--tp", paramLabel = "t", converter = NumberConverters.PositiveInt.class,
      description = "Tensor parallelism (default: searched).")
  Integer tp;

  @Option(names = "--pp", paramLabel = "p", converter = NumberConverters.PositiveInt.class,
      description = "Pipeline parallelism (default: searched).")
  Integer pp;

  @Option(names = "--cp", paramLabel = "c", converter = NumberConverters.PositiveInt.class,
      description = "Context parallelism (default: searched).")
  Integer cp;

  @Option(names = "--ep", paramLabel = "e", converter = NumberConverters.PositiveInt.class,
      description = "Expert parallelism (default: searched).")
  Integer ep;

  @Option(names = "--virtual-stages", paramLabel = "v", converter = NumberConverters.PositiveInt.class,
      description = "Interleaved chunks per pipeline stage.")
  Integer virtualStages;

  @Option(names = "--precision", paramLabel = "bf16|fp8", defaultValue = "bf16",
      description = "GEMM precision (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--recompute", paramLabel = "none|selective|full", defaultValue = "none",
      description = "Least activation recomputation; more is added where memory needs it (default: none).")
  String recompute;

  @Option(names = "--sharding", paramLabel = "none|zero1|fsdp", defaultValue = "zero1",
      description = "Optimizer-state sharding (default: zero1).")
  String sharding;

  @Option(names = "--tokens", paramLabel = "T", description = "Tokens to train on, e.g. 15T: prints training days.")
  String tokens;

  @Option(names = "--sites", paramLabel = "K", converter = NumberConverters.PositiveInt.class,
      defaultValue = "1",
      description = "Sites the job spans (default: ${DEFAULT-VALUE}).")
  int sites;

  @Option(names = "--wan-bandwidth", paramLabel = "BW", description = "WAN bandwidth between sites, e.g. 10Tbps.")
  String wanBandwidth;

  @Option(names = "--wan-distance", paramLabel = "D", defaultValue = "1130km",
      description = "WAN fiber distance, latency 5 us/km (default: ${DEFAULT-VALUE}).")
  String wanDistance;

  @Option(names = "--wan-latency", paramLabel = "T",
      description = "One-way WAN latency, e.g. 6ms (overrides distance).")
  String wanLatency;

  @Option(names = "--strategy", paramLabel = "sync|diloco:H", defaultValue = "sync",
      description = "Cross-site strategy (default: sync).")
  String strategy;

  @Option(names = "--days", paramLabel = "D", converter = NumberConverters.PositiveDouble.class,
      description = "Run length in days: adds the reliability one-liner.")
  Double days;

  @Option(names = "--failure-profile", paramLabel = "NAME",
      description = "Failure rates for --days (default: the GPU's generation; see 'failure-rates').")
  String failureProfile;

  @Option(converter = NumberConverters.PositiveInt.class, names = "--domain-gpus", paramLabel = "G",
      description = "GPUs per scale-up domain (default: 72 for gb200/gb300, 8 otherwise).")
  Integer domainGpus;

  @Option(names = "--scale-out", paramLabel = "BW",
      description = "Scale-out bandwidth per GPU (default: 800Gbps for b200/gb200/gb300, 400Gbps otherwise).")
  String scaleOut;

  @Option(names = "--no-flash-attention", description = "Model 2021 attention kernels (s x s scores through HBM).")
  boolean noFlashAttention;

  @Option(names = "--json", description = "Print one JSON object instead of tables.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    List<Integer> counts = gpuCounts();
    ModelSpec m = model();
    TrainingSetup setup = setup(m);
    Hardware hw = hardware();
    PerfModel perf = new PerfModel();
    if (counts.size() > 1) {
      List<Estimate> curve = new ArrayList<>();
      for (int n : counts) {
        gpus = n;
        curve.add(search(perf, m, setup, hw, 1).get(0));
      }
      EstimateReport.Curve result = new EstimateReport.Curve(m, curve);
      spec.commandLine().getOut().print(json ? Json.pretty(EstimateReport.json(result))
          : EstimateReport.text(result));
      return;
    }
    gpus = counts.get(0);
    List<Estimate> found = search(perf, m, setup, hw, NEXT_BEST + 1);
    Estimate best = found.get(0);
    FailureProfiles.Choice rates = failureProfile != null
        ? new FailureProfiles.Choice(FailureProfiles.get(failureProfile), "given with --failure-profile")
        : FailureProfiles.forGpu(gpu);
    ReliabilityEstimate reliability = days == null ? null
        : ReliabilityEstimate.of(m, best.gpus(), days, rates.profile());
    EstimateReport.Result result = new EstimateReport.Result(m, gpus, best, found.subList(1, found.size()),
        wanRequirements(perf, m, best, hw), reliability, rates.reason());
    spec.commandLine().getOut().print(json ? Json.pretty(EstimateReport.json(result)) : EstimateReport.text(result));
  }

  private List<Estimate> search(PerfModel perf, ModelSpec m, TrainingSetup setup, Hardware hw, int topK) {
    List<Estimate> found = perf.search(m, setup, hw, gpus, topK, constraints());
    if (found.isEmpty()) {
      throw new InputException(nothingFits(perf, m, setup, hw));
    }
    return found;
  }

  /** --gpus: one count, or an increasing comma-separated list of them. */
  private List<Integer> gpuCounts() {
    List<Integer> out = new ArrayList<>();
    for (String part : gpusList.split(",", -1)) {
      int n;
      try {
        n = Integer.parseInt(part.trim());
      } catch (NumberFormatException e) {
        throw new InputException("--gpus: '" + part.trim() + "' is not a whole number " + (gpusList.contains(",")
            ? "(give N or N,N,..., e.g. 3072,6144,12288)" : "(see 'superfactory estimate --help')"));
      }
      if (n < 1) {
        throw new InputException("--gpus: must be greater than 0, got " + n + " (see 'superfactory estimate --help')");
      }
      if (!out.isEmpty() && n <= out.get(out.size() - 1)) {
        throw new InputException("--gpus: counts must increase, got " + n + " after " + out.get(out.size() - 1));
      }
      out.add(n);
    }
    return out;
  }

  private ModelSpec model() {
    int given = (model != null ? 1 : 0) + (modelFile != null ? 1 : 0) + (layers != null || hidden != null ? 1 : 0);
    if (given != 1) {
      throw new InputException(
          "give exactly one of --model NAME, --model-file FILE, or --layers, --hidden and --heads");
    }
    ModelSpec m;
    if (model != null) {
      m = ModelCatalog.get(model);
    } else if (modelFile != null) {
      m = ModelCatalog.readFile(modelFile);
    } else {
      if (layers == null || hidden == null || heads == null) {
        throw new InputException("an inline model needs --layers, --hidden and --heads");
      }
      int f = ffn != null ? ffn : 4 * hidden;
      m = ModelSpec.dense(String.format(Locale.ROOT, "custom-%dL-%dH", layers, hidden), layers, hidden, heads,
          kvHeads != null ? kvHeads : heads, f, vocab != null ? vocab : 51200, 2048, false, true,
          "given on the command line");
    }
    return seqLen != null ? m.withSeqLength(seqLen) : m;
  }

  private TrainingSetup setup(ModelSpec m) {
    TrainingSetup s = TrainingSetup.defaults(m);
    int batch = globalBatch != null ? globalBatch : s.globalBatchSequences();
    s = s.withGlobalBatch(batch).withMicroBatch(microBatch);
    s = s.withPrecision(Precision.parse(precision))
        .withRecompute(Recompute.parse(recompute))
        .withSharding(OptimizerSharding.parse(sharding))
        .withFlashAttention(!noFlashAttention)
        .withStrategy(CrossSiteStrategy.parse(strategy));
    if (tokens != null) {
      s = s.withTotalTokens(quantity("--tokens", tokens, Units::parseCount));
    }
    return s;
  }

  private Hardware hardware() {
    GpuModel g = GpuCatalog.builtIn().get(gpu);
    int domain = domainGpus != null ? domainGpus : Hardware.defaultDomainGpus(g);
    double out = scaleOut != null ? quantity("--scale-out", scaleOut, Units::parseBandwidthBytesPerSecond)
        : Hardware.defaultScaleOutBytesPerSecond(g);
    Hardware hw = Hardware.of(g, domain, out);
    if (sites == 1) {
      return hw;
    }
    if (wanBandwidth == null) {
      throw new InputException("--sites " + sites + " needs --wan-bandwidth, e.g. --wan-bandwidth 10Tbps");
    }
    return hw.withSites(sites, quantity("--wan-bandwidth", wanBandwidth, Units::parseBandwidthBytesPerSecond),
        latencySeconds());
  }

  private double latencySeconds() {
    if (wanLatency != null) {
      return quantity("--wan-latency", wanLatency, Units::parseDurationSeconds);
    }
    return quantity("--wan-distance", wanDistance, Units::parseDistanceKm) * WanLink.FIBER_SECONDS_PER_KM;
  }

  private SearchConstraints constraints() {
    return new SearchConstraints(zeroIfAbsent(tp), zeroIfAbsent(pp), zeroIfAbsent(cp), zeroIfAbsent(ep),
        zeroIfAbsent(virtualStages), 0);
  }

  /** Sync and DiLoCo (the given H, or 100) over the job's sites, or over 2 if it runs on one. */
  private List<WanRequirement> wanRequirements(PerfModel perf, ModelSpec m, Estimate best, Hardware hw) {
    int k = Math.max(2, hw.sites());
    double latency = hw.sites() > 1 ? hw.wanLatencySeconds() : latencySeconds();
    CrossSiteStrategy given = CrossSiteStrategy.parse(strategy);
    CrossSiteStrategy diloco = given.isDiloco() ? given : CrossSiteStrategy.diloco(100);
    List<WanRequirement> out = new ArrayList<>();
    out.add(WanRequirement.of(perf, m, best, CrossSiteStrategy.sync(), k, latency, KEEP));
    out.add(WanRequirement.of(perf, m, best, diloco, k, latency, KEEP));
    return out;
  }

  /** Why no layout fits: the explicit layout's own error, or how far the training state is from fitting. */
  private String nothingFits(PerfModel perf, ModelSpec m, TrainingSetup setup, Hardware hw) {
    if (tp != null || pp != null || cp != null || ep != null) {
      int t = tp != null ? tp : 1;
      int p = pp != null ? pp : 1;
      int c = cp != null ? cp : 1;
      int e = ep != null ? ep : 1;
      long replica = (long) t * p * c;
      if (replica > gpus) {
        return String.format(Locale.ROOT, "tp=%d x pp=%d x cp=%d = %d GPUs exceeds --gpus %d", t, p, c, replica, gpus);
      }
      int dp = (int) (gpus / replica);
      Parallelism layout = new Parallelism(t, p, dp, c, e, virtualStages != null ? virtualStages : 1);
      perf.estimate(m, setup.withRecompute(Recompute.FULL), hw, layout); // throws the specific reason
      return String.format(Locale.ROOT, "no layout of %,d GPUs with %s fits the global batch of %d sequences;"
          + " leave more degrees to the search", gpus, layout, setup.globalBatchSequences());
    }
    double gib = 1024.0 * 1024 * 1024;
    double state = m.parameters() * 16;
    double capacity = hw.gpu().hbmBytes() * perf.calibration().usableMemoryFraction();
    return String.format(Locale.ROOT,
        "no parallel layout of %,d %s GPUs fits %s: its training state alone (%.0fB parameters x 16 bytes = %,.0f GiB)"
            + " is %,.1f GiB per GPU before activations, against %.1f GiB usable; use more GPUs or a shorter sequence",
        gpus, hw.gpu().name(), m.name(), m.parameters() / 1e9, state / gib, state / gpus / gib, capacity / gib);
  }

  private static int zeroIfAbsent(Integer value) {
    return value == null ? 0 : value;
  }

  private static double quantity(String option, String text, ToDoubleFunction<String> parser) {
    try {
      double v = parser.applyAsDouble(text);
      if (!(v > 0) || Double.isInfinite(v)) {
        throw new InputException(option + ": must be greater than 0, got '" + text + "'");
      }
      return v;
    } catch (IllegalArgumentException e) {
      throw new InputException(option + ": " + e.getMessage());
    }
  }

  /** The catalog names, for --help. */
  static final class ModelNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    ModelNames() {
      super(ModelCatalog.names());
    }
  }
}
