package dev.superfactory.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.fleet.BlockGroup;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.Site;
import dev.superfactory.fleet.WanLink;
import dev.superfactory.input.Units;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.workload.Tenant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code fleet show}: a scenario's fleet as a console summary or one JSON object. */
public final class FleetReport {
  private FleetReport() {}

  /** The JSON form: {@code totalGpus}, {@code sites[]} (each with {@code name}, {@code gpus}), ... */
  public static ObjectNode json(Scenario scenario) {
    Fleet fleet = scenario.fleet();
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("scenario", scenario.name());
    root.put("totalGpus", fleet.totalGpus());
    root.put("domains", fleet.domainCount());
    root.put("blocks", fleet.blockCount());
    root.put("peakPflopsBf16", Format.round(fleet.peakFlops(false) / 1e15, 1));
    root.put("peakPflopsFp8", Format.round(fleet.peakFlops(true) / 1e15, 1));
    root.put("itPowerMw", Format.round(fleet.itPowerMw(), 3));
    root.set("gpuModels", gpuCounts(fleet, -1, f));
    ArrayNode sites = root.putArray("sites");
    for (int s = 0; s < fleet.siteCount(); s++) {
      Site site = fleet.site(s);
      ObjectNode n = sites.addObject();
      n.put("name", site.name());
      n.put("location", site.location());
      if (!Double.isNaN(site.latitude())) {
        n.put("latitude", site.latitude());
      }
      if (!Double.isNaN(site.longitude())) {
        n.put("longitude", site.longitude());
      }
      n.put("gpus", site.gpus());
      n.set("gpuModels", gpuCounts(fleet, s, f));
      n.put("domains", site.groups().stream().mapToLong(BlockGroup::domains).sum());
      n.put("blocks", site.groups().stream().mapToLong(BlockGroup::blocks).sum());
      n.put("peakPflopsBf16", Format.round(sitePeak(site, false) / 1e15, 1));
      n.put("peakPflopsFp8", Format.round(sitePeak(site, true) / 1e15, 1));
      n.put("itPowerMw", Format.round(site.itPowerMw(), 3));
      n.put("facilityPowerMw", Format.round(site.itPowerMw() * site.pue(), 3));
      n.put("powerCapacityMw", site.powerCapacityMw());
      n.put("pue", site.pue());
      n.put("electricityUsdPerMwh", site.electricityUsdPerMwh());
      n.put("scaleOutGbpsPerGpu", Format.round(site.scaleOutBandwidthBytesPerSecond() * 8 / 1e9, 3));
      ArrayNode groups = n.putArray("blockGroups");
      for (BlockGroup g : site.groups()) {
        ObjectNode gn = groups.addObject();
        gn.put("name", g.name());
        gn.put("gpu", g.gpu().name());
        gn.put("blocks", g.blocks());
        gn.put("domainsPerBlock", g.domainsPerBlock());
        gn.put("gpusPerDomain", g.gpusPerDomain());
        gn.put("gpus", g.gpus());
        gn.put("domainPowerKw", Format.round(g.domainPowerKw(), 3));
      }
    }
    ArrayNode wan = root.putArray("wanLinks");
    for (WanLink l : fleet.wanLinks()) {
      ObjectNode n = wan.addObject();
      n.putArray("between").add(l.siteA()).add(l.siteB());
      n.put("distanceKm", l.distanceKm());
      n.put("latencyMs", Format.round(l.latencySeconds() * 1000, 4));
      n.put("bandwidthTbps", Format.round(l.bandwidthBytesPerSecond() * 8 / 1e12, 6));
    }
    ArrayNode tenants = root.putArray("tenants");
    for (Tenant t : scenario.tenants()) {
      tenants.addObject().put("name", t.name()).put("displayName", t.displayName()).put("gpuLimit", t.gpuLimit());
    }
    return root;
  }

  /** The console form. */
  public static String text(Scenario scenario) {
    Fleet fleet = scenario.fleet();
    StringBuilder sb = new StringBuilder();
    sb.append("Scenario ").append(scenario.name()).append(" (").append(scenario.source()).append(")\n");
    if (!scenario.description().isEmpty()) {
      sb.append(wrap(scenario.description(), 96)).append('\n');
    }
    sb.append('\n');
    TextTable sites = new TextTable("site", "location", "GPUs>", "models", "domains>", "blocks>",
        "BF16 PFLOP/s>", "FP8 PFLOP/s>", "IT MW>", "cap MW>", "PUE>", "scale-out/GPU>");
    for (int s = 0; s < fleet.siteCount(); s++) {
      Site site = fleet.site(s);
      sites.row(site.name(), site.location(), Format.count(site.gpus()), models(fleet, s),
          Format.count(site.groups().stream().mapToLong(BlockGroup::domains).sum()),
          Format.count(site.groups().stream().mapToLong(BlockGroup::blocks).sum()),
          Format.fixed(sitePeak(site, false) / 1e15, 0), Format.fixed(sitePeak(site, true) / 1e15, 0),
          Format.fixed(site.itPowerMw(), 1), Format.fixed(site.powerCapacityMw(), 0), Format.fixed(site.pue(), 2),
          Units.formatBandwidthBits(site.scaleOutBandwidthBytesPerSecond()));
    }
    sites.row("total", "", Format.count(fleet.totalGpus()), models(fleet, -1), Format.count(fleet.domainCount()),
        Format.count(fleet.blockCount()), Format.fixed(fleet.peakFlops(false) / 1e15, 0),
        Format.fixed(fleet.peakFlops(true) / 1e15, 0), Format.fixed(fleet.itPowerMw(), 1), "", "", "");
    sb.append(sites);
    sb.append('\n');
    TextTable groups = new TextTable("block group", "site", "GPU", "blocks>", "domains/block>", "GPUs/domain>",
        "GPUs>", "kW/domain>");
    for (int g = 0; g < fleet.groupCount(); g++) {
      BlockGroup bg = fleet.group(g);
      groups.row(bg.name(), fleet.site(fleet.groupSite(g)).name(), bg.gpu().displayName(), bg.blocks(),
          bg.domainsPerBlock(), bg.gpusPerDomain(), Format.count(bg.gpus()), Format.fixed(bg.domainPowerKw(), 1));
    }
    sb.append(groups);
    if (!fleet.wanLinks().isEmpty()) {
      sb.append('\n');
      TextTable wan = new TextTable("WAN link", "distance>", "latency (one way)>", "bandwidth>");
      for (WanLink l : fleet.wanLinks()) {
        wan.row(l.siteA() + " - " + l.siteB(), Format.fixed(l.distanceKm(), 0) + " km",
            Format.fixed(l.latencySeconds() * 1000, 2) + " ms", Units.formatBandwidthBits(l.bandwidthBytesPerSecond()));
      }
      sb.append(wan);
    }
    if (!scenario.tenants().isEmpty()) {
      sb.append('\n');
      TextTable tenants = new TextTable("tenant", "name", "GPU limit>");
      for (Tenant t : scenario.tenants()) {
        tenants.row(t.name(), t.displayName(), Format.count(t.gpuLimit()));
      }
      sb.append(tenants);
    }
    return sb.toString();
  }

  private static ObjectNode gpuCounts(Fleet fleet, int site, JsonNodeFactory f) {
    ObjectNode n = f.objectNode();
    for (Map.Entry<String, Long> e : modelCounts(fleet, site).entrySet()) {
      n.put(e.getKey(), e.getValue());
    }
    return n;
  }

  private static Map<String, Long> modelCounts(Fleet fleet, int site) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int g = 0; g < fleet.groupCount(); g++) {
      if (site < 0 || fleet.groupSite(g) == site) {
        counts.merge(fleet.group(g).gpu().name(), fleet.group(g).gpus(), Long::sum);
      }
    }
    return counts;
  }

  private static String models(Fleet fleet, int site) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Long> e : modelCounts(fleet, site).entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append(" ").append(Format.count(e.getValue()));
    }
    return sb.toString();
  }

  private static double sitePeak(Site site, boolean fp8) {
    double sum = 0;
    for (BlockGroup g : site.groups()) {
      sum += g.gpus() * g.gpu().peakFlops(fp8);
    }
    return sum;
  }

  static String wrap(String text, int width) {
    StringBuilder sb = new StringBuilder();
    int col = 0;
    for (String word : text.split("\\s+")) {
      if (col > 0 && col + 1 + word.length() > width) {
        sb.append('\n');
        col = 0;
      } else if (col > 0) {
        sb.append(' ');
        col++;
      }
      sb.append(word);
      col += word.length();
    }
    return sb.toString();
  }
}
