package dev.superfactory.input;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * One node of a parsed YAML or JSON document that remembers where it came from, so that every
 * error names the file, the line and the field path ({@code fleet.sites[1].pue}).
 *
 * <p>Readers in the core turn these nodes into immutable, validated records with the typed getters
 * below; no raw tree leaves the reader. A getter either returns a valid value or throws an
 * {@link InputException} with one line that says what is wrong and what would be right.
 */
public final class ConfigNode {
  /** What a node holds. */
  public enum Kind {
    MAP,
    LIST,
    SCALAR,
    NULL
  }

  private final Kind kind;
  private final String path;
  private final SourceLocation location;
  private final String scalar;
  private final Map<String, ConfigNode> fields;
  private final List<ConfigNode> items;

  private ConfigNode(
      Kind kind,
      String path,
      SourceLocation location,
      String scalar,
      Map<String, ConfigNode> fields,
      List<ConfigNode> items) {
    this.kind = kind;
    this.path = path;
    this.location = location;
    this.scalar = scalar;
    this.fields = fields;
    this.items = items;
  }

  static ConfigNode map(String path, SourceLocation at, Map<String, ConfigNode> fields) {
    return new ConfigNode(Kind.MAP, path, at, null, Collections.unmodifiableMap(fields), List.of());
  }

  static ConfigNode list(String path, SourceLocation at, List<ConfigNode> items) {
    return new ConfigNode(Kind.LIST, path, at, null, Map.of(), Collections.unmodifiableList(items));
  }

  static ConfigNode scalar(String path, SourceLocation at, String text) {
    return new ConfigNode(Kind.SCALAR, path, at, text, Map.of(), List.of());
  }

  static ConfigNode nullNode(String path, SourceLocation at) {
    return new ConfigNode(Kind.NULL, path, at, null, Map.of(), List.of());
  }

  /** An empty map standing in for an absent section, located at its parent. */
  public static ConfigNode emptyMap(String path, SourceLocation at) {
    return map(path, at, new LinkedHashMap<>());
  }

  public Kind kind() {
    return kind;
  }

  /** Field path from the document root, e.g. {@code fleet.sites[0].blocks[1].count}. */
  public String path() {
    return path;
  }

  public SourceLocation location() {
    return location;
  }

  public boolean isNull() {
    return kind == Kind.NULL;
  }

  /** An error about this node. */
  public InputException error(String problem) {
    return InputException.at(location, path, problem);
  }

  /** An error about this node's field {@code key} (which may be absent). */
  public InputException error(String key, String problem) {
    ConfigNode child = fields.get(key);
    return child != null ? child.error(problem) : InputException.at(location, childPath(key), problem);
  }

  // ---- maps ----

  /** This node as a map, or an error if it is a list or a scalar. */
  public ConfigNode requireMap() {
    if (kind == Kind.NULL) {
      return emptyMap(path, location);
    }
    if (kind != Kind.MAP) {
      throw error("expected a map of key: value, got " + describe());
    }
    return this;
  }

  /**
   * Rejects keys not in {@code known}, naming the nearest known key. Call it once per map, with
   * every key the reader understands.
   */
  public ConfigNode allowOnly(Collection<String> known) {
    requireMap();
    for (Map.Entry<String, ConfigNode> e : fields.entrySet()) {
      if (!known.contains(e.getKey())) {
        String nearest = Suggest.nearest(e.getKey(), known);
        String hint = nearest != null
            ? "; did you mean '" + nearest + "'?"
            : "; known keys: " + String.join(", ", known);
        throw e.getValue().error("unknown key '" + e.getKey() + "'" + hint);
      }
    }
    return this;
  }

  public ConfigNode allowOnly(String... known) {
    return allowOnly(List.of(known));
  }

  public boolean has(String key) {
    ConfigNode n = fields.get(key);
    return n != null && !n.isNull();
  }

  public Set<String> keys() {
    return fields.keySet();
  }

  /** The child, or an error if it is missing. */
  public ConfigNode get(String key) {
    requireMap();
    ConfigNode n = fields.get(key);
    if (n == null || n.isNull()) {
      throw InputException.at(location, childPath(key), "is required but missing");
    }
    return n;
  }

  /** The child, or an empty node located at this map when it is absent. */
  public ConfigNode getOrEmpty(String key) {
    requireMap();
    ConfigNode n = fields.get(key);
    return n == null ? nullNode(childPath(key), location) : n;
  }

  public String string(String key) {
    return get(key).asString();
  }

  public String string(String key, String fallback) {
    return has(key) ? get(key).asString() : fallback;
  }

  public double number(String key) {
    return get(key).asDouble();
  }

  public double number(String key, double fallback) {
    return has(key) ? get(key).asDouble() : fallback;
  }

  public double positive(String key) {
    return get(key).asPositive();
  }

  public double positive(String key, double fallback) {
    return has(key) ? get(key).asPositive() : fallback;
  }

  public double nonNegative(String key, double fallback) {
    return has(key) ? get(key).asNonNegative() : fallback;
  }

  public double fraction(String key, double fallback) {
    if (!has(key)) {
      return fallback;
    }
    ConfigNode n = get(key);
    double v = n.asDouble();
    if (v < 0 || v > 1) {
      throw n.error("must be between 0 and 1, got " + n.scalar);
    }
    return v;
  }

  public int positiveInt(String key) {
    return get(key).asPositiveInt();
  }

  public int positiveInt(String key, int fallback) {
    return has(key) ? get(key).asPositiveInt() : fallback;
  }

  public long positiveLong(String key, long fallback) {
    return has(key) ? get(key).asPositiveLong() : fallback;
  }

  public int nonNegativeInt(String key, int fallback) {
    return has(key) ? get(key).asNonNegativeInt() : fallback;
  }

  public boolean bool(String key, boolean fallback) {
    return has(key) ? get(key).asBoolean() : fallback;
  }

  /** A quantity with units (see {@link Units}); positive. */
  public double quantity(String key, ToDoubleFunction<String> parser, double fallback) {
    return has(key) ? get(key).asQuantity(parser) : fallback;
  }

  public double quantity(String key, ToDoubleFunction<String> parser) {
    return get(key).asQuantity(parser);
  }

  /** The child list's items; an absent key gives an empty list. */
  public List<ConfigNode> list(String key) {
    return has(key) ? get(key).asList() : List.of();
  }

  // ---- lists and scalars ----

  public List<ConfigNode> asList() {
    if (kind == Kind.NULL) {
      return List.of();
    }
    if (kind != Kind.LIST) {
      throw error("expected a list, got " + describe());
    }
    return items;
  }

  public String asString() {
    if (kind != Kind.SCALAR) {
      throw error("expected a value, got " + describe());
    }
    return scalar;
  }

  public double asDouble() {
    String s = asString();
    try {
      double v = Double.parseDouble(s.replace("_", ""));
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw error("must be a finite number, got " + s);
      }
      return v;
    } catch (NumberFormatException e) {
      throw error("must be a number, got '" + s + "'");
    }
  }

  public double asPositive() {
    double v = asDouble();
    if (v <= 0) {
      throw error("must be > 0, got " + scalar);
    }
    return v;
  }

  public double asNonNegative() {
    double v = asDouble();
    if (v < 0) {
      throw error("must be >= 0, got " + scalar);
    }
    return v;
  }

  public long asLong() {
    String s = asString().replace("_", "");
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw error("must be a whole number, got '" + asString() + "'");
    }
  }

  public int asPositiveInt() {
    long v = asLong();
    if (v <= 0) {
      throw error("must be a positive whole number, got " + scalar);
    }
    if (v > Integer.MAX_VALUE) {
      throw error("is too large: " + scalar);
    }
    return (int) v;
  }

  public long asPositiveLong() {
    long v = asLong();
    if (v <= 0) {
      throw error("must be a positive whole number, got " + scalar);
    }
    return v;
  }

  public int asNonNegativeInt() {
    long v = asLong();
    if (v < 0) {
      throw error("must be zero or a positive whole number, got " + scalar);
    }
    if (v > Integer.MAX_VALUE) {
      throw error("is too large: " + scalar);
    }
    return (int) v;
  }

  public boolean asBoolean() {
    String s = asString().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("yes")) {
      return true;
    }
    if (s.equals("false") || s.equals("no")) {
      return false;
    }
    throw error("must be true or false, got '" + scalar + "'");
  }

  /** Parses a value with units; the parser's message becomes this node's error. */
  public double asQuantity(ToDoubleFunction<String> parser) {
    double v;
    try {
      v = parser.applyAsDouble(asString());
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
    if (!(v > 0) || Double.isInfinite(v)) {
      throw error("must be > 0, got " + scalar);
    }
    return v;
  }

  /** Like {@link #asQuantity} but 0 is allowed ({@code warmup: 0}). */
  public double asQuantityOrZero(ToDoubleFunction<String> parser) {
    double v;
    try {
      v = parser.applyAsDouble(asString());
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw error("must be >= 0, got " + scalar);
    }
    return v;
  }

  /** A name chosen from {@code known}; otherwise an error listing them. */
  public String asChoice(Collection<String> known) {
    String s = asString();
    if (!known.contains(s)) {
      String nearest = Suggest.nearest(s, known);
      throw error("unknown value '" + s + "'"
          + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
          + " (known: " + String.join(", ", known) + ")");
    }
    return s;
  }

  String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private String describe() {
    switch (kind) {
      case MAP:
        return "a map";
      case LIST:
        return "a list";
      case NULL:
        return "nothing";
      default:
        return "'" + scalar + "'";
    }
  }
}
