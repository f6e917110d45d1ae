package dev.superfactory.workload;

import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.InputException;
import dev.superfactory.input.Units;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code workload:} section. Without {@code classes} the built-in AI-fleet classes
 * apply ({@link #defaultClasses()}); without {@code tenants} every tenant gets an equal load share
 * and the classes' default weights.
 */
public final class WorkloadReader {
  private static final List<String> KEYS = List.of("offeredLoad", "jobs", "trace", "classes", "tenants");
  private static final List<String> CLASS_KEYS =
      List.of("name", "weight", "gpus", "duration", "model", "tokens", "scaleUpGroup", "spanSites");
  private static final List<String> DURATION_KEYS = List.of("median", "p90", "min", "max");
  private static final List<String> MIX_KEYS = List.of("tenant", "loadShare", "mix");

  private WorkloadReader() {}

  /**
   * @param baseDir directory a relative trace path is resolved against (the scenario's folder)
   */
  public static WorkloadSpec read(ConfigNode node, List<Tenant> tenants, Path baseDir) {
    return read(node, tenants, baseDir, model -> false, List.of());
  }

  /**
   * @param knownModel whether a model name is known (classes may name models: their jobs train
   *     them on a number of tokens and get their run time from the performance model)
   * @param modelNames the known names, for error messages
   */
  public static WorkloadSpec read(ConfigNode node, List<Tenant> tenants, Path baseDir,
      java.util.function.Predicate<String> knownModel, List<String> modelNames) {
    ConfigNode w = node.requireMap().allowOnly(KEYS);
    double load = 0.85;
    if (w.has("offeredLoad")) {
      load = w.get("offeredLoad").asPositive();
      if (load > 5) {
        throw w.error("offeredLoad", "must be a fraction of the fleet (0.85 = 85%), got " + load);
      }
    }
    long jobs = w.has("jobs") ? w.get("jobs").asPositiveLong() : 0;
    TraceSource trace = null;
    if (w.has("trace")) {
      try {
        TraceSource t = TraceSource.parse(w.string("trace"));
        trace = new TraceSource(t.format(), baseDir == null ? t.path() : baseDir.resolve(t.path()));
      } catch (InputException e) {
        throw w.error("trace", e.getMessage());
      }
    }
    List<JobClass> classes = w.has("classes") ? readClasses(w.list("classes"), knownModel, modelNames) : defaultClasses();
    List<TenantMix> mixes = readMixes(w, classes, tenants);
    return new WorkloadSpec(load, jobs, classes, mixes, trace);
  }

  /** The synthetic workload used when a scenario gives no {@code workload:} section. */
  public static WorkloadSpec defaults(List<Tenant> tenants) {
    return read(ConfigNode.emptyMap("workload", new dev.superfactory.input.SourceLocation("defaults", 0)), tenants, null);
  }

  /**
   * Built-in job classes of a frontier-lab fleet, by job count: many 1–8-GPU experiments
   * (durations calibrated to Philly's run times: median ≈ 20 min, p90 ≈ 3.6 h,
   * reference-stats/philly_runtime.csv), fewer 64–2,048-GPU fine-tunes, and rare 8k–131k-GPU
   * pre-training runs lasting weeks that may span sites. ASSUMPTION: the fine-tune and
   * pre-training figures are illustrative; no public trace of a frontier fleet exists.
   */
  public static List<JobClass> defaultClasses() {
    return List.of(
        new JobClass("experiment", new GpuChoice(new int[] {1, 2, 4, 8}, new double[] {0.45, 0.15, 0.15, 0.25}),
            new LogNormal(20 * 60, 3.6 * 3600, 60, 3 * 86400), 8, false, 0.80),
        new JobClass("finetune", GpuChoice.powersOfTwo(64, 2048),
            new LogNormal(8 * 3600, 48 * 3600, 1800, 14 * 86400), 8, false, 0.19983),
        new JobClass("pretrain", GpuChoice.powersOfTwo(8192, 131072),
            new LogNormal(14 * 86400, 40 * 86400, 86400, 90 * 86400), 8, true, 0.00017));
  }

  private static List<JobClass> readClasses(List<ConfigNode> nodes, java.util.function.Predicate<String> knownModel,
      List<String> modelNames) {
    if (nodes.isEmpty()) {
      throw new InputException("workload.classes is empty; remove it to use the built-in classes");
    }
    List<JobClass> classes = new ArrayList<>();
    Map<String, ConfigNode> seen = new HashMap<>();
    for (ConfigNode n : nodes) {
      n.requireMap().allowOnly(CLASS_KEYS);
      String name = n.string("name");
      if (seen.put(name, n) != null) {
        throw n.error("name", "duplicate job class '" + name + "'");
      }
      GpuChoice gpus = readGpus(n.get("gpus"));
      String model = null;
      LogNormal tokens = null;
      LogNormal duration = null;
      if (n.has("model")) {
        model = n.string("model");
        if (!knownModel.test(model)) {
          String nearest = dev.superfactory.input.Suggest.nearest(model, modelNames);
          throw n.error("model", "unknown model '" + model + "'"
              + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
              + " (known: " + String.join(", ", modelNames) + ")");
        }
        if (n.has("duration")) {
          throw n.error("duration", "a class with a model gets its run time from the performance model; remove duration");
        }
        tokens = readTokens(n.get("tokens"));
      } else {
        if (n.has("tokens")) {
          throw n.error("tokens", "tokens need a model: add model, e.g. model: llama3-70b");
        }
        ConfigNode d = n.get("duration").requireMap().allowOnly(DURATION_KEYS);
        double median = d.quantity("median", Units::parseDurationSeconds);
        double p90 = d.quantity("p90", Units::parseDurationSeconds, median);
        if (p90 < median) {
          throw d.error("p90", "must be >= median");
        }
        double min = d.quantity("min", Units::parseDurationSeconds, Math.min(60, median));
        double max = d.quantity("max", Units::parseDurationSeconds, Math.max(365 * 86400.0, p90));
        if (max < min) {
          throw d.error("max", "must be >= min");
        }
        duration = new LogNormal(median, p90, min, max);
      }
      int group = n.positiveInt("scaleUpGroup", 8);
      for (int g : gpus.values()) {
        if (g > group && g % group != 0) {
          throw n.error("gpus", g + " GPUs is not a multiple of scaleUpGroup " + group);
        }
      }
      classes.add(new JobClass(name, gpus, duration, group, n.bool("spanSites", false), n.nonNegative("weight", 1),
          model, tokens));
    }
    return classes;
  }

  /** {@code tokens: 15T} (fixed) or {@code tokens: {median: 15T, p90: 30T}} (log-normal). */
  private static LogNormal readTokens(ConfigNode t) {
    if (t.kind() == ConfigNode.Kind.SCALAR) {
      double v = t.asQuantity(Units::parseCount);
      return new LogNormal(v, v, v, v);
    }
    t.requireMap().allowOnly("median", "p90", "min", "max");
    double median = t.quantity("median", Units::parseCount);
    double p90 = t.quantity("p90", Units::parseCount, median);
    if (p90 < median) {
      throw t.error("p90", "must be >= median");
    }
    double min = t.quantity("min", Units::parseCount, median / 100);
    double max = t.quantity("max", Units::parseCount, p90 * 100);
    return new LogNormal(median, p90, min, max);
  }

  private static GpuChoice readGpus(ConfigNode g) {
    if (g.kind() == ConfigNode.Kind.LIST) {
      List<ConfigNode> items = g.asList();
      if (items.isEmpty()) {
        throw g.error("needs at least one GPU count");
      }
      int[] values = new int[items.size()];
      double[] weights = new double[items.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = items.get(i).asPositiveInt();
        weights[i] = 1;
      }
      return new GpuChoice(values, weights);
    }
    if (g.kind() == ConfigNode.Kind.SCALAR) {
      return new GpuChoice(new int[] {g.asPositiveInt()}, new double[] {1});
    }
    g.requireMap().allowOnly("powersOfTwo", "values", "weights");
    if (g.has("powersOfTwo")) {
      List<ConfigNode> range = g.get("powersOfTwo").asList();
      if (range.size() != 2) {
        throw g.error("powersOfTwo", "must be [from, to], e.g. [64, 2048]");
      }
      int from = range.get(0).asPositiveInt();
      int to = range.get(1).asPositiveInt();
      if (to < from || Integer.highestOneBit(to) < from) {
        throw g.error("powersOfTwo", "no power of two between " + from + " and " + to);
      }
      return GpuChoice.powersOfTwo(from, to);
    }
    List<ConfigNode> values = g.get("values").asList();
    List<ConfigNode> weights = g.list("weights");
    if (!weights.isEmpty() && weights.size() != values.size()) {
      throw g.error("weights", "has " + weights.size() + " entries but values has " + values.size());
    }
    int[] v = new int[values.size()];
    double[] w = new double[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i).asPositiveInt();
      w[i] = weights.isEmpty() ? 1 : weights.get(i).asNonNegative();
    }
    if (v.length == 0) {
      throw g.error("values", "needs at least one GPU count");
    }
    return new GpuChoice(v, w);
  }

  private static List<TenantMix> readMixes(ConfigNode w, List<JobClass> classes, List<Tenant> tenants) {
    double[] defaultWeights = classes.stream().mapToDouble(JobClass::weight).toArray();
    List<TenantMix> mixes = new ArrayList<>();
    if (!w.has("tenants")) {
      for (int t = 0; t < tenants.size(); t++) {
        mixes.add(new TenantMix(t, 1.0, defaultWeights));
      }
      return mixes;
    }
    Map<String, Integer> index = new HashMap<>();
    for (int t = 0; t < tenants.size(); t++) {
      index.put(tenants.get(t).name(), t);
    }
    List<String> classNames = classes.stream().map(JobClass::name).toList();
    Map<Integer, ConfigNode> seen = new HashMap<>();
    for (ConfigNode m : w.list("tenants")) {
      m.requireMap().allowOnly(MIX_KEYS);
      String name = m.get("tenant").asChoice(index.keySet());
      int t = index.get(name);
      if (seen.put(t, m) != null) {
        throw m.error("tenant", "tenant '" + name + "' appears twice in workload.tenants");
      }
      double share = m.get("loadShare").asNonNegative();
      double[] weights = defaultWeights.clone();
      if (m.has("mix")) {
        ConfigNode mix = m.get("mix").requireMap().allowOnly(classNames);
        for (int c = 0; c < classes.size(); c++) {
          weights[c] = mix.nonNegative(classNames.get(c), 0);
        }
        if (java.util.Arrays.stream(weights).sum() <= 0) {
          throw m.error("mix", "all weights are zero");
        }
      }
      mixes.add(new TenantMix(t, share, weights));
    }
    if (mixes.stream().mapToDouble(TenantMix::loadShare).sum() <= 0) {
      throw w.error("tenants", "every loadShare is zero");
    }
    return mixes;
  }
}
