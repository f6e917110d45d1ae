package dev.superfactory.bench;

/** Scenario texts for a fleet of about 1,000,000 GPUs, as a user would write them. */
final class MillionGpuScenarios {
  private MillionGpuScenarios() {}

  /**
   * {@code nvl72}: 435 blocks × 32 GB200 NVL72 racks = 1,002,240 GPUs on two sites;
   * {@code hgx}: 3,907 blocks × 32 H100 servers × 8 = 1,000,192 GPUs on two sites.
   */
  static String yaml(String shape) {
    boolean nvl = shape.equals("nvl72");
    String gpu = nvl ? "gb200" : "h100";
    int perDomain = nvl ? 72 : 8;
    int[] blocks = nvl ? new int[] {218, 217} : new int[] {1954, 1953};
    String power = nvl ? "140kW" : "10.2kW";
    StringBuilder sb = new StringBuilder("name: million-" + shape + "\nfleet:\n  sites:\n");
    for (int s = 0; s < 2; s++) {
      sb.append("    - name: site").append(s).append('\n')
          .append("      scaleOutBandwidthPerGpu: 800Gbps\n")
          .append("      powerCapacityMw: 5000\n")
          .append("      blocks:\n")
          .append("        - gpu: ").append(gpu).append('\n')
          .append("          count: ").append(blocks[s]).append('\n')
          .append("          domainsPerBlock: 32\n")
          .append("          gpusPerDomain: ").append(perDomain).append('\n')
          .append("          domainPower: ").append(power).append('\n');
    }
    sb.append("  wan:\n    - between: [site0, site1]\n      distance: 1130km\n      bandwidth: 100Tbps\n");
    return sb.toString();
  }
}
