package dev.superfactory.scenario;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetReader;
import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.InputException;
import dev.superfactory.input.YamlDocuments;
import dev.superfactory.workload.Tenant;
import dev.superfactory.workload.TenantReader;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a scenario file into a validated {@link Scenario}. Each section is read by the package
 * that owns it ({@link FleetReader}, {@link TenantReader}, ...); this class only wires them.
 */
public final class ScenarioReader {
  static final List<String> KEYS = List.of("name", "description", "seed", "gpus", "fleet", "tenants");

  private ScenarioReader() {}

  public static Scenario read(Path file) {
    return read(YamlDocuments.read(file), file.toString());
  }

  public static Scenario read(ConfigNode root, String source) {
    if (root.isNull()) {
      throw new InputException(source + ": the scenario is empty");
    }
    root.requireMap().allowOnly(KEYS);
    String fallbackName = baseName(source);
    String name = root.string("name", fallbackName);
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw root.error("name", "must be letters, digits, '-', '_' or '.', got '" + name + "'");
    }
    long seed = root.has("seed") ? root.get("seed").asLong() : 1L;
    GpuCatalog catalog = GpuCatalog.builtIn().with(root.list("gpus"));
    Fleet fleet = FleetReader.read(root.get("fleet"), catalog);
    List<Tenant> tenants = TenantReader.read(root.list("tenants"), fleet.totalGpus());
    return new Scenario(name, root.string("description", ""), source, seed, catalog, fleet, tenants);
  }

  private static String baseName(String source) {
    String file = source.replace('\\', '/');
    file = file.substring(file.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    String base = dot > 0 ? file.substring(0, dot) : file;
    base = base.replaceAll("[^A-Za-z0-9_.-]", "-");
    return base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) ? "scenario" : base;
  }
}
