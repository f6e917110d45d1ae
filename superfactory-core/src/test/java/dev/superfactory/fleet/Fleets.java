package dev.superfactory.fleet;

import java.util.ArrayList;
import java.util.List;

/** Small fleets for tests. */
public final class Fleets {
  private Fleets() {}

  /** One site, one group of {@code blocks} blocks × {@code domainsPerBlock} domains × {@code gpusPerDomain} GPUs. */
  public static Fleet uniform(int blocks, int domainsPerBlock, int gpusPerDomain) {
    return sites(1, blocks, domainsPerBlock, gpusPerDomain);
  }

  /** {@code siteCount} identical sites in a chain of 1,000 km, 10 Tb/s links. */
  public static Fleet sites(int siteCount, int blocks, int domainsPerBlock, int gpusPerDomain) {
    GpuModel gpu = GpuCatalog.builtIn().get(gpusPerDomain >= 72 ? "gb200" : "h100");
    List<Site> sites = new ArrayList<>();
    List<WanLink> links = new ArrayList<>();
    for (int s = 0; s < siteCount; s++) {
      BlockGroup g = new BlockGroup("s" + s + "-g", gpu, blocks, domainsPerBlock, gpusPerDomain, 10);
      sites.add(new Site("s" + s, "site " + s, Double.NaN, Double.NaN, 50e9, 1e6, 1.2, 80, List.of(g)));
      if (s > 0) {
        links.add(WanLink.ofDistance("s" + (s - 1), "s" + s, 1000, 1.25e12));
      }
    }
    return new Fleet(sites, links);
  }

  /** One site with two groups of different domain sizes: 2 blocks × 3 × 8 GPUs and 1 block × 2 × 72 GPUs. */
  public static Fleet mixed() {
    GpuModel h100 = GpuCatalog.builtIn().get("h100");
    GpuModel gb200 = GpuCatalog.builtIn().get("gb200");
    BlockGroup a = new BlockGroup("a", h100, 2, 3, 8, 10);
    BlockGroup b = new BlockGroup("b", gb200, 1, 2, 72, 140);
    Site s0 = new Site("s0", "x", Double.NaN, Double.NaN, 50e9, 100, 1.2, 80, List.of(a, b));
    BlockGroup c = new BlockGroup("c", h100, 3, 2, 8, 10);
    Site s1 = new Site("s1", "y", Double.NaN, Double.NaN, 50e9, 100, 1.2, 80, List.of(c));
    return new Fleet(List.of(s0, s1), List.of(WanLink.ofDistance("s0", "s1", 500, 1e12)));
  }

  /**
   * Racks of two sizes that take the same two mask words, and small servers on a second site:
   * site s0 has 1 block × 3 domains × 72 GPUs (domains 0–2, GPUs 0–215) and 1 block × 2 × 100
   * (domains 3–4, GPUs 216–415); site s1 has 1 block × 3 × 8 (domains 5–7, GPUs 416–439).
   */
  public static Fleet twoRackSizes() {
    GpuModel h100 = GpuCatalog.builtIn().get("h100");
    GpuModel gb200 = GpuCatalog.builtIn().get("gb200");
    BlockGroup r72 = new BlockGroup("r72", gb200, 1, 3, 72, 140);
    BlockGroup r100 = new BlockGroup("r100", gb200, 1, 2, 100, 190);
    Site s0 = new Site("s0", "x", Double.NaN, Double.NaN, 50e9, 100, 1.2, 80, List.of(r72, r100));
    BlockGroup servers = new BlockGroup("servers", h100, 1, 3, 8, 10);
    Site s1 = new Site("s1", "y", Double.NaN, Double.NaN, 50e9, 100, 1.2, 80, List.of(servers));
    return new Fleet(List.of(s0, s1), List.of(WanLink.ofDistance("s0", "s1", 500, 1e12)));
  }
}
