package dev.superfactory.fleet;

import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.Suggest;
import dev.superfactory.input.Units;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the {@code fleet:} section of a scenario into a validated {@link Fleet}. Every mistake is
 * reported at its own line: unknown keys, non-positive counts, unknown GPU models, duplicate
 * site or group names, WAN links naming sites that do not exist, a site drawing more IT power
 * than it can deliver.
 */
public final class FleetReader {
  private static final List<String> FLEET_KEYS = List.of("sites", "wan");
  private static final List<String> SITE_KEYS = List.of(
      "name", "location", "latitude", "longitude", "scaleOutBandwidthPerGpu", "powerCapacityMw", "pue",
      "electricityUsdPerMwh", "blocks");
  private static final List<String> GROUP_KEYS = List.of(
      "name", "gpu", "count", "domainsPerBlock", "gpusPerDomain", "domainPower");
  private static final List<String> WAN_KEYS = List.of("between", "distance", "bandwidth", "latency");

  private FleetReader() {}

  public static Fleet read(ConfigNode node, GpuCatalog catalog) {
    node.requireMap().allowOnly(FLEET_KEYS);
    List<ConfigNode> siteNodes = node.get("sites").asList();
    if (siteNodes.isEmpty()) {
      throw node.error("sites", "needs at least one site");
    }
    List<Site> sites = new ArrayList<>();
    Map<String, ConfigNode> siteByName = new LinkedHashMap<>();
    Map<String, ConfigNode> groupByName = new HashMap<>();
    long totalGpus = 0;
    for (ConfigNode s : siteNodes) {
      Site site = readSite(s, catalog, groupByName);
      ConfigNode previous = siteByName.put(site.name(), s);
      if (previous != null) {
        throw s.error("name", "duplicate site name '" + site.name() + "' (first defined at line "
            + previous.location().line() + ")");
      }
      totalGpus += site.gpus();
      if (totalGpus > Integer.MAX_VALUE) {
        throw s.error("blocks", "the fleet exceeds " + Integer.MAX_VALUE + " GPUs");
      }
      sites.add(site);
    }
    List<WanLink> links = new ArrayList<>();
    for (ConfigNode w : node.list("wan")) {
      links.add(readWan(w, siteByName, links));
    }
    return new Fleet(sites, links);
  }

  private static Site readSite(ConfigNode s, GpuCatalog catalog, Map<String, ConfigNode> groupByName) {
    s.requireMap().allowOnly(SITE_KEYS);
    String name = s.string("name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw s.error("name", "must be letters, digits, '-', '_' or '.', got '" + name + "'");
    }
    List<ConfigNode> groupNodes = s.get("blocks").asList();
    if (groupNodes.isEmpty()) {
      throw s.error("blocks", "needs at least one block group");
    }
    List<BlockGroup> groups = new ArrayList<>();
    for (ConfigNode g : groupNodes) {
      BlockGroup group = readGroup(g, name, catalog, groupNodes.size());
      ConfigNode previous = groupByName.put(group.name(), g);
      if (previous != null) {
        throw g.error("name", "duplicate block group name '" + group.name() + "' (first defined at "
            + previous.location() + ")");
      }
      groups.add(group);
    }
    double capacityMw = s.positive("powerCapacityMw");
    double pue = s.number("pue", 1.2);
    if (pue < 1.0) {
      throw s.error("pue", "must be >= 1 (facility power / IT power), got " + pue);
    }
    Site site = new Site(
        name,
        s.string("location", name),
        latitudeOrNaN(s, "latitude", 90),
        latitudeOrNaN(s, "longitude", 180),
        s.quantity("scaleOutBandwidthPerGpu", Units::parseBandwidthBytesPerSecond),
        capacityMw,
        pue,
        s.nonNegative("electricityUsdPerMwh", 0),
        groups);
    if (site.itPowerMw() > capacityMw * (1 + 1e-9)) {
      throw s.error("powerCapacityMw", String.format(Locale.ROOT,
          "the site's racks draw %.1f MW of IT power but powerCapacityMw is %.1f", site.itPowerMw(), capacityMw));
    }
    return site;
  }

  private static double latitudeOrNaN(ConfigNode s, String key, double limit) {
    if (!s.has(key)) {
      return Double.NaN;
    }
    double v = s.number(key);
    if (Math.abs(v) > limit) {
      throw s.error(key, "must be between -" + (int) limit + " and " + (int) limit + ", got " + v);
    }
    return v;
  }

  private static BlockGroup readGroup(ConfigNode g, String site, GpuCatalog catalog, int groupsInSite) {
    g.requireMap().allowOnly(GROUP_KEYS);
    GpuModel gpu = catalog.resolve(g.get("gpu"));
    String defaultName = groupsInSite == 1 ? site + "-" + gpu.name() : null;
    String name = g.has("name") ? g.string("name") : defaultName;
    if (name == null) {
      name = site + "-" + gpu.name() + "-" + g.path().replaceAll(".*\\[(\\d+)]$", "$1");
    }
    int count = g.positiveInt("count");
    int perBlock = g.positiveInt("domainsPerBlock");
    int perDomain = g.positiveInt("gpusPerDomain");
    if (perDomain > BlockGroup.MAX_DOMAIN_GPUS) {
      throw g.error("gpusPerDomain", "must be at most " + BlockGroup.MAX_DOMAIN_GPUS + ", got " + perDomain);
    }
    if ((long) count * perBlock * perDomain > Integer.MAX_VALUE) {
      throw g.error("count", "this group alone exceeds " + Integer.MAX_VALUE + " GPUs");
    }
    double powerKw = g.quantity("domainPower", Units::parsePowerMw) * 1000.0;
    return new BlockGroup(name, gpu, count, perBlock, perDomain, powerKw);
  }

  private static WanLink readWan(ConfigNode w, Map<String, ConfigNode> sites, List<WanLink> earlier) {
    w.requireMap().allowOnly(WAN_KEYS);
    List<ConfigNode> ends = w.get("between").asList();
    if (ends.size() != 2) {
      throw w.error("between", "must name exactly two sites, e.g. [wisconsin, atlanta]; got " + ends.size());
    }
    String a = ends.get(0).asString();
    String b = ends.get(1).asString();
    for (ConfigNode end : ends) {
      String site = end.asString();
      if (!sites.containsKey(site)) {
        String nearest = Suggest.nearest(site, sites.keySet());
        throw end.error("names site '" + site + "' which does not exist"
            + (nearest != null ? "; did you mean '" + nearest + "'?" : "")
            + " (sites: " + String.join(", ", sites.keySet()) + ")");
      }
    }
    if (a.equals(b)) {
      throw w.error("between", "joins site '" + a + "' to itself");
    }
    for (WanLink l : earlier) {
      if (l.connects(a, b)) {
        throw w.error("between", "a WAN link between '" + a + "' and '" + b + "' is already defined");
      }
    }
    double km = w.quantity("distance", Units::parseDistanceKm);
    double bandwidth = w.quantity("bandwidth", Units::parseBandwidthBytesPerSecond);
    double latency = w.quantity("latency", Units::parseDurationSeconds, km * WanLink.FIBER_SECONDS_PER_KM);
    return new WanLink(a, b, km, bandwidth, latency);
  }
}
