package dev.superfactory.perf;

import dev.superfactory.fleet.BlockGroup;
import dev.superfactory.fleet.GpuModel;
import dev.superfactory.fleet.Site;
import dev.superfactory.fleet.WanLink;
import dev.superfactory.input.InputException;
import java.util.Objects;

/**
 * The hardware a training job runs on, as the performance model sees it: one GPU model, its
 * scale-up (NVLink) domain, scale-out bandwidth per GPU, and, across sites, one WAN.
 *
 * <p>The job's GPUs are split evenly over {@code sites} sites joined by a WAN of
 * {@code wanBandwidthBytesPerSecond} in each direction (the bottleneck for cross-site traffic: all of
 * a site's GPUs share it) and {@code wanLatencySeconds} one way.
 *
 * @param gpu the GPU model
 * @param domainGpus GPUs per scale-up domain (8 for an HGX server, 72 for an NVL72 rack)
 * @param scaleOutBytesPerSecond scale-out (backend network) bandwidth per GPU, each direction
 * @param sites sites the job spans (1 = no WAN)
 * @param wanBandwidthBytesPerSecond WAN capacity between sites, each direction (0 on one site)
 * @param wanLatencySeconds one-way WAN latency (0 on one site)
 */
public record Hardware(
    GpuModel gpu,
    int domainGpus,
    double scaleOutBytesPerSecond,
    int sites,
    double wanBandwidthBytesPerSecond,
    double wanLatencySeconds) {

  public Hardware {
    Objects.requireNonNull(gpu, "gpu");
    if (domainGpus < 1 || domainGpus > BlockGroup.MAX_DOMAIN_GPUS) {
      throw new InputException(String.format("scale-up domain must be 1..%d GPUs, got %d",
          BlockGroup.MAX_DOMAIN_GPUS, domainGpus));
    }
    if (!(scaleOutBytesPerSecond > 0) || Double.isInfinite(scaleOutBytesPerSecond)) {
      throw new InputException("scale-out bandwidth per GPU must be > 0, got " + scaleOutBytesPerSecond + " B/s");
    }
    if (sites < 1) {
      throw new InputException("sites must be >= 1, got " + sites);
    }
    if (sites > 1 && !(wanBandwidthBytesPerSecond > 0)) {
      throw new InputException(String.format("%d sites need a WAN bandwidth > 0, got %s B/s", sites,
          wanBandwidthBytesPerSecond));
    }
    if (wanBandwidthBytesPerSecond < 0 || !(wanLatencySeconds >= 0) || Double.isNaN(wanBandwidthBytesPerSecond)) {
      throw new InputException(String.format("WAN bandwidth and latency must be >= 0, got %s B/s and %s s",
          wanBandwidthBytesPerSecond, wanLatencySeconds));
    }
  }

  /** One site. */
  public static Hardware of(GpuModel gpu, int domainGpus, double scaleOutBytesPerSecond) {
    return new Hardware(gpu, domainGpus, scaleOutBytesPerSecond, 1, 0, 0);
  }

  /**
   * One site with the usual packaging of this GPU: NVL72 racks (72 GPUs) and 800 Gb/s per GPU for
   * GB200/GB300; 8-GPU HGX servers for the others, with 800 Gb/s for B200 and 400 Gb/s (ConnectX-7)
   * for A100, H100 and H200.
   */
  public static Hardware defaults(GpuModel gpu) {
    return of(gpu, defaultDomainGpus(gpu), defaultScaleOutBytesPerSecond(gpu));
  }

  /** 72 for GB200/GB300 (NVL72), 8 otherwise. */
  public static int defaultDomainGpus(GpuModel gpu) {
    return gpu.name().startsWith("gb") ? 72 : 8;
  }

  /** 800 Gb/s for b200/gb200/gb300, 400 Gb/s otherwise, in bytes/s. */
  public static double defaultScaleOutBytesPerSecond(GpuModel gpu) {
    String n = gpu.name();
    boolean blackwell = n.equals("b200") || n.startsWith("gb");
    return (blackwell ? 800e9 : 400e9) / 8;
  }

  /** The hardware of one block group of a fleet site. */
  public static Hardware of(Site site, BlockGroup group) {
    return of(group.gpu(), group.gpusPerDomain(), site.scaleOutBandwidthBytesPerSecond());
  }

  /** This hardware spread over {@code sites} sites joined by a WAN. */
  public Hardware withSites(int sites, double wanBandwidthBytesPerSecond, double wanLatencySeconds) {
    return new Hardware(gpu, domainGpus, scaleOutBytesPerSecond, sites, wanBandwidthBytesPerSecond,
        wanLatencySeconds);
  }

  /** This hardware over two sites joined by a fleet's WAN link. */
  public Hardware withWan(WanLink link) {
    return withSites(2, link.bandwidthBytesPerSecond(), link.latencySeconds());
  }

  /** The same GPUs in one site: the reference for cross-site slowdowns. */
  public Hardware singleSite() {
    return of(gpu, domainGpus, scaleOutBytesPerSecond);
  }

  /** NVLink bandwidth per GPU in each direction (datasheets quote both directions together). */
  public double scaleUpBytesPerSecondEachWay() {
    return gpu.scaleUpBandwidthBytesPerSecond() / 2;
  }
}
