package dev.superfactory.cli;

import dev.superfactory.input.YamlDocuments;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;

/**
 * The CLI tests' small fleet: sites east and west, each one block of 4 scale-up domains of 8 H100s
 * (32 GPUs a site), 1,000 km apart, scheduled fifo-backfill, with the tenants given.
 */
final class TwoSmallSites {
  private TwoSmallSites() {
  }

  /** @param tenants YAML flow mappings, one per tenant, e.g. {@code {name: alpha, gpuLimit: 64}} */
  static Scenario scenario(String name, String... tenants) {
    StringBuilder yaml = new StringBuilder("name: " + name + "\nfleet:\n  sites:\n");
    for (String site : new String[] {"east", "west"}) {
      yaml.append("    - name: ").append(site).append("\n").append("""
                    scaleOutBandwidthPerGpu: 400Gbps
                    powerCapacityMw: 1
                    pue: 1.2
                    electricityUsdPerMwh: 80
                    blocks:
              """).append("        - {name: ").append(site)
          .append("-b, gpu: h100, count: 1, domainsPerBlock: 4, gpusPerDomain: 8, domainPower: 10kW}\n");
    }
    yaml.append("  wan:\n    - {between: [east, west], distance: 1000km, bandwidth: 10Tbps}\ntenants:\n");
    for (String tenant : tenants) {
      yaml.append("  - ").append(tenant).append('\n');
    }
    yaml.append("scheduler:\n  policy: fifo-backfill\n");
    return ScenarioReader.read(YamlDocuments.parse(yaml.toString(), name + ".yaml"), name + ".yaml");
  }
}
