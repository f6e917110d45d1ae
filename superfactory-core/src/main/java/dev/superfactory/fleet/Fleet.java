package dev.superfactory.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable multi-site fleet: sites → block groups → blocks → scale-up domains → GPUs.
 *
 * <p>Blocks, domains and GPUs are numbered densely across the whole fleet in site, group, block
 * order. No object exists per GPU or per domain: the only per-domain storage is one {@code int}
 * (its block) and per block one {@code int} (its group), so a fleet of 1,000,000 GPUs in NVL72
 * racks costs ≈ 56 KB of arrays, and in 8-GPU servers ≈ 1 MB.
 *
 * <p>Costs: every topology lookup ({@link #domainBlock}, {@link #blockGroup}, {@link #groupSite},
 * {@link #domainSize}, {@link #domainFirstGpu}) is O(1). {@link #wanRoute} is O(1) after an
 * all-pairs shortest-latency pass at construction (O(sites³), sites ≤ a few dozen).
 */
public final class Fleet {
  private final List<Site> sites;
  private final List<BlockGroup> groups;
  private final List<WanLink> wanLinks;
  private final Map<String, Integer> siteIndex;

  private final int[] groupSite;
  private final int[] groupDomainSize;
  private final int[] groupFirstBlock;
  private final int[] groupFirstDomain;
  private final int[] groupFirstGpu;
  private final int[] siteFirstGroup; // sites + 1
  private final int[] blockGroup;
  private final int[] domainBlock;
  private final int totalGpus;
  private final int maxDomainGpus;
  private final WanRoute[][] routes;

  /**
   * Builds and validates a fleet.
   *
   * @throws IllegalArgumentException on duplicate names, unknown WAN endpoints or a fleet larger
   *     than {@link Integer#MAX_VALUE} GPUs
   */
  public Fleet(List<Site> sites, List<WanLink> wanLinks) {
    if (sites.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one site");
    }
    this.sites = List.copyOf(sites);
    this.wanLinks = List.copyOf(wanLinks);
    Map<String, Integer> index = new HashMap<>();
    Set<String> groupNames = new HashSet<>();
    List<BlockGroup> allGroups = new ArrayList<>();
    long gpus = 0;
    long blocks = 0;
    long domains = 0;
    for (int s = 0; s < sites.size(); s++) {
      Site site = sites.get(s);
      if (index.put(site.name(), s) != null) {
        throw new IllegalArgumentException("duplicate site name '" + site.name() + "'");
      }
      for (BlockGroup g : site.groups()) {
        if (!groupNames.add(g.name())) {
          throw new IllegalArgumentException("duplicate block group name '" + g.name() + "'");
        }
        allGroups.add(g);
        gpus += g.gpus();
        blocks += g.blocks();
        domains += g.domains();
      }
    }
    if (gpus > Integer.MAX_VALUE || domains > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("fleet too large: " + gpus + " GPUs");
    }
    this.siteIndex = Collections.unmodifiableMap(index);
    this.groups = List.copyOf(allGroups);
    this.totalGpus = (int) gpus;

    int groupCount = groups.size();
    groupSite = new int[groupCount];
    groupDomainSize = new int[groupCount];
    groupFirstBlock = new int[groupCount + 1];
    groupFirstDomain = new int[groupCount + 1];
    groupFirstGpu = new int[groupCount + 1];
    siteFirstGroup = new int[sites.size() + 1];
    blockGroup = new int[(int) blocks];
    domainBlock = new int[(int) domains];
    int g = 0;
    int b = 0;
    int d = 0;
    int gpu = 0;
    int maxDomain = 0;
    for (int s = 0; s < sites.size(); s++) {
      siteFirstGroup[s] = g;
      for (BlockGroup group : sites.get(s).groups()) {
        groupSite[g] = s;
        groupDomainSize[g] = group.gpusPerDomain();
        groupFirstBlock[g] = b;
        groupFirstDomain[g] = d;
        groupFirstGpu[g] = gpu;
        maxDomain = Math.max(maxDomain, group.gpusPerDomain());
        for (int i = 0; i < group.blocks(); i++, b++) {
          blockGroup[b] = g;
          for (int j = 0; j < group.domainsPerBlock(); j++, d++) {
            domainBlock[d] = b;
          }
        }
        gpu += (int) group.gpus();
        g++;
      }
    }
    siteFirstGroup[sites.size()] = g;
    groupFirstBlock[groupCount] = b;
    groupFirstDomain[groupCount] = d;
    groupFirstGpu[groupCount] = gpu;
    this.maxDomainGpus = maxDomain;
    this.routes = computeRoutes();
  }

  // ---- sizes ----

  /** Bytes held by the topology arrays: for footprint reports. */
  public long footprintBytes() {
    return 4L * (groupSite.length + groupDomainSize.length + groupFirstBlock.length + groupFirstDomain.length + groupFirstGpu.length
        + siteFirstGroup.length + blockGroup.length + domainBlock.length);
  }

  public int totalGpus() {
    return totalGpus;
  }

  public int siteCount() {
    return sites.size();
  }

  public int groupCount() {
    return groups.size();
  }

  public int blockCount() {
    return blockGroup.length;
  }

  public int domainCount() {
    return domainBlock.length;
  }

  public int maxDomainGpus() {
    return maxDomainGpus;
  }

  // ---- sites ----

  public List<Site> sites() {
    return sites;
  }

  public Site site(int s) {
    return sites.get(s);
  }

  /** Index of the named site, or -1. */
  public int siteIndex(String name) {
    Integer i = siteIndex.get(name);
    return i == null ? -1 : i;
  }

  public int siteGpus(int s) {
    return groupFirstGpu[siteFirstGroup[s + 1]] - groupFirstGpu[siteFirstGroup[s]];
  }

  /** Groups of site {@code s} are {@code siteFirstGroup(s) .. siteFirstGroup(s + 1) - 1}. */
  public int siteFirstGroup(int s) {
    return siteFirstGroup[s];
  }

  // ---- groups, blocks, domains ----

  public List<BlockGroup> groups() {
    return groups;
  }

  public BlockGroup group(int g) {
    return groups.get(g);
  }

  public int groupSite(int g) {
    return groupSite[g];
  }

  public int groupFirstBlock(int g) {
    return groupFirstBlock[g];
  }

  public int groupFirstDomain(int g) {
    return groupFirstDomain[g];
  }

  public int groupFirstGpu(int g) {
    return groupFirstGpu[g];
  }

  public int blockGroup(int b) {
    return blockGroup[b];
  }

  public int blockSite(int b) {
    return groupSite[blockGroup[b]];
  }

  public int blockFirstDomain(int b) {
    int g = blockGroup[b];
    return groupFirstDomain[g] + (b - groupFirstBlock[g]) * groups.get(g).domainsPerBlock();
  }

  public int blockDomainCount(int b) {
    return groups.get(blockGroup[b]).domainsPerBlock();
  }

  public int domainBlock(int d) {
    return domainBlock[d];
  }

  public int domainGroup(int d) {
    return blockGroup[domainBlock[d]];
  }

  public int domainSite(int d) {
    return groupSite[domainGroup(d)];
  }

  public int domainSize(int d) {
    return groupDomainSize[blockGroup[domainBlock[d]]];
  }

  public int domainFirstGpu(int d) {
    int g = domainGroup(d);
    return groupFirstGpu[g] + (d - groupFirstDomain[g]) * groups.get(g).gpusPerDomain();
  }

  /** The domain holding GPU {@code gpu}; O(log groups). */
  public int gpuDomain(int gpu) {
    int g = upperBound(groupFirstGpu, groups.size(), gpu);
    return groupFirstDomain[g] + (gpu - groupFirstGpu[g]) / groups.get(g).gpusPerDomain();
  }

  private static int upperBound(int[] firsts, int count, int value) {
    int lo = 0;
    int hi = count - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (firsts[mid] <= value) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  // ---- WAN ----

  public List<WanLink> wanLinks() {
    return wanLinks;
  }

  /**
   * The lowest-latency path between two sites over the WAN links, with its bottleneck bandwidth;
   * {@code null} when the sites are not connected. Same site: {@code null}.
   */
  public WanRoute wanRoute(int a, int b) {
    return routes[a][b];
  }

  /** A path over WAN links: summed latency and distance, minimum bandwidth, number of hops. */
  public record WanRoute(double latencySeconds, double distanceKm, double bandwidthBytesPerSecond, int hops) {}

  private WanRoute[][] computeRoutes() {
    int n = sites.size();
    WanRoute[][] r = new WanRoute[n][n];
    for (WanLink l : wanLinks) {
      int a = siteIndex(l.siteA());
      int b = siteIndex(l.siteB());
      if (a < 0 || b < 0) {
        throw new IllegalArgumentException("WAN link names an unknown site: " + l.siteA() + "-" + l.siteB());
      }
      if (a == b) {
        throw new IllegalArgumentException("WAN link joins site " + l.siteA() + " to itself");
      }
      if (r[a][b] != null) {
        throw new IllegalArgumentException("duplicate WAN link " + l.siteA() + "-" + l.siteB());
      }
      WanRoute direct = new WanRoute(l.latencySeconds(), l.distanceKm(), l.bandwidthBytesPerSecond(), 1);
      r[a][b] = direct;
      r[b][a] = direct;
    }
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (i == j || r[i][k] == null || r[k][j] == null || i == k || j == k) {
            continue;
          }
          double latency = r[i][k].latencySeconds() + r[k][j].latencySeconds();
          if (r[i][j] == null || latency < r[i][j].latencySeconds()) {
            r[i][j] = new WanRoute(latency, r[i][k].distanceKm() + r[k][j].distanceKm(),
                Math.min(r[i][k].bandwidthBytesPerSecond(), r[k][j].bandwidthBytesPerSecond()),
                r[i][k].hops() + r[k][j].hops());
          }
        }
      }
    }
    return r;
  }

  // ---- aggregates ----

  /** Peak dense FLOP/s of the whole fleet. */
  public double peakFlops(boolean fp8) {
    double sum = 0;
    for (BlockGroup g : groups) {
      sum += g.gpus() * g.gpu().peakFlops(fp8);
    }
    return sum;
  }

  public double itPowerMw() {
    return sites.stream().mapToDouble(Site::itPowerMw).sum();
  }
}
