package dev.superfactory.reliability;

import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.Units;
import dev.superfactory.perf.FailureProfile;
import dev.superfactory.perf.FailureProfiles;
import dev.superfactory.perf.FailureRates;
import dev.superfactory.workload.LogNormal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the {@code reliability:} section. Absent: no failures. Present without {@code causes}:
 * the causes of {@code profile} ({@link FailureProfiles}; default {@code h100-production}, the
 * calibrated defaults of {@link #defaultCauses()}).
 */
public final class ReliabilityReader {
  private static final List<String> KEYS = List.of(
      "enabled", "gpusPerHost", "profile", "causes", "planned", "restart", "checkpoint", "spares", "wanCut");
  private static final List<String> CAUSE_KEYS = List.of("name", "scope", "perGpuDay", "mtbf", "repair", "source");
  private static final List<String> SCOPES = List.of("gpu", "host", "domain", "block", "site", "wan", "job");

  private ReliabilityReader() {}

  public static ReliabilitySpec read(ConfigNode node) {
    if (node.isNull()) {
      return ReliabilitySpec.off();
    }
    ConfigNode r = node.requireMap().allowOnly(KEYS);
    if (r.has("profile") && r.has("causes")) {
      throw r.error("profile", "give a failure profile or a list of causes, not both");
    }
    List<FailureCause> causes = r.has("causes") ? readCauses(r.list("causes"))
        : r.has("profile") ? causesOf(FailureProfiles.get(r.get("profile").asChoice(FailureProfiles.names())))
        : defaultCauses();
    List<PlannedMaintenance> planned = new ArrayList<>();
    for (ConfigNode p : r.list("planned")) {
      p.requireMap().allowOnly("name", "scope", "start", "every", "duration", "repeat");
      Scope scope = scope(p.get("scope"));
      if (scope != Scope.DOMAIN && scope != Scope.BLOCK && scope != Scope.SITE) {
        throw p.error("scope", "planned maintenance takes a domain, block or site at a time, got " + scope.name().toLowerCase(Locale.ROOT));
      }
      planned.add(new PlannedMaintenance(p.string("name", "maintenance"), scope,
          seconds(p, "start", 0), Math.max(1, seconds(p, "every", 3600)),
          Math.max(1, Math.round(p.quantity("duration", Units::parseDurationSeconds))), seconds(p, "repeat", 0)));
    }
    RestartCosts restart = defaultRestart();
    if (r.has("restart")) {
      ConfigNode x = r.get("restart").requireMap().allowOnly("detection", "init", "minLoad");
      restart = new RestartCosts(
          x.has("detection") ? x.get("detection").asQuantityOrZero(Units::parseDurationSeconds) : restart.detectionSeconds(),
          x.has("init") ? x.get("init").asQuantityOrZero(Units::parseDurationSeconds) : restart.initSeconds(),
          x.has("minLoad") ? x.get("minLoad").asQuantityOrZero(Units::parseDurationSeconds) : restart.loadSecondsFloor());
    }
    CheckpointPolicy checkpoint = defaultCheckpoint();
    if (r.has("checkpoint")) {
      ConfigNode c = r.get("checkpoint").requireMap().allowOnly(
          "policy", "interval", "mode", "asyncOverhead", "bytesPerGpu", "writeBandwidthPerGpu", "storageBandwidth");
      String policy = c.has("policy") ? c.get("policy").asChoice(List.of("young-daly", "fixed")) : "young-daly";
      String mode = c.has("mode") ? c.get("mode").asChoice(List.of("sync", "async")) : "sync";
      checkpoint = new CheckpointPolicy(
          policy.equals("young-daly"),
          c.quantity("interval", Units::parseDurationSeconds, checkpoint.fixedIntervalSeconds()),
          mode.equals("async"),
          c.fraction("asyncOverhead", checkpoint.asyncOverhead()),
          c.quantity("bytesPerGpu", ReliabilityReader::parseBytes, checkpoint.bytesPerGpu()),
          c.quantity("writeBandwidthPerGpu", Units::parseBandwidthBytesPerSecond, checkpoint.writeBandwidthPerGpuBytes()),
          c.quantity("storageBandwidth", Units::parseBandwidthBytesPerSecond, checkpoint.siteStorageBandwidthBytes()));
    }
    int spares = 0;
    if (r.has("spares")) {
      ConfigNode s = r.get("spares").requireMap().allowOnly("perDomain");
      spares = s.nonNegativeInt("perDomain", 0);
    }
    boolean shrink = r.has("wanCut") && r.get("wanCut").asChoice(List.of("stall", "shrink")).equals("shrink");
    return new ReliabilitySpec(r.bool("enabled", true), r.positiveInt("gpusPerHost", 8), causes, planned, restart,
        checkpoint, spares, shrink);
  }

  private static long seconds(ConfigNode n, String key, long fallback) {
    return n.has(key) ? Math.round(n.get(key).asQuantityOrZero(Units::parseDurationSeconds)) : fallback;
  }

  private static Scope scope(ConfigNode n) {
    return Scope.valueOf(n.asChoice(SCOPES).toUpperCase(Locale.ROOT));
  }

  private static List<FailureCause> readCauses(List<ConfigNode> nodes) {
    List<FailureCause> causes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode c : nodes) {
      c.requireMap().allowOnly(CAUSE_KEYS);
      String name = c.string("name");
      if (!names.add(name)) {
        throw c.error("name", "duplicate failure cause '" + name + "'");
      }
      Scope scope = scope(c.get("scope"));
      if (c.has("perGpuDay") == c.has("mtbf")) {
        throw c.error("give exactly one of perGpuDay (events per GPU per day) or mtbf (per component, e.g. 5y)");
      }
      if (scope == Scope.WAN && c.has("perGpuDay")) {
        throw c.error("perGpuDay", "a WAN cut rate is per link: use mtbf");
      }
      double perGpuDay = c.has("perGpuDay") ? c.get("perGpuDay").asPositive() : 0;
      double mtbfHours = c.has("mtbf") ? c.get("mtbf").asQuantity(Units::parseDurationSeconds) / 3600.0 : 0;
      LogNormal repair = null;
      if (scope != Scope.JOB) {
        ConfigNode rep = c.get("repair").requireMap().allowOnly("median", "p90");
        double median = rep.quantity("median", Units::parseDurationSeconds);
        double p90 = rep.quantity("p90", Units::parseDurationSeconds, median);
        if (p90 < median) {
          throw rep.error("p90", "must be >= median");
        }
        repair = new LogNormal(median, p90, 60, 365 * 86400.0);
      } else if (c.has("repair")) {
        throw c.error("repair", "software faults (scope job) are not repaired; remove repair");
      }
      causes.add(new FailureCause(name, scope, perGpuDay, mtbfHours, repair, c.string("source", "given in the scenario")));
    }
    return causes;
  }

  /** {@code 400MB}, {@code 2GB}, {@code 1.5TB}; decimal. */
  static double parseBytes(String text) {
    String t = text.trim();
    String[] units = {"TB", "GB", "MB", "kB", "B"};
    double[] scale = {1e12, 1e9, 1e6, 1e3, 1};
    for (int i = 0; i < units.length; i++) {
      if (t.endsWith(units[i])) {
        return Double.parseDouble(t.substring(0, t.length() - units[i].length()).trim()) * scale[i];
      }
    }
    try {
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a size such as 400MB or 2TB, got '" + t + "'");
    }
  }

  /**
   * Failure causes calibrated to Llama 3 405B pre-training (arXiv 2407.21783, §3.3.4, Table 5):
   * 419 unexpected interruptions in a 54-day snapshot on up to 16,384 H100 GPUs, by cause (counts,
   * not the table's percentages). Rates are per GPU-day: count ÷ (54 × 16,384). Scale-up fabric,
   * rack, site and WAN rates are not in that report and are ASSUMPTIONS. Repair times are
   * ASSUMPTIONS.
   */
  public static List<FailureCause> defaultCauses() {
    FailureRates llama3 = FailureRates.llama3();
    String table = llama3.source() + ": ";
    return List.of(
        fromCounts(llama3, "gpu", Scope.HOST, hours(6, 48), table,
            "faulty GPU", "GPU SRAM memory", "GPU system processor", "GPU thermal interface and sensor"),
        fromCounts(llama3, "hbm", Scope.HOST, hours(12, 72), table, "GPU HBM3 memory"),
        fromCounts(llama3, "sdc", Scope.HOST, hours(12, 72), table, "silent data corruption"),
        fromCounts(llama3, "host", Scope.HOST, hours(4, 24), table, "NIC", "SSD", "power supply", "server chassis",
            "IO expansion board", "CPU", "system memory", "dependency", "host maintenance"),
        fromCounts(llama3, "network", Scope.HOST, hours(2, 12), table, "network switch or cable"),
        fromCounts(llama3, "software", Scope.JOB, null, table, "software bug", "NCCL watchdog timeout"),
        new FailureCause("nvlink", Scope.DOMAIN, 0, 100_000.0 / 9, hours(4, 24),
            "ASSUMPTION: NVLink switch tray MTBF 100,000 h, 9 trays per NVL72 rack"),
        new FailureCause("rack", Scope.DOMAIN, 0, 5 * 8760, hours(6, 48),
            "ASSUMPTION: rack power or cooling event once per 5 years per rack"),
        new FailureCause("site", Scope.SITE, 0, 2.3 * 8760, hours(2, 12),
            "ASSUMPTION: site-level event every ~2.3 years with ~2 h repair, i.e. 'four nines' (Fairwater Atlanta)"),
        new FailureCause("wan", Scope.WAN, 0, 8760 / 2.0, hours(8, 24),
            "ASSUMPTION: two fiber cuts a year on a ~1,100 km route, repaired in ~8 h"));
  }

  /**
   * The default causes with every per-GPU-day rate scaled so that they sum to the profile's
   * unexpected rate. ASSUMPTION: the profile's failures split by cause as Llama 3's did (Kokolis et
   * al. publish their causes per GPU-hour only in a chart); NVLink, rack, site and WAN causes, given
   * per component, are kept.
   */
  public static List<FailureCause> causesOf(FailureProfile profile) {
    List<FailureCause> base = defaultCauses();
    if (profile.name().equals(FailureProfiles.H100_PRODUCTION)) {
      return base;
    }
    double scale = profile.unexpectedPerGpuDay() / FailureRates.llama3().unexpectedPerGpuDay();
    List<FailureCause> scaled = new ArrayList<>();
    for (FailureCause c : base) {
      scaled.add(c.perGpuDay() == 0 ? c : new FailureCause(c.name(), c.scope(), c.perGpuDay() * scale, 0, c.repair(),
          String.format(Locale.ROOT, "%s x %.3f to profile %s (%s)", c.source(), scale, profile.name(),
              profile.source())));
    }
    return scaled;
  }

  /** A cause whose rate per GPU-day is the summed counts of the named rows of a report. */
  private static FailureCause fromCounts(FailureRates report, String name, Scope scope, LogNormal repair,
      String table, String... rows) {
    int count = 0;
    StringBuilder source = new StringBuilder(table);
    for (String row : rows) {
      FailureRates.Cause c = report.causes().stream().filter(x -> x.name().equals(row)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no row '" + row + "' in " + report.source()));
      count += c.count();
      source.append(source.length() > table.length() ? ", " : "").append(row).append(' ').append(c.count());
    }
    return new FailureCause(name, scope, count / report.observedGpuDays(), 0, repair, source.toString());
  }

  private static LogNormal hours(double median, double p90) {
    return new LogNormal(median * 3600, p90 * 3600, 60, 365 * 86400.0);
  }

  /**
   * Restart costs. ASSUMPTIONS: 5 min to detect (collective timeouts are minutes), 4 min to
   * restart processes and initialise collectives at scale, checkpoint load at least 30 s.
   */
  static RestartCosts defaultRestart() {
    return new RestartCosts(300, 240, 30);
  }

  /**
   * Checkpoints: Young/Daly interval, synchronous writes, 400 MB per GPU (Llama 3 405B's weights
   * and optimizer state, ~6.5 TB at 16 bytes per parameter, over 16,384 GPUs), 1 GB/s of storage
   * bandwidth per GPU, capped at 2 TB/s per site (Llama 3 §3.3.1: Tectonic sustains 2 TB/s,
   * peaks 7 TB/s). Async overhead 2%: ASSUMPTION.
   */
  static CheckpointPolicy defaultCheckpoint() {
    return new CheckpointPolicy(true, 3600, false, 0.02, 400e6, 1e9, 2e12);
  }
}
