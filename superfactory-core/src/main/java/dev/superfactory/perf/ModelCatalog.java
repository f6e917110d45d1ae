package dev.superfactory.perf;

import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import dev.superfactory.input.YamlDocuments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Well-known open models ({@code models.yaml}, every figure with its source) and the reader for
 * model files ({@code --model-file}). Lookup is by name or alias, case-insensitive, ignoring
 * {@code -}, {@code _}, {@code .} and spaces.
 */
public final class ModelCatalog {
  static final List<String> KEYS = List.of(
      "name", "aliases", "layers", "hiddenSize", "heads", "kvHeads", "headDim", "ffnHiddenSize", "vocabSize",
      "seqLength", "gatedFfn", "tiedEmbeddings", "experts", "activeExperts", "expertFfnHiddenSize",
      "sharedExperts", "denseLayers", "source");

  private static final ModelCatalog BUILT_IN = readBuiltIn();

  private final Map<String, ModelSpec> byName;
  private final Map<String, ModelSpec> byKey;

  private ModelCatalog(Map<String, ModelSpec> byName, Map<String, ModelSpec> byKey) {
    this.byName = Collections.unmodifiableMap(byName);
    this.byKey = Collections.unmodifiableMap(byKey);
  }

  /** The built-in model with this name or alias; {@link InputException} with the nearest name and the list. */
  public static ModelSpec get(String name) {
    ModelSpec m = BUILT_IN.byKey.get(key(name));
    if (m == null) {
      String nearest = Suggest.nearest(name, BUILT_IN.byName.keySet());
      throw new InputException("unknown model '" + name + "'"
          + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
          + " (known: " + String.join(", ", names()) + ")");
    }
    return m;
  }

  /** The built-in catalog. */
  public static ModelCatalog builtIn() {
    return BUILT_IN;
  }

  /** This catalog plus the models of a scenario's {@code models:} list (which may shadow built-ins). */
  public ModelCatalog with(List<ConfigNode> extra) {
    Map<String, ModelSpec> names = new LinkedHashMap<>(byName);
    Map<String, ModelSpec> keys = new LinkedHashMap<>(byKey);
    for (ConfigNode n : extra) {
      n.requireMap();
      ModelSpec m = read(n);
      if (names.containsKey(m.name()) && !BUILT_IN.byName.containsKey(m.name())) {
        throw n.error("name", "duplicate model '" + m.name() + "'");
      }
      names.put(m.name(), m);
      keys.put(key(m.name()), m);
    }
    return new ModelCatalog(names, keys);
  }

  /** The model with this name or alias, or null. */
  public ModelSpec find(String name) {
    return byKey.get(key(name));
  }

  /** Canonical names in this catalog. */
  public List<String> modelNames() {
    return List.copyOf(byName.keySet());
  }

  /** Canonical names of the built-in models, in catalog order. */
  public static List<String> names() {
    return List.copyOf(BUILT_IN.byName.keySet());
  }

  /** Reads one model from a YAML file; errors name the file, line and field. */
  public static ModelSpec readFile(Path file) {
    return read(YamlDocuments.read(file));
  }

  /** Reads one model from a parsed YAML map with the keys of {@code models.yaml}. */
  public static ModelSpec read(ConfigNode n) {
    n.allowOnly(KEYS);
    int hidden = n.positiveInt("hiddenSize");
    int heads = n.positiveInt("heads");
    if (!n.has("headDim") && hidden % heads != 0) {
      throw n.error("heads", "hiddenSize " + hidden + " is not a multiple of heads " + heads
          + "; give headDim explicitly");
    }
    String name = n.string("name");
    int layers = n.positiveInt("layers");
    int kvHeads = n.positiveInt("kvHeads", heads);
    int headDim = n.positiveInt("headDim", hidden / heads);
    int ffn = n.nonNegativeInt("ffnHiddenSize", 0);
    int vocab = n.positiveInt("vocabSize");
    int seq = n.positiveInt("seqLength");
    boolean gated = n.bool("gatedFfn", false);
    boolean tied = n.bool("tiedEmbeddings", false);
    int experts = n.nonNegativeInt("experts", 0);
    int active = n.nonNegativeInt("activeExperts", 0);
    int expertFfn = n.nonNegativeInt("expertFfnHiddenSize", 0);
    int shared = n.nonNegativeInt("sharedExperts", 0);
    int denseLayers = n.nonNegativeInt("denseLayers", 0);
    String source = n.string("source", "given in " + n.location().source());
    try {
      return new ModelSpec(name, layers, hidden, heads, kvHeads, headDim, ffn, vocab, seq, gated, tied, experts,
          active, expertFfn, shared, denseLayers, source);
    } catch (InputException e) {
      throw InputException.at(n.location(), n.path(), e.getMessage());
    }
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT).replace(" ", "").replace("-", "").replace("_", "").replace(".", "");
  }

  private static ModelCatalog readBuiltIn() {
    ConfigNode root = YamlDocuments.readResource("/dev/superfactory/models.yaml", "built-in models.yaml");
    root.allowOnly("models");
    Map<String, ModelSpec> names = new LinkedHashMap<>();
    Map<String, ModelSpec> keys = new LinkedHashMap<>();
    for (ConfigNode n : root.list("models")) {
      ModelSpec m = read(n);
      names.put(m.name(), m);
      keys.put(key(m.name()), m);
      List<String> aliases = new ArrayList<>();
      for (ConfigNode a : n.list("aliases")) {
        aliases.add(a.asString());
      }
      for (String alias : aliases) {
        keys.put(key(alias), m);
      }
    }
    return new ModelCatalog(names, keys);
  }
}
