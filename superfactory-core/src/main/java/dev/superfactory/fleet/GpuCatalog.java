package dev.superfactory.fleet;

import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import dev.superfactory.input.Units;
import dev.superfactory.input.YamlDocuments;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GPU models a scenario may name: the built-in catalog ({@code gpus.yaml}, every figure with
 * its source) plus any the scenario adds. Lookup is by name or alias, case-insensitive.
 */
public final class GpuCatalog {
  static final List<String> KEYS = List.of(
      "name", "aliases", "displayName", "bf16Tflops", "fp8Tflops", "hbmGB", "hbmBandwidth",
      "scaleUpBandwidth", "tdpWatts", "source");

  private static final GpuCatalog BUILT_IN = readBuiltIn();

  private final Map<String, GpuModel> byName;
  private final Map<String, GpuModel> byKey;

  private GpuCatalog(List<GpuModel> models) {
    Map<String, GpuModel> names = new LinkedHashMap<>();
    Map<String, GpuModel> keys = new LinkedHashMap<>();
    for (GpuModel m : models) {
      names.put(m.name(), m);
      keys.put(key(m.name()), m);
      for (String alias : m.aliases()) {
        keys.put(key(alias), m);
      }
    }
    this.byName = Collections.unmodifiableMap(names);
    this.byKey = Collections.unmodifiableMap(keys);
  }

  /** The catalog shipped with Superfactory. */
  public static GpuCatalog builtIn() {
    return BUILT_IN;
  }

  /** This catalog plus the models in a scenario's {@code gpus:} list (which may shadow built-ins). */
  public GpuCatalog with(List<ConfigNode> extra) {
    List<GpuModel> models = new ArrayList<>(byName.values());
    Map<String, ConfigNode> seen = new LinkedHashMap<>();
    for (ConfigNode node : extra) {
      GpuModel m = read(node);
      ConfigNode previous = seen.put(key(m.name()), node);
      if (previous != null) {
        throw node.error("name", "duplicate GPU model '" + m.name() + "' (also at line "
            + previous.location().line() + ")");
      }
      models.removeIf(existing -> key(existing.name()).equals(key(m.name())));
      models.add(m);
    }
    return new GpuCatalog(models);
  }

  /** The model with this name or alias, or an error listing the known ones. */
  public GpuModel resolve(ConfigNode nameNode) {
    GpuModel m = byKey.get(key(nameNode.asString()));
    if (m == null) {
      throw nameNode.error(unknownMessage(nameNode.asString()));
    }
    return m;
  }

  /** The model with this name or alias, for command-line use; {@link InputException} if unknown. */
  public GpuModel get(String name) {
    GpuModel m = byKey.get(key(name));
    if (m == null) {
      throw new InputException(unknownMessage(name));
    }
    return m;
  }

  public List<GpuModel> models() {
    return List.copyOf(byName.values());
  }

  private String unknownMessage(String name) {
    String nearest = Suggest.nearest(name, byName.keySet());
    return "unknown GPU model '" + name + "'"
        + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
        + " (known: " + String.join(", ", byName.keySet()) + ")";
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT).replace(" ", "").replace("-", "").replace("_", "");
  }

  static GpuModel read(ConfigNode n) {
    n.allowOnly(KEYS);
    List<String> aliases = new ArrayList<>();
    for (ConfigNode a : n.list("aliases")) {
      aliases.add(a.asString());
    }
    String name = n.string("name");
    if (name.isBlank()) {
      throw n.error("name", "must not be empty");
    }
    return new GpuModel(
        name,
        aliases,
        n.string("displayName", name),
        n.positive("bf16Tflops"),
        n.nonNegative("fp8Tflops", 0),
        n.positive("hbmGB") * 1e9,
        n.quantity("hbmBandwidth", Units::parseBandwidthBytesPerSecond),
        n.quantity("scaleUpBandwidth", Units::parseBandwidthBytesPerSecond),
        n.positive("tdpWatts"),
        n.string("source", "given in the scenario"));
  }

  private static GpuCatalog readBuiltIn() {
    ConfigNode root = YamlDocuments.readResource("/dev/superfactory/gpus.yaml", "built-in gpus.yaml");
    root.allowOnly("gpus");
    List<GpuModel> models = new ArrayList<>();
    for (ConfigNode n : root.list("gpus")) {
      models.add(read(n));
    }
    return new GpuCatalog(models);
  }
}
