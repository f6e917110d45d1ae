package dev.superfactory.scenario;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetReader;
import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.InputException;
import dev.superfactory.input.YamlDocuments;
import dev.superfactory.workload.Tenant;
import dev.superfactory.workload.TenantReader;
import dev.superfactory.econ.EconomicsReader;
import dev.superfactory.input.Units;
import dev.superfactory.perf.ModelCatalog;
import dev.superfactory.reliability.ReliabilityReader;
import dev.superfactory.sched.SchedulerConfig;
import dev.superfactory.workload.WorkloadReader;
import dev.superfactory.workload.WorkloadSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a scenario file into a validated {@link Scenario}. Each section is read by the package
 * that owns it ({@link FleetReader}, {@link TenantReader}, ...); this class only wires them.
 */
public final class ScenarioReader {
  static final List<String> KEYS = List.of(
      "name", "description", "seed", "horizon", "warmup", "gpus", "models", "fleet", "tenants", "scheduler", "workload", "metrics", "reliability", "economics");

  private ScenarioReader() {}

  public static Scenario read(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return read(YamlDocuments.read(file), file.toString(), dir);
  }

  public static Scenario read(ConfigNode root, String source) {
    return read(root, source, null);
  }

  /** @param baseDir folder that relative paths in the scenario (traces) are resolved against */
  public static Scenario read(ConfigNode root, String source, Path baseDir) {
    if (root.isNull()) {
      throw new InputException(source + ": the scenario is empty");
    }
    root.requireMap().allowOnly(KEYS);
    String fallbackName = nameFrom(source, "scenario");
    String name = root.string("name", fallbackName);
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw root.error("name", "must be letters, digits, '-', '_' or '.', got '" + name + "'");
    }
    long seed = root.has("seed") ? root.get("seed").asLong() : 1L;
    GpuCatalog catalog = GpuCatalog.builtIn().with(root.list("gpus"));
    Fleet fleet = FleetReader.read(root.get("fleet"), catalog);
    List<String> siteNames = fleet.sites().stream().map(dev.superfactory.fleet.Site::name).toList();
    List<Tenant> tenants = new ArrayList<>(TenantReader.read(root.list("tenants"), fleet.totalGpus(), siteNames));
    if (tenants.isEmpty() && !traceGiven(root)) {
      tenants.add(new Tenant("default", "default", fleet.totalGpus()));
    }
    long horizon = Math.round(root.quantity("horizon", Units::parseDurationSeconds, Scenario.DEFAULT_HORIZON_SECONDS));
    long warmup = root.has("warmup") ? Math.round(root.get("warmup").asQuantityOrZero(Units::parseDurationSeconds)) : 0;
    SchedulerConfig scheduler = SchedulerConfig.read(root.getOrEmpty("scheduler"));
    ModelCatalog models = ModelCatalog.builtIn().with(root.list("models"));
    WorkloadSpec workload = WorkloadReader.read(root.getOrEmpty("workload"), tenants, baseDir,
        model -> models.find(model) != null, models.modelNames());
    ConfigNode metrics = root.getOrEmpty("metrics").requireMap().allowOnly("sampleInterval");
    long interval = Math.round(metrics.quantity("sampleInterval", Units::parseDurationSeconds, 0));
    return new Scenario(name, root.string("description", ""), source, seed, catalog, fleet, tenants, horizon,
        warmup, scheduler, workload, interval, ReliabilityReader.read(root.getOrEmpty("reliability")), models,
        EconomicsReader.read(root.getOrEmpty("economics")));
  }

  private static boolean traceGiven(ConfigNode root) {
    return root.has("workload") && root.get("workload").requireMap().has("trace");
  }

  /**
   * A name from a file's: its base name without the extension, other characters than letters, digits, '-', '_'
   * and '.' as '-'; {@code fallback} when nothing usable is left.
   */
  public static String nameFrom(String source, String fallback) {
    String file = source.replace('\\', '/');
    file = file.substring(file.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    String base = dot > 0 ? file.substring(0, dot) : file;
    base = base.replaceAll("[^A-Za-z0-9_.-]", "-");
    return base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) ? fallback : base;
  }
}
