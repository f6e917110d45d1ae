package dev.superfactory.scenario;

import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.InputException;
import dev.superfactory.input.Suggest;
import dev.superfactory.input.YamlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The built-in scenarios, shipped as commented YAML resources. {@link #text} returns the file as
 * shipped, so {@code scenario init} writes a copy that loads back unchanged.
 */
public final class Presets {
  /** Registry: name → resource. The first is the default. */
  private static final List<String> NAMES = List.of("fairwater", "single-site");

  private Presets() {}

  public static List<String> names() {
    return NAMES;
  }

  public static String defaultName() {
    return NAMES.get(0);
  }

  public static Scenario load(String name) {
    check(name);
    ConfigNode root = YamlDocuments.parse(text(name), "preset " + name);
    return ScenarioReader.read(root, "preset " + name);
  }

  /** The preset's YAML text, comments included. */
  public static String text(String name) {
    check(name);
    String resource = "/dev/superfactory/presets/" + name + ".yaml";
    try (InputStream in = Presets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing preset resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(String name) {
    if (!NAMES.contains(name)) {
      String nearest = Suggest.nearest(name, NAMES);
      throw new InputException("unknown preset '" + name + "'"
          + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
          + " (known: " + String.join(", ", NAMES) + ")");
    }
  }
}
