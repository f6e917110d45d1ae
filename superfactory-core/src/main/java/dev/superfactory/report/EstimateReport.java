package dev.superfactory.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.perf.Estimate;
import dev.superfactory.perf.Hardware;
import dev.superfactory.perf.MemoryUse;
import dev.superfactory.perf.ModelSpec;
import dev.superfactory.perf.Parallelism;
import dev.superfactory.perf.Recompute;
import dev.superfactory.perf.ReliabilityEstimate;
import dev.superfactory.perf.TrainingSetup;
import dev.superfactory.perf.WanRequirement;
import dev.superfactory.input.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code superfactory estimate}: a performance estimate as a console report or one JSON object.
 * {@code tflopsPerGpu} and {@code mfu} count model FLOPs (no recomputation, causal attention);
 * {@code hardwareTflopsPerGpu} counts what the GPUs execute, as Megatron-LM reports.
 */
public final class EstimateReport {
  private static final double GIB = 1024.0 * 1024 * 1024;

  private EstimateReport() {}

  /**
   * What the command found.
   *
   * @param model the model
   * @param gpusRequested GPUs asked for (the best layout may use fewer)
   * @param best the fastest layout
   * @param alternatives the next-best layouts, fastest first
   * @param wan WAN bandwidth needed per strategy (empty if not computed)
   * @param reliability the reliability one-liner, or {@code null} without {@code --days}
   * @param profileReason why the reliability one-liner uses its failure profile
   */
  public record Result(ModelSpec model, int gpusRequested, Estimate best, List<Estimate> alternatives,
      List<WanRequirement> wan, ReliabilityEstimate reliability, String profileReason) {
    public Result {
      alternatives = List.copyOf(alternatives);
      wan = List.copyOf(wan);
    }
  }

  /**
   * A strong-scaling curve: the fastest layout at each GPU count, same model and global batch.
   *
   * @param model the model
   * @param points one estimate per GPU count, in increasing order
   */
  public record Curve(ModelSpec model, List<Estimate> points) {
    public Curve {
      points = List.copyOf(points);
      if (points.isEmpty()) {
        throw new IllegalArgumentException("a curve needs at least one point");
      }
    }
  }

  /** The curve as JSON: {@code curve[]} of {@code gpus}, layout, step time, tokens/s, MFU, {@code shares}. */
  public static ObjectNode json(Curve c) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Estimate first = c.points().get(0);
    ObjectNode root = f.objectNode();
    root.put("model", c.model().name());
    root.put("gpu", first.hardware().gpu().name());
    root.set("setup", setup(first, f));
    ArrayNode curve = root.putArray("curve");
    for (Estimate e : c.points()) {
      ObjectNode n = curve.addObject();
      n.put("gpus", e.gpus());
      n.set("parallelism", parallelism(e.parallelism(), f));
      n.put("recompute", e.setup().recompute().label());
      n.put("microBatches", e.microBatches());
      n.put("stepTimeSeconds", Format.round(e.stepTimeSeconds(), 6));
      n.put("tokensPerSecond", Format.round(e.tokensPerSecond(), 1));
      n.put("mfu", Format.round(e.mfu(), 4));
      ObjectNode shares = n.putObject("shares");
      for (Map.Entry<String, Double> part : e.breakdown().asMap().entrySet()) {
        shares.put(part.getKey(), Format.round(part.getValue() / e.stepTimeSeconds(), 4));
      }
    }
    return root;
  }

  /** The curve as a table: one row per GPU count, the breakdown's parts as shares of the step. */
  public static String text(Curve c) {
    Estimate first = c.points().get(0);
    TrainingSetup s = first.setup();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s on %s GPUs at a fixed global batch of %s sequences (%s tokens),"
            + " sequence %s, micro-batch %d, %s%n%n", c.model().name(), first.hardware().gpu().name(),
        Format.count(first.globalBatchSequences()), compact((double) first.globalBatchSequences() * s.seqLength()),
        Format.count(s.seqLength()), s.microBatchSequences(), s.precision().label()));
    List<String> parts = curveParts(c);
    List<String> headers = new ArrayList<>(List.of("GPUs>", "layout", "m>", "step s>", "tokens/s>", "MFU>"));
    parts.forEach(p -> headers.add(p + ">"));
    TextTable t = new TextTable(headers.toArray(new String[0]));
    for (Estimate e : c.points()) {
      List<Object> row = new ArrayList<>(List.of(Format.count(e.gpus()), e.parallelism(), e.microBatches(),
          Format.fixed(e.stepTimeSeconds(), 3), Format.count(Math.round(e.tokensPerSecond())),
          Format.percent(e.mfu())));
      Map<String, Double> b = e.breakdown().asMap();
      parts.forEach(p -> row.add(Format.percent(b.get(p) / e.stepTimeSeconds())));
      t.row(row.toArray());
    }
    sb.append(t);
    sb.append("\nShares of the step time; m = micro-batches per pipeline per step.\n");
    return sb.toString();
  }

  /** The breakdown parts that are non-zero at some point of the curve, in the breakdown's order. */
  private static List<String> curveParts(Curve c) {
    List<String> out = new ArrayList<>();
    for (String part : c.points().get(0).breakdown().asMap().keySet()) {
      if (c.points().stream().anyMatch(e -> e.breakdown().asMap().get(part) > 0)) {
        out.add(part);
      }
    }
    return out;
  }

  /** The JSON form: {@code stepTimeSeconds}, {@code tokensPerSecond}, {@code tflopsPerGpu}, {@code mfu}, ... */
  public static ObjectNode json(Result r) {
    Estimate e = r.best();
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("model", r.model().name());
    root.put("parameters", Math.round(r.model().parameters()));
    root.put("activeParameters", Math.round(r.model().activeParameters()));
    root.put("gpu", e.hardware().gpu().name());
    root.put("gpusRequested", r.gpusRequested());
    root.put("gpus", e.gpus());
    root.put("sites", e.hardware().sites());
    root.put("stepTimeSeconds", Format.round(e.stepTimeSeconds(), 6));
    root.put("tokensPerSecond", Format.round(e.tokensPerSecond(), 1));
    root.put("tflopsPerGpu", Format.round(e.tflopsPerGpu(), 2));
    root.put("hardwareTflopsPerGpu", Format.round(e.hardwareTflopsPerGpu(), 2));
    root.put("mfu", Format.round(e.mfu(), 4));
    root.put("flopConvention", "tflopsPerGpu and mfu: model FLOPs (6 x active weights per token + causal attention,"
        + " no recomputation); hardwareTflopsPerGpu: executed FLOPs including recomputation");
    root.put("memoryPerGpuGiB", Format.round(e.memoryPerGpuBytes() / GIB, 3));
    root.set("memory", memory(e.memory(), f));
    root.set("parallelism", parallelism(e.parallelism(), f));
    root.set("setup", setup(e, f));
    root.put("strategy", e.strategy().label());
    root.put("bubbleFraction", Format.round(e.bubbleFraction(), 4));
    ObjectNode breakdown = root.putObject("breakdown");
    for (Map.Entry<String, Double> part : e.breakdown().asMap().entrySet()) {
      breakdown.put(part.getKey() + "Seconds", Format.round(part.getValue(), 6));
    }
    ArrayNode alternatives = root.putArray("alternatives");
    for (Estimate a : r.alternatives()) {
      ObjectNode n = alternatives.addObject();
      n.set("parallelism", parallelism(a.parallelism(), f));
      n.put("recompute", a.setup().recompute().label());
      n.put("gpus", a.gpus());
      n.put("stepTimeSeconds", Format.round(a.stepTimeSeconds(), 6));
      n.put("tokensPerSecond", Format.round(a.tokensPerSecond(), 1));
      n.put("mfu", Format.round(a.mfu(), 4));
      n.put("memoryPerGpuGiB", Format.round(a.memoryPerGpuBytes() / GIB, 3));
    }
    if (!r.wan().isEmpty()) {
      root.set("crossSite", crossSite(r.wan(), f));
    }
    if (e.setup().totalTokens() > 0) {
      root.put("totalTokens", e.setup().totalTokens());
      root.put("trainingDays", Format.round(e.trainingDays(e.setup().totalTokens()), 3));
    }
    if (r.reliability() != null) {
      root.set("reliability", reliability(r.reliability(), r.profileReason(), f));
    }
    return root;
  }

  private static ObjectNode memory(MemoryUse m, JsonNodeFactory f) {
    ObjectNode n = f.objectNode();
    n.put("weightsGiB", Format.round(m.weightsBytes() / GIB, 3));
    n.put("gradientsGiB", Format.round(m.gradientsBytes() / GIB, 3));
    n.put("optimizerGiB", Format.round(m.optimizerBytes() / GIB, 3));
    n.put("activationsGiB", Format.round(m.activationsBytes() / GIB, 3));
    n.put("capacityGiB", Format.round(m.capacityBytes() / GIB, 3));
    return n;
  }

  private static ObjectNode parallelism(Parallelism p, JsonNodeFactory f) {
    ObjectNode n = f.objectNode();
    n.put("tp", p.tp());
    n.put("pp", p.pp());
    n.put("dp", p.dp());
    n.put("cp", p.cp());
    n.put("ep", p.ep());
    n.put("virtualStages", p.virtualStages());
    return n;
  }

  private static ObjectNode setup(Estimate e, JsonNodeFactory f) {
    TrainingSetup s = e.setup();
    ObjectNode n = f.objectNode();
    n.put("seqLength", s.seqLength());
    n.put("globalBatchSequences", e.globalBatchSequences());
    n.put("requestedGlobalBatchSequences", s.globalBatchSequences());
    n.put("microBatchSequences", s.microBatchSequences());
    n.put("microBatches", e.microBatches());
    n.put("precision", s.precision().label());
    n.put("recompute", s.recompute().label());
    n.put("sharding", s.sharding().label());
    n.put("flashAttention", s.flashAttention());
    Hardware hw = e.hardware();
    n.put("domainGpus", hw.domainGpus());
    n.put("scaleOutGbpsPerGpu", Format.round(hw.scaleOutBytesPerSecond() * 8 / 1e9, 3));
    if (hw.sites() > 1) {
      n.put("wanGbps", Format.round(hw.wanBandwidthBytesPerSecond() * 8 / 1e9, 3));
      n.put("wanLatencyMs", Format.round(hw.wanLatencySeconds() * 1000, 4));
    }
    return n;
  }

  private static ObjectNode crossSite(List<WanRequirement> wan, JsonNodeFactory f) {
    ObjectNode n = f.objectNode();
    n.put("sites", wan.get(0).sites());
    n.put("wanLatencyMs", Format.round(wan.get(0).latencySeconds() * 1000, 4));
    n.put("keepFraction", wan.get(0).fraction());
    for (WanRequirement w : wan) {
      ObjectNode s = n.putObject(w.strategy().label());
      double gbps = w.bandwidthBytesPerSecond() * 8 / 1e9;
      if (Double.isFinite(gbps)) {
        s.put("wanBandwidthNeededGbps", Format.round(gbps, 3));
      } else {
        s.putNull("wanBandwidthNeededGbps");
        s.put("note", Double.isNaN(gbps) ? "dp is not a multiple of the site count" : "no bandwidth suffices");
      }
    }
    return n;
  }

  private static ObjectNode reliability(ReliabilityEstimate r, String profileReason, JsonNodeFactory f) {
    ObjectNode n = f.objectNode();
    n.put("days", r.days());
    n.put("interruptionsPerDay", Format.round(r.interruptionsPerDay(), 4));
    n.put("unexpectedInterruptionsPerDay", Format.round(r.unexpectedPerDay(), 4));
    n.put("plannedInterruptionsPerDay", Format.round(r.plannedPerDay(), 4));
    n.put("expectedInterruptions", Format.round(r.expectedInterruptions(), 2));
    n.put("mtbfHours", Format.round(r.mtbfHours(), 3));
    n.put("checkpointWriteSeconds", Format.round(r.checkpointWriteSeconds(), 3));
    n.put("checkpointIntervalMinutes", Format.round(r.checkpointIntervalSeconds() / 60, 3));
    n.put("restartMinutes", Format.round(r.restartSeconds() / 60, 3));
    n.put("effectiveTrainingTimeRatio", Format.round(r.effectiveTrainingTimeRatio(), 4));
    n.put("failureProfile", r.profile().name());
    n.put("failureProfileReason", profileReason);
    n.put("source", "rates: " + r.profile().source() + "; interval: Young (1974)");
    return n;
  }

  /** The console form. */
  public static String text(Result r) {
    Estimate e = r.best();
    StringBuilder sb = new StringBuilder();
    header(sb, r);
    keyValues(sb, e);
    sb.append('\n').append("Where the time goes (one step; model FLOPs exclude recomputation):\n");
    TextTable parts = new TextTable("part", "seconds>", "share>");
    for (Map.Entry<String, Double> part : e.breakdown().asMap().entrySet()) {
      if (part.getValue() > 0) {
        parts.row(part.getKey(), Format.fixed(part.getValue(), 3),
            Format.percent(part.getValue() / e.stepTimeSeconds()));
      }
    }
    parts.row("total", Format.fixed(e.stepTimeSeconds(), 3), "100.0%");
    sb.append(parts);
    if (!r.alternatives().isEmpty()) {
      sb.append('\n').append("Next-best layouts:\n");
      TextTable alt = new TextTable("layout", "recompute", "GPUs>", "tokens/s>", "step s>", "MFU>", "GiB/GPU>");
      for (Estimate a : r.alternatives()) {
        alt.row(a.parallelism(), a.setup().recompute().label(), Format.count(a.gpus()),
            Format.count(Math.round(a.tokensPerSecond())), Format.fixed(a.stepTimeSeconds(), 3),
            Format.percent(a.mfu()), Format.fixed(a.memoryPerGpuBytes() / GIB, 1));
      }
      sb.append(alt);
    }
    crossSiteText(sb, r.wan());
    if (e.setup().totalTokens() > 0) {
      double days = e.trainingDays(e.setup().totalTokens());
      sb.append('\n').append(String.format(Locale.ROOT, "Training on %s tokens: %s days at this throughput",
          compact(e.setup().totalTokens()), Format.fixed(days, 1)));
      if (r.reliability() != null) {
        sb.append(String.format(Locale.ROOT, ", %s days with interruptions",
            Format.fixed(days / r.reliability().effectiveTrainingTimeRatio(), 1)));
      }
      sb.append(".\n");
    }
    if (r.reliability() != null) {
      reliabilityText(sb, r.reliability(), r.profileReason());
    }
    return sb.toString();
  }

  private static void header(StringBuilder sb, Result r) {
    Estimate e = r.best();
    Hardware hw = e.hardware();
    TrainingSetup s = e.setup();
    sb.append(String.format(Locale.ROOT, "%s (%sB parameters%s) on %s %s GPUs (%d per scale-up domain, %s scale-out"
            + " per GPU)%s%n",
        r.model().name(), Format.fixed(r.model().parameters() / 1e9, 1),
        r.model().isMoe() ? ", " + Format.fixed(r.model().activeParameters() / 1e9, 1) + "B active" : "",
        Format.count(r.gpusRequested()), hw.gpu().name(), hw.domainGpus(),
        Units.formatBandwidthBits(hw.scaleOutBytesPerSecond()),
        hw.sites() > 1 ? String.format(Locale.ROOT, ", %d sites over a %s WAN (%.2f ms one way), %s", hw.sites(),
            Units.formatBandwidthBits(hw.wanBandwidthBytesPerSecond()), hw.wanLatencySeconds() * 1000,
            s.strategy().label()) : ""));
    sb.append(String.format(Locale.ROOT, "sequence %s, global batch %s sequences (%s tokens), micro-batch %d, %s%n%n",
        Format.count(s.seqLength()), Format.count(e.globalBatchSequences()),
        compact((double) e.globalBatchSequences() * s.seqLength()), s.microBatchSequences(), s.precision().label()));
  }

  private static void keyValues(StringBuilder sb, Estimate e) {
    MemoryUse m = e.memory();
    TrainingSetup s = e.setup();
    line(sb, "layout", e.parallelism() + " (recompute " + s.recompute().label() + ", sharding "
        + s.sharding().label() + "), " + Format.count(e.gpus()) + " GPUs used");
    line(sb, "step time", Format.fixed(e.stepTimeSeconds(), 3) + " s");
    line(sb, "throughput", Format.count(Math.round(e.tokensPerSecond())) + " tokens/s");
    line(sb, "TFLOP/s per GPU", Format.fixed(e.tflopsPerGpu(), 1) + " model (MFU " + Format.percent(e.mfu()) + " of "
        + Format.fixed(e.hardware().gpu().peakFlops(s.precision().isFp8()) / 1e12, 0) + " " + s.precision().label()
        + "), " + Format.fixed(e.hardwareTflopsPerGpu(), 1) + " hardware (" + executedFlops(s) + ")");
    line(sb, "memory per GPU", String.format(Locale.ROOT,
        "%.1f GiB of %.1f usable (weights %.1f, gradients %.1f, optimizer %.1f, activations %.1f)",
        m.totalBytes() / GIB, m.capacityBytes() / GIB, m.weightsBytes() / GIB, m.gradientsBytes() / GIB,
        m.optimizerBytes() / GIB, m.activationsBytes() / GIB));
    Parallelism p = e.parallelism();
    line(sb, "pipeline bubble", Format.percent(e.bubbleFraction()) + " of the step ((p-1)/v = "
        + Format.fixed((p.pp() - 1.0) / p.virtualStages(), 2) + " micro-batch times idle, m = " + e.microBatches()
        + " micro-batches)");
  }

  /** What the hardware TFLOP/s count beyond model FLOPs, from the setup actually used. */
  static String executedFlops(TrainingSetup s) {
    String recompute = s.recompute() == Recompute.NONE ? "no recomputation"
        : "with " + s.recompute().label() + " recomputation";
    return s.flashAttention() ? recompute : recompute + ", full s x s attention";
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(String.format(Locale.ROOT, "%-17s %s%n", key, value));
  }

  private static void crossSiteText(StringBuilder sb, List<WanRequirement> wan) {
    if (wan.isEmpty()) {
      return;
    }
    WanRequirement first = wan.get(0);
    sb.append('\n').append(String.format(Locale.ROOT,
        "WAN bandwidth to keep %.0f%% of single-site throughput, split over %d sites (%.2f ms one way):%n",
        first.fraction() * 100, first.sites(), first.latencySeconds() * 1000));
    TextTable t = new TextTable("strategy", "WAN needed>");
    for (WanRequirement w : wan) {
      double b = w.bandwidthBytesPerSecond();
      t.row(w.strategy().label(), Double.isNaN(b) ? "n/a (dp not a multiple of the sites)"
          : Double.isInfinite(b) ? "unreachable" : Units.formatBandwidthBits(b));
    }
    sb.append(t);
  }

  private static void reliabilityText(StringBuilder sb, ReliabilityEstimate r, String profileReason) {
    sb.append(String.format(Locale.ROOT,
        "Reliability over %s days on %s GPUs: %.1f interruptions/day (%.1f unexpected, MTBF %.1f h), checkpoint every"
            + " %.1f min (write %.1f s), effective training time %s.%n",
        Format.fixed(r.days(), 0), Format.count(r.gpus()), r.interruptionsPerDay(), r.unexpectedPerDay(), r.mtbfHours(),
        r.checkpointIntervalSeconds() / 60, r.checkpointWriteSeconds(),
        Format.percent(r.effectiveTrainingTimeRatio())));
    sb.append(String.format(Locale.ROOT, "Failure rates: profile %s (%s), %s.%n", r.profile().name(),
        r.profile().source(), profileReason));
  }

  /** 4194304 → {@code 4.2M}; 1.5e13 → {@code 15T}. */
  static String compact(double v) {
    String[] suffix = {"", "k", "M", "B", "T", "P"};
    int i = 0;
    double x = v;
    while (Math.abs(x) >= 1000 && i < suffix.length - 1) {
      x /= 1000;
      i++;
    }
    String s = String.format(Locale.ROOT, x >= 100 || x == Math.rint(x) ? "%.0f" : "%.1f", x);
    return s + suffix[i];
  }
}
