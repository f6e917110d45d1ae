package dev.superfactory.sched;

import dev.superfactory.input.YamlDocuments;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import dev.superfactory.sim.Simulation;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import java.util.ArrayList;

/** One site of {@code servers} 8-GPU servers, tenants as given in YAML, no failures. */
final class TenancyScenarios {
  private TenancyScenarios() {}

  static Scenario scenario(int servers, String policy, String tenantsYaml, long horizonSeconds) {
    String yaml = "name: tenancy\nhorizon: " + horizonSeconds + "s\nscheduler: {policy: " + policy + "}\n"
        + "fleet:\n  sites:\n    - name: s0\n      scaleOutBandwidthPerGpu: 400Gbps\n      powerCapacityMw: 10\n"
        + "      blocks:\n        - {gpu: h100, count: 1, domainsPerBlock: " + servers
        + ", gpusPerDomain: 8, domainPower: 10kW}\n"
        + "tenants:\n" + tenantsYaml;
    return ScenarioReader.read(YamlDocuments.parse(yaml, "tenancy.yaml"), "tenancy.yaml");
  }

  static SimulationResult run(Scenario s, Jobs jobs) {
    return new Simulation(s).checkInvariants(true).run(jobs, new ArrayList<>(s.tenants()));
  }
}
