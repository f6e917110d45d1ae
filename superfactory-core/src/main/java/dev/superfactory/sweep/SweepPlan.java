package dev.superfactory.sweep;

import dev.superfactory.input.ConfigEdits;
import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.FieldPath;
import dev.superfactory.input.InputException;
import dev.superfactory.input.SourceLocation;
import dev.superfactory.input.Suggest;
import dev.superfactory.input.Units;
import dev.superfactory.input.YamlDocuments;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sweep file read and checked, and its points: every combination of the axes (groups crossed, the axes of
 * a {@code zip} group moving together), times the seeds.
 *
 * <pre>{@code
 * name: wan-bandwidth
 * scenario: fairwater                 # a preset, or a scenario file relative to this one
 * set:                                # fixed for every point
 *   horizon: 30d
 * axes:
 *   - path: fleet.wan[0].bandwidth
 *     range: {from: 1Tbps, to: 1000Tbps, count: 4, scale: log}
 *   - path: policy                    # alias of scheduler.policy
 *     values: [fifo-backfill, fair-share]
 *   - zip:                            # these move together
 *       - {path: fleet.sites[1].blocks[0].count, values: [18, 36]}
 *       - {path: fleet.sites[1].blocks[1].count, values: [18, 36]}
 * seeds: 3                            # the scenario's seed, +1, +2; or a list [1, 7, 9]
 * estimates:                          # training times by the performance model, per point
 *   - {name: frontier-days, model: frontier-1.8t, gpus: 131072, tokens: 30T}
 * objective: minimize gpu-wait-p95 where payback <= 4
 * }</pre>
 *
 * <p>Points are ordered with the first axis slowest and the seed fastest. Reading checks every path (a
 * misspelt one is an error naming the nearest field of the base scenario) and reads every generated
 * scenario, so nothing runs unless every point is valid. Cost: O(points) scenario reads (one per
 * combination of axis values; the seeds share it), a few milliseconds each.
 */
public final class SweepPlan {
  static final List<String> KEYS = List.of("name", "description", "scenario", "set", "axes", "seeds", "estimates",
      "objective");
  private static final List<String> AXIS_KEYS = List.of("path", "values", "range", "random", "factors", "zip");
  /** Short names for the fields swept most. */
  static final Map<String, String> ALIASES = Map.of(
      "policy", "scheduler.policy",
      "siteChoice", "scheduler.siteChoice",
      "load", "workload.offeredLoad",
      "workload.load", "workload.offeredLoad");
  /** At most this many points: a bigger sweep is a mistake in the file more often than not. */
  static final int MAX_POINTS = 1_000_000;

  private final SweepSource source;
  private final String name;
  private final String description;
  private final ConfigNode base;
  private final Path baseDir;
  private final List<Axis> axes;
  private final List<List<Integer>> groups;
  private final List<Long> seeds;
  private final List<Outputs.Estimate> estimates;
  private final List<Outputs.Output> outputs;
  private final Objective objective;
  private final List<SweepPoint> points;
  private final Map<List<String>, ConfigNode> trees = new LinkedHashMap<>();

  private SweepPlan(SweepSource source, String name, String description, ConfigNode base, List<Axis> axes,
      List<List<Integer>> groups, List<Long> seeds, List<Outputs.Estimate> estimates, Objective objective,
      String fixedPart) {
    this.source = source;
    this.name = name;
    this.description = description;
    this.base = base;
    this.baseDir = source.baseDir() == null ? null : Path.of(source.baseDir());
    this.axes = List.copyOf(axes);
    this.groups = groups;
    this.seeds = List.copyOf(seeds);
    this.estimates = List.copyOf(estimates);
    this.outputs = Outputs.all(estimates);
    this.objective = objective;
    this.points = generate(fixedPart);
  }

  // ---- reading ----

  /** Reads a sweep file and the scenario it names. */
  public static SweepSource source(Path sweepFile) {
    String text = YamlDocuments.readText(sweepFile);
    ConfigNode root = YamlDocuments.parse(text, sweepFile.toString());
    if (root.isNull()) {
      throw new InputException(sweepFile + ": the sweep is empty");
    }
    root.requireMap().allowOnly(KEYS);
    ConfigNode scenario = root.get("scenario");
    String ref = scenario.asString();
    if (Presets.names().contains(ref)) {
      return new SweepSource(text, sweepFile.toString(), Presets.text(ref), "preset " + ref, null);
    }
    Path dir = sweepFile.toAbsolutePath().getParent();
    Path file = dir.resolve(ref);
    if (!Files.isRegularFile(file)) {
      String near = Suggest.nearest(ref, Presets.names());
      throw scenario.error("no preset or scenario file '" + ref + "'"
          + (near != null ? "; did you mean the preset '" + near + "'?" : " (presets: "
          + String.join(", ", Presets.names()) + "; a file is relative to the sweep file)"));
    }
    Path shown = sweepFile.getParent() == null ? Path.of(ref) : sweepFile.getParent().resolve(ref);
    return new SweepSource(text, sweepFile.toString(), YamlDocuments.readText(file), shown.toString(),
        file.toAbsolutePath().getParent().toString());
  }

  /** Reads and checks a sweep; {@code objective}, when not null, replaces the file's. */
  public static SweepPlan of(SweepSource source, String objective) {
    return of(source, objective, true);
  }

  /**
   * Reads a sweep; with {@code check} false the generated scenarios are not all read up front (a worker that
   * rebuilds a plan the driver has checked, and reads only the scenarios of the points it runs).
   */
  public static SweepPlan of(SweepSource source, String objective, boolean check) {
    ConfigNode root = YamlDocuments.parse(source.sweepText(), source.sweepName()).requireMap().allowOnly(KEYS);
    ConfigNode base = YamlDocuments.parse(source.baseText(), source.baseName());
    String name = root.string("name", ScenarioReader.nameFrom(source.sweepName(), "sweep"));
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw root.error("name", "must be letters, digits, '-', '_' or '.', got '" + name + "'");
    }
    Path baseDir = source.baseDir() == null ? null : Path.of(source.baseDir());
    ScenarioReader.read(base, source.baseName(), baseDir); // the base itself first: its own errors, its own lines

    ConfigNode original = base;
    ConfigNode set = root.getOrEmpty("set").requireMap();
    for (String key : set.keys()) {
      ConfigNode v = set.get(key);
      FieldPath p = path(set, key, v.location());
      base = edit(base, p, v, v.location(), "set." + key, original, source);
    }
    Scenario baseScenario = ScenarioReader.read(base, source.baseName(), baseDir);

    List<Axis> axes = new ArrayList<>();
    List<List<Integer>> groups = new ArrayList<>();
    List<ConfigNode> axisNodes = root.list("axes");
    for (ConfigNode a : axisNodes) {
      a.requireMap();
      if (a.has("zip")) {
        a.allowOnly("zip");
        List<Integer> group = new ArrayList<>();
        int size = -1;
        for (ConfigNode z : a.get("zip").asList()) {
          Axis axis = axis(z, base);
          if (size >= 0 && axis.size() != size) {
            throw z.error("zip: every axis of a zip has as many values; this one has " + axis.size()
                + ", the first " + size);
          }
          size = axis.size();
          group.add(axes.size());
          axes.add(axis);
        }
        if (group.isEmpty()) {
          throw a.error("zip", "is empty; list the axes that move together");
        }
        groups.add(group);
      } else {
        groups.add(List.of(axes.size()));
        axes.add(axis(a, base));
      }
    }
    for (int i = 0; i < axes.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (axes.get(i).path().text().equals(axes.get(j).path().text())) {
          throw new InputException(axes.get(i).at() + ": axes: '" + axes.get(i).written()
              + "' is swept twice; give it one axis");
        }
      }
    }

    List<Long> seeds = seeds(root, baseScenario.seed());
    List<Outputs.Estimate> estimates = estimates(root, baseScenario);
    List<String> known = Outputs.all(estimates).stream().map(Outputs.Output::key).toList();
    Objective obj = null;
    String objText = objective != null ? objective : root.has("objective") ? root.string("objective") : null;
    if (objText != null) {
      try {
        obj = Objective.parse(objText, Outputs.all(estimates));
      } catch (IllegalArgumentException e) {
        throw objective != null ? new InputException("--objective: " + e.getMessage())
            : root.error("objective", e.getMessage());
      }
    }
    long combos = 1;
    for (List<Integer> g : groups) {
      combos *= axes.get(g.get(0)).size();
      if (combos * seeds.size() > MAX_POINTS) {
        throw root.error("axes", "make more than " + String.format(Locale.ROOT, "%,d", MAX_POINTS)
            + " points; sweep fewer values");
      }
    }
    SweepPlan plan = new SweepPlan(source, name, root.string("description", ""), base, axes, groups, seeds,
        estimates, obj, source.baseText() + "\0" + canonical(root.getOrEmpty("set")) + "\0" + canonical(root.getOrEmpty("estimates"))
        + "\0" + traceStamp(baseScenario));
    if (check) {
      plan.checkEveryScenario();
    }
    return plan;
  }

  private static FieldPath path(ConfigNode parent, String key, SourceLocation at) {
    String text = ALIASES.getOrDefault(key, key);
    try {
      return FieldPath.parse(text);
    } catch (IllegalArgumentException e) {
      throw InputException.at(at, parent.path().isEmpty() ? key : parent.path() + "." + key,
          "not a field path: " + e.getMessage());
    }
  }

  private static Axis axis(ConfigNode a, ConfigNode base) {
    a.requireMap().allowOnly(AXIS_KEYS);
    if (a.has("zip")) {
      throw a.error("zip", "a zip holds axes, not another zip");
    }
    ConfigNode pathNode = a.get("path");
    String written = pathNode.asString();
    FieldPath path;
    try {
      path = FieldPath.parse(ALIASES.getOrDefault(written, written));
    } catch (IllegalArgumentException e) {
      throw pathNode.error("not a field path: " + e.getMessage());
    }
    if (path.steps().size() == 1 && "seed".equals(path.steps().get(0).key())) {
      throw pathNode.error("the seed is not an axis: give the seeds with 'seeds: N' or 'seeds: [1, 7, 9]'");
    }
    int kinds = (a.has("values") ? 1 : 0) + (a.has("range") ? 1 : 0) + (a.has("random") ? 1 : 0)
        + (a.has("factors") ? 1 : 0);
    if (kinds != 1) {
      throw a.error("give exactly one of values, range, random or factors for '" + written + "'");
    }
    List<String> labels = new ArrayList<>();
    List<ConfigNode> values = new ArrayList<>();
    double[] factors = null;
    if (a.has("values")) {
      for (ConfigNode v : a.get("values").asList()) {
        labels.add(v.kind() == ConfigNode.Kind.SCALAR ? v.asString() : flow(v));
        values.add(v);
      }
      if (values.isEmpty()) {
        throw a.error("values", "is empty");
      }
    } else if (a.has("range")) {
      for (String s : Ranges.range(a.get("range"))) {
        labels.add(s);
        values.add(ConfigEdits.scalar(s, a.get("range").location()));
      }
    } else if (a.has("random")) {
      for (String s : Ranges.random(a.get("random"))) {
        labels.add(s);
        values.add(ConfigEdits.scalar(s, a.get("random").location()));
      }
    } else {
      List<ConfigNode> fs = a.get("factors").asList();
      if (fs.isEmpty()) {
        throw a.error("factors", "is empty");
      }
      factors = new double[fs.size()];
      for (int i = 0; i < fs.size(); i++) {
        factors[i] = fs.get(i).asPositive();
        labels.add("x" + Labels.number(factors[i]));
      }
      values = null;
    }
    List<String> same = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      same.add(values == null ? labels.get(i) : sameness(values.get(i)));
    }
    for (int i = 0; i < labels.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (same.get(i).equals(same.get(j))) {
          throw a.error("'" + written + "' takes the value " + labels.get(i)
              + (labels.get(i).equals(labels.get(j)) ? "" : " (= " + labels.get(j) + ")") + " twice");
        }
      }
    }
    boolean numeric = labels.stream().allMatch(l -> !Double.isNaN(Axis.number(l)));
    Axis axis = new Axis(path, written, pathNode.location(), labels, values, factors, numeric);
    checkPath(axis, base, pathNode);
    return axis;
  }

  /** A path that names no field of the base scenario must at least be one its reader knows. */
  private static void checkPath(Axis axis, ConfigNode base, ConfigNode pathNode) {
    boolean exists = !targets(base, axis.path()).isEmpty();
    if (axis.factors() != null) {
      if (!exists) {
        throw notAField(pathNode, axis.written(), base, "factors multiply a value the base scenario has");
      }
      return;
    }
    if (exists) {
      return;
    }
    ConfigNode edited;
    try {
      edited = ConfigEdits.set(base, axis.path(), axis.values().get(0));
    } catch (IllegalArgumentException e) {
      throw notAField(pathNode, axis.written(), base, e.getMessage());
    }
    try {
      ScenarioReader.read(edited, "", null);
    } catch (InputException e) {
      Matcher m = UNKNOWN_KEY.matcher(e.getMessage());
      if (m.find() && axis.path().steps().stream().anyMatch(s -> m.group(1).equals(s.key()))) {
        String near = Suggest.nearest(axis.written(), candidates(base));
        if (near == null && m.group(2) != null) {
          near = axis.written().replace(m.group(1), m.group(2)); // the reader knows the field, the base lacks it
        }
        throw pathNode.error("'" + axis.written() + "' is not a scenario field"
            + (near != null ? "; nearest valid path: '" + near + "'" : " (superfactory scenario init writes one with"
            + " every section)"));
      }
      // any other problem is the value's: reported with the point that has it
    }
  }

  private static final Pattern UNKNOWN_KEY = Pattern.compile("unknown key '([^']*)'(?:; did you mean '([^']*)')?");

  /** What a misspelt path is matched against: the base scenario's values (not its maps and lists), and the aliases. */
  private static List<String> candidates(ConfigNode base) {
    List<String> out = new ArrayList<>(ConfigEdits.leafPaths(base));
    out.addAll(ALIASES.keySet().stream().sorted().toList());
    return out;
  }

  private static InputException notAField(ConfigNode pathNode, String written, ConfigNode base, String why) {
    String near = Suggest.nearest(written, candidates(base));
    return pathNode.error("'" + written + "' is not a field of the base scenario ("
        + (near != null ? "nearest: '" + near + "'; " : "") + why + ")");
  }

  /** The concrete paths a (possibly wildcard) path names in the tree. */
  private static List<FieldPath> targets(ConfigNode root, FieldPath path) {
    List<FieldPath> out = new ArrayList<>();
    expand(root, path.steps(), 0, new ArrayList<>(), out);
    return out;
  }

  private static void expand(ConfigNode n, List<FieldPath.Step> steps, int at, List<FieldPath.Step> done,
      List<FieldPath> out) {
    if (n == null) {
      return;
    }
    if (at == steps.size()) {
      out.add(new FieldPath(FieldPath.join(done), done));
      return;
    }
    FieldPath.Step s = steps.get(at);
    if (s.isKey()) {
      if (n.kind() == ConfigNode.Kind.MAP && n.keys().contains(s.key())) {
        done.add(s);
        expand(n.getOrEmpty(s.key()), steps, at + 1, done, out);
        done.remove(done.size() - 1);
      }
      return;
    }
    if (n.kind() != ConfigNode.Kind.LIST) {
      return;
    }
    List<ConfigNode> items = n.asList();
    for (int i = 0; i < items.size(); i++) {
      if (s.isAll() || s.index() == i) {
        done.add(new FieldPath.Step(null, i));
        expand(items.get(i), steps, at + 1, done, out);
        done.remove(done.size() - 1);
      }
    }
  }

  private static ConfigNode edit(ConfigNode tree, FieldPath path, ConfigNode value, SourceLocation at, String field,
      ConfigNode base, SweepSource source) {
    try {
      return ConfigEdits.set(tree, path, value);
    } catch (IllegalArgumentException e) {
      String near = Suggest.nearest(path.text(), candidates(base));
      throw InputException.at(at, field, "'" + path.text() + "' is not a field of " + source.baseName() + " ("
          + (near != null ? "nearest: '" + near + "'; " : "") + e.getMessage() + ")");
    }
  }

  private static List<Long> seeds(ConfigNode root, long baseSeed) {
    if (!root.has("seeds")) {
      return List.of(baseSeed);
    }
    ConfigNode s = root.get("seeds");
    List<Long> out = new ArrayList<>();
    if (s.kind() == ConfigNode.Kind.LIST) {
      for (ConfigNode n : s.asList()) {
        long v = n.asLong();
        if (out.contains(v)) {
          throw n.error("seed " + v + " is listed twice");
        }
        out.add(v);
      }
      if (out.isEmpty()) {
        throw s.error("is empty");
      }
      return out;
    }
    int n = s.asPositiveInt();
    if (n > 10_000) {
      throw s.error("at most 10,000 seeds, got " + n);
    }
    for (int i = 0; i < n; i++) {
      out.add(baseSeed + i);
    }
    return out;
  }

  private static List<Outputs.Estimate> estimates(ConfigNode root, Scenario scenario) {
    List<Outputs.Estimate> out = new ArrayList<>();
    for (ConfigNode e : root.list("estimates")) {
      e.requireMap().allowOnly("name", "model", "gpus", "tokens");
      String name = e.string("name");
      if (!name.matches("[a-z0-9][a-z0-9_.-]*") || Outputs.builtInKeys().contains(name)
          || out.stream().anyMatch(x -> x.name().equals(name))) {
        throw e.error("name", "must be a new output name of lower-case letters, digits, '-', '_' or '.', got '"
            + name + "'");
      }
      ConfigNode model = e.get("model");
      if (scenario.models().find(model.asString()) == null) {
        model.asChoice(scenario.models().modelNames());
      }
      out.add(new Outputs.Estimate(name, model.asString(), e.positiveInt("gpus"),
          e.quantity("tokens", Units::parseCount)));
    }
    return out;
  }

  // ---- points ----

  /** @param fixed what every point's key starts from: base scenario, fixed settings, estimates, replayed trace */
  private List<SweepPoint> generate(String fixed) {
    List<int[]> combos = new ArrayList<>();
    combos.add(new int[axes.size()]);
    for (List<Integer> g : groups) {
      int size = axes.get(g.get(0)).size();
      List<int[]> next = new ArrayList<>(combos.size() * size);
      for (int[] c : combos) {
        for (int v = 0; v < size; v++) {
          int[] d = c.clone();
          for (int a : g) {
            d[a] = v;
          }
          next.add(d);
        }
      }
      combos = next;
    }
    int total = combos.size() * seeds.size();
    int width = Math.max(4, Integer.toString(total).length());
    List<SweepPoint> out = new ArrayList<>(total);
    for (int[] c : combos) {
      List<String> labels = new ArrayList<>();
      for (int a = 0; a < axes.size(); a++) {
        labels.add(axes.get(a).labels().get(c[a]));
      }
      List<String> values = new ArrayList<>();
      for (int a = 0; a < axes.size(); a++) {
        values.add(valueText(axes.get(a), c[a]));
      }
      for (long seed : seeds) {
        int index = out.size();
        String id = "p" + String.format(Locale.ROOT, "%0" + width + "d", index + 1);
        out.add(new SweepPoint(index, id, labels, seed, key(fixed, axes, values, seed)));
      }
    }
    return List.copyOf(out);
  }

  /** A value as its point's key sees it: the whole value as written (a map's every field), or the factor. */
  private static String valueText(Axis axis, int v) {
    return axis.values() == null ? axis.labels().get(v) : canonical(axis.values().get(v));
  }

  /**
   * The trace file the base scenario replays, as a key sees it: its path, size and modification time, so a
   * changed trace reruns the points (reading a multi-GB trace to hash it would cost more than it saves).
   */
  private static String traceStamp(Scenario s) {
    if (s.workload().trace() == null) {
      return "";
    }
    Path f = s.workload().trace().path();
    try {
      return f + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis();
    } catch (IOException e) {
      return f.toString(); // a missing trace is the reader's to report
    }
  }

  private static String key(String fixed, List<Axis> axes, List<String> labels, long seed) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(fixed.getBytes(StandardCharsets.UTF_8));
      for (int a = 0; a < axes.size(); a++) {
        md.update(("\0" + axes.get(a).path().text() + "=" + labels.get(a)).getBytes(StandardCharsets.UTF_8));
      }
      md.update(("\0seed=" + seed).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What makes two values the same: a plain number by its value ({@code 0.5} = {@code 0.50}), else the text. */
  private static String sameness(ConfigNode v) {
    if (v.kind() == ConfigNode.Kind.SCALAR) {
      try {
        return "#" + Double.parseDouble(v.asString().replace("_", ""));
      } catch (NumberFormatException e) {
        return canonical(v);
      }
    }
    return canonical(v);
  }

  /** A map or list value as a label: {@code {policy: las, siteChoice: least-loaded}}. */
  private static String flow(ConfigNode n) {
    switch (n.kind()) {
      case MAP: {
        List<String> parts = new ArrayList<>();
        for (String k : n.keys()) {
          parts.add(k + ": " + flow(n.getOrEmpty(k)));
        }
        return "{" + String.join(", ", parts) + "}";
      }
      case LIST: {
        List<String> parts = new ArrayList<>();
        for (ConfigNode i : n.asList()) {
          parts.add(flow(i));
        }
        return "[" + String.join(", ", parts) + "]";
      }
      case NULL:
        return "null";
      default:
        return n.asString();
    }
  }

  private static String canonical(ConfigNode n) {
    switch (n.kind()) {
      case MAP: {
        StringBuilder sb = new StringBuilder("{");
        for (String k : n.keys()) {
          sb.append(k).append(':').append(canonical(n.getOrEmpty(k))).append(',');
        }
        return sb.append('}').toString();
      }
      case LIST: {
        StringBuilder sb = new StringBuilder("[");
        for (ConfigNode i : n.asList()) {
          sb.append(canonical(i)).append(',');
        }
        return sb.append(']').toString();
      }
      case NULL:
        return "~";
      default:
        return '"' + n.asString() + '"';
    }
  }

  /** Reads every combination's scenario once (the seeds share it), so a bad value fails before anything runs. */
  private void checkEveryScenario() {
    for (int i = 0; i < points.size(); i += seeds.size()) {
      scenario(points.get(i));
    }
    trees.clear();
  }

  /** The point's scenario: the base with the sweep's fixed settings and the point's values, and its seed. */
  public Scenario scenario(SweepPoint p) {
    ConfigNode tree = tree(p);
    try {
      return ScenarioReader.read(tree, source.baseName(), baseDir).withSeed(p.seed());
    } catch (InputException e) {
      throw new InputException(e.getMessage() + " (sweep point " + p.id() + ": " + describe(p) + ")", e);
    }
  }

  private ConfigNode tree(SweepPoint p) {
    ConfigNode tree = base;
    for (int a = 0; a < axes.size(); a++) {
      Axis axis = axes.get(a);
      int v = axis.labels().indexOf(p.labels().get(a));
      if (axis.factors() == null) {
        tree = edit(tree, axis.path(), axis.values().get(v), axis.at(), "axes", base, source);
      } else {
        for (FieldPath target : targets(tree, axis.path())) {
          ConfigNode old = ConfigEdits.find(tree, target);
          double x;
          try {
            x = old.asDouble();
          } catch (InputException e) {
            throw InputException.at(axis.at(), axis.written(), "factors multiply a plain number; "
                + target.text() + " is " + (old.kind() == ConfigNode.Kind.SCALAR ? "'" + old.asString() + "'"
                : "not a number") + " in " + source.baseName());
          }
          tree = ConfigEdits.set(tree, target, ConfigEdits.scalar(Labels.number(x * axis.factors()[v]), axis.at()));
        }
      }
    }
    return tree;
  }

  /** {@code fleet.wan[0].bandwidth=10Tbps, policy=fair-share, seed=43}. */
  public String describe(SweepPoint p) {
    StringBuilder sb = new StringBuilder();
    for (int a = 0; a < axes.size(); a++) {
      sb.append(axes.get(a).written()).append('=').append(p.labels().get(a)).append(", ");
    }
    return sb.append("seed=").append(p.seed()).toString();
  }

  // ---- accessors ----

  public SweepSource source() {
    return source;
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public List<Axis> axes() {
    return axes;
  }

  /** Axis indices of each group: one axis, or the axes of a {@code zip}. */
  public List<List<Integer>> groups() {
    return groups;
  }

  public List<Long> seeds() {
    return seeds;
  }

  public List<Outputs.Estimate> estimates() {
    return estimates;
  }

  public List<Outputs.Output> outputs() {
    return outputs;
  }

  /** The objective, or null when the sweep has none. */
  public Objective objective() {
    return objective;
  }

  public List<SweepPoint> points() {
    return points;
  }

  /** The base scenario's name as its file or preset gives it. */
  public String baseName() {
    return source.baseName();
  }

  /** A generator of {@code random} axes' values: its own stream, by its own seed. */
  static SplittableRandom random(long seed) {
    return new SplittableRandom(seed);
  }
}
