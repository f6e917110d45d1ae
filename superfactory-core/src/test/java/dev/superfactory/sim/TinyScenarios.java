package dev.superfactory.sim;

import dev.superfactory.input.YamlDocuments;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;

/** Small scenarios written as YAML, as a user would. */
public final class TinyScenarios {
  private TinyScenarios() {}

  /**
   * One site, {@code blocks} blocks of {@code domains} domains of {@code gpusPerDomain} H100s; tenants
   * {@code a} and {@code b} with the given limits; no warm-up.
   */
  public static Scenario oneSite(int blocks, int domains, int gpusPerDomain, String policy, int limitA, int limitB,
      long horizonSeconds) {
    String yaml = "name: tiny\nhorizon: " + horizonSeconds + "s\n"
        + "scheduler: {policy: " + policy + "}\n"
        + "fleet:\n  sites:\n"
        + site("s0", blocks, domains, gpusPerDomain)
        + "tenants:\n  - {name: a, gpuLimit: " + limitA + "}\n  - {name: b, gpuLimit: " + limitB + "}\n";
    return ScenarioReader.read(YamlDocuments.parse(yaml, "tiny.yaml"), "tiny.yaml");
  }

  /** Two sites joined by a WAN link, each like {@link #oneSite}. */
  public static Scenario twoSites(int blocks, int domains, int gpusPerDomain, String policy, long horizonSeconds) {
    String yaml = "name: tiny2\nhorizon: " + horizonSeconds + "s\n"
        + "scheduler: {policy: " + policy + "}\n"
        + "fleet:\n  sites:\n"
        + site("s0", blocks, domains, gpusPerDomain)
        + site("s1", blocks, domains, gpusPerDomain)
        + "  wan:\n    - {between: [s0, s1], distance: 1000km, bandwidth: 10Tbps}\n"
        + "tenants:\n  - {name: a}\n  - {name: b}\n";
    return ScenarioReader.read(YamlDocuments.parse(yaml, "tiny2.yaml"), "tiny2.yaml");
  }

  private static String site(String name, int blocks, int domains, int gpusPerDomain) {
    return "    - name: " + name + "\n"
        + "      scaleOutBandwidthPerGpu: 400Gbps\n"
        + "      powerCapacityMw: 1000\n"
        + "      blocks:\n"
        + "        - {gpu: " + (gpusPerDomain >= 72 ? "gb200" : "h100") + ", count: " + blocks
        + ", domainsPerBlock: " + domains + ", gpusPerDomain: " + gpusPerDomain + ", domainPower: 10kW}\n";
  }
}
