package dev.superfactory.sim;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.BlockGroup;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.GpuModel;
import dev.superfactory.fleet.Site;
import dev.superfactory.input.InputException;
import dev.superfactory.perf.Estimate;
import dev.superfactory.perf.Hardware;
import dev.superfactory.perf.ModelCatalog;
import dev.superfactory.perf.ModelSpec;
import dev.superfactory.perf.PerfModel;
import dev.superfactory.perf.TrainingSetup;
import dev.superfactory.workload.DurationOracle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Training speeds from the performance model for jobs described as (model, tokens).
 *
 * <p>A job's {@code duration} is its run time on the reference hardware (the fleet's first block
 * group, one site). When it starts, its speed is the model's throughput on the hardware it got
 * (the slowest GPU model and smallest scale-up domain among its domains, the least scale-out
 * bandwidth among its sites, and, across sites, the narrowest and slowest WAN route between them)
 * divided by the reference throughput: a gang spanning two sites runs at the predicted cross-site
 * speed. Global batch: 4M tokens or 1,024 tokens per GPU, whichever is larger (Llama 3 405B used
 * 16M tokens on 16,384 GPUs).
 *
 * <p>Cost: one {@link PerfModel#search} per distinct (model, GPUs, hardware), then a map lookup;
 * {@link #speed} finds a job's hardware in O(block groups + sites) from its allocation's group mask.
 */
final class PerfSpeeds implements DurationOracle {
  private final Fleet fleet;
  private final ModelCatalog models;
  private final PerfModel perf = new PerfModel();
  private final Hardware reference;
  private final Map<Key, Double> cache = new HashMap<>();
  private final Map<String, Double> checkpointBytes = new HashMap<>();

  /** What a throughput depends on. */
  private record Key(String model, int gpus, String gpu, int domainGpus, double scaleOut, int sites, double wan,
      double latency) {}

  PerfSpeeds(Fleet fleet, ModelCatalog models) {
    this.fleet = fleet;
    this.models = models;
    Site site = fleet.site(0);
    this.reference = Hardware.of(site, site.groups().get(0));
  }

  @Override
  public boolean knows(String model) {
    return models.find(model) != null;
  }

  @Override
  public double seconds(String model, double tokens, int gpus) {
    double tps = tokensPerSecond(model, gpus, reference);
    if (!(tps > 0)) {
      throw new InputException("model " + model + " does not fit on " + gpus + " GPUs of "
          + reference.gpu().name() + " (no parallel layout fits in memory); give its classes more GPUs");
    }
    return tokens / tps;
  }

  /** Speed of a job on {@code a} relative to the reference hardware (1 = as fast). */
  double speed(String model, int gpus, Allocation a) {
    double ref = tokensPerSecond(model, gpus, reference);
    double here = tokensPerSecond(model, gpus, hardwareFor(a));
    return ref > 0 && here > 0 ? here / ref : 1.0;
  }

  /** Checkpoint size of a model: bf16 weights (2 B), fp32 master weights (4 B) and Adam moments (8 B) per parameter. */
  double checkpointBytes(String model) {
    return checkpointBytes.computeIfAbsent(model, m -> models.find(m).parameters() * 14.0);
  }

  Hardware hardwareFor(Allocation a) {
    GpuModel slowest = null;
    int domain = Integer.MAX_VALUE;
    double scaleOut = Double.MAX_VALUE;
    boolean[] sites = new boolean[fleet.siteCount()];
    long groups = a.groupMask();
    if (groups == -1) { // more than 64 block groups: walk the domains, O(domains)
      for (int i = 0; i < a.domainCount(); i++) {
        BlockGroup g = fleet.group(fleet.domainGroup(a.domain(i)));
        if (slowest == null || g.gpu().bf16Tflops() < slowest.bf16Tflops()) {
          slowest = g.gpu();
        }
        domain = Math.min(domain, g.gpusPerDomain());
      }
    }
    for (long bits = groups == -1 ? 0 : groups; bits != 0; bits &= bits - 1) {
      BlockGroup g = fleet.group(Long.numberOfTrailingZeros(bits));
      if (slowest == null || g.gpu().bf16Tflops() < slowest.bf16Tflops()) {
        slowest = g.gpu();
      }
      domain = Math.min(domain, g.gpusPerDomain());
    }
    for (int s = 0; s < sites.length; s++) {
      if (a.gpusOnSite(s) > 0) {
        sites[s] = true;
        scaleOut = Math.min(scaleOut, fleet.site(s).scaleOutBandwidthBytesPerSecond());
      }
    }
    Hardware hw = Hardware.of(slowest, domain, scaleOut);
    int count = 0;
    double bandwidth = Double.MAX_VALUE;
    double latency = 0;
    for (int x = 0; x < sites.length; x++) {
      if (!sites[x]) {
        continue;
      }
      count++;
      for (int y = x + 1; y < sites.length; y++) {
        Fleet.WanRoute route = sites[y] ? fleet.wanRoute(x, y) : null;
        if (route != null) {
          bandwidth = Math.min(bandwidth, route.bandwidthBytesPerSecond());
          latency = Math.max(latency, route.latencySeconds());
        }
      }
    }
    return count > 1 && bandwidth < Double.MAX_VALUE ? hw.withSites(count, bandwidth, latency) : hw;
  }

  /**
   * The hardware of a gang spread over every site of the fleet: the slowest GPU model and smallest
   * scale-up domain of all block groups, the least scale-out bandwidth of all sites and, with more than
   * one site, the narrowest and slowest WAN route between them (as {@link #hardwareFor} sees a gang that
   * got all of them). O(block groups + sites²).
   */
  Hardware wholeFleet() {
    GpuModel slowest = null;
    int domain = Integer.MAX_VALUE;
    for (BlockGroup g : fleet.groups()) {
      if (slowest == null || g.gpu().bf16Tflops() < slowest.bf16Tflops()) {
        slowest = g.gpu();
      }
      domain = Math.min(domain, g.gpusPerDomain());
    }
    double scaleOut = Double.MAX_VALUE;
    for (Site s : fleet.sites()) {
      scaleOut = Math.min(scaleOut, s.scaleOutBandwidthBytesPerSecond());
    }
    Hardware hw = Hardware.of(slowest, domain, scaleOut);
    double bandwidth = Double.MAX_VALUE;
    double latency = 0;
    for (int x = 0; x < fleet.siteCount(); x++) {
      for (int y = x + 1; y < fleet.siteCount(); y++) {
        Fleet.WanRoute route = fleet.wanRoute(x, y);
        if (route != null) {
          bandwidth = Math.min(bandwidth, route.bandwidthBytesPerSecond());
          latency = Math.max(latency, route.latencySeconds());
        }
      }
    }
    return fleet.siteCount() > 1 && bandwidth < Double.MAX_VALUE
        ? hw.withSites(fleet.siteCount(), bandwidth, latency) : hw;
  }

  /** Tokens per second of the fastest layout that fits, or NaN if none does. */
  double tokensPerSecond(String modelName, int gpus, Hardware hw) {
    Key key = new Key(modelName, gpus, hw.gpu().name(), hw.domainGpus(), hw.scaleOutBytesPerSecond(), hw.sites(),
        hw.wanBandwidthBytesPerSecond(), hw.wanLatencySeconds());
    Double cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    ModelSpec model = models.find(modelName);
    TrainingSetup setup = TrainingSetup.defaults(model);
    int sequences = (int) Math.ceil(Math.max(setup.batchTokens(), 1024.0 * gpus) / setup.seqLength());
    setup = setup.withGlobalBatch(sequences);
    List<Estimate> best = perf.search(model, setup, hw, gpus, 1);
    double tps = best.isEmpty() ? Double.NaN : best.get(0).tokensPerSecond();
    cache.put(key, tps);
    return tps;
  }
}
