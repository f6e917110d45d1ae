package dev.superfactory.fleet;

import java.util.Objects;

/**
 * A run of identical blocks within one site: same GPU model, same scale-up domain size, same number
 * of domains per block (a data hall of GB200 NVL72 racks, say). The fleet stores topology per group
 * so that no per-GPU or per-domain object is needed: a domain's block, site and first GPU follow
 * from arithmetic on the group's offsets.
 *
 * @param name unique in the fleet, e.g. {@code atlanta-gb300}
 * @param gpu the GPU model of every GPU in the group
 * @param blocks number of blocks (scale-out network units)
 * @param domainsPerBlock scale-up domains per block (NVL72 racks, HGX servers)
 * @param gpusPerDomain GPUs per scale-up domain: 72 for an NVL72 rack, 8 for an HGX server
 * @param domainPowerKw IT power of one domain at full load, including its share of networking
 */
public record BlockGroup(
    String name, GpuModel gpu, int blocks, int domainsPerBlock, int gpusPerDomain, double domainPowerKw) {

  /** Largest supported scale-up domain: a Rubin Ultra NVL576-class rack. */
  public static final int MAX_DOMAIN_GPUS = 1024;

  public BlockGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(gpu, "gpu");
    if (blocks <= 0 || domainsPerBlock <= 0 || gpusPerDomain <= 0) {
      throw new IllegalArgumentException(String.format(
          "block group %s: blocks=%d, domainsPerBlock=%d, gpusPerDomain=%d must all be > 0",
          name, blocks, domainsPerBlock, gpusPerDomain));
    }
    if (gpusPerDomain > MAX_DOMAIN_GPUS) {
      throw new IllegalArgumentException(String.format(
          "block group %s: gpusPerDomain=%d exceeds the supported maximum %d", name, gpusPerDomain, MAX_DOMAIN_GPUS));
    }
    if (!(domainPowerKw > 0)) {
      throw new IllegalArgumentException("block group " + name + ": domainPowerKw must be > 0, got " + domainPowerKw);
    }
  }

  public long domains() {
    return (long) blocks * domainsPerBlock;
  }

  public long gpus() {
    return domains() * gpusPerDomain;
  }

  public double itPowerMw() {
    return domains() * domainPowerKw / 1000.0;
  }
}
