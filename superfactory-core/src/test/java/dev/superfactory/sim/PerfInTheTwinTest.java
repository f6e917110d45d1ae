package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.input.YamlDocuments;
import dev.superfactory.perf.Hardware;
import dev.superfactory.perf.ModelCatalog;
import dev.superfactory.perf.PerfModel;
import dev.superfactory.perf.TrainingSetup;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import dev.superfactory.workload.Jobs;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** Jobs described by (model, tokens) get their run time from the performance model for their placement. */
class PerfInTheTwinTest {
  /** Two sites of 64 H100 each, 1,000 km and 400 Gb/s of WAN apart, no failures. */
  private static Scenario twoSites() {
    String site = "      scaleOutBandwidthPerGpu: 400Gbps\n      powerCapacityMw: 10\n"
        + "      blocks: [{gpu: h100, count: 1, domainsPerBlock: 8, gpusPerDomain: 8, domainPower: 10kW}]\n";
    String yaml = "name: perf\nhorizon: 60d\nfleet:\n  sites:\n    - name: a\n" + site + "    - name: b\n" + site
        + "  wan:\n    - {between: [a, b], distance: 1000km, bandwidth: 400Gbps}\ntenants:\n  - {name: t}\n";
    return ScenarioReader.read(YamlDocuments.parse(yaml, "perf.yaml"), "perf.yaml");
  }

  private static double tokensPerSecond(int gpus, Hardware hw) {
    var model = ModelCatalog.get("llama3-8b");
    TrainingSetup setup = TrainingSetup.defaults(model);
    int sequences = (int) Math.ceil(Math.max(setup.batchTokens(), 1024.0 * gpus) / setup.seqLength());
    return new PerfModel().search(model, setup.withGlobalBatch(sequences), hw, gpus, 1).get(0).tokensPerSecond();
  }

  @Test
  void aGangSpanningTwoSitesRunsAtThePredictedCrossSiteSpeed() {
    Scenario s = twoSites();
    PerfSpeeds speeds = new PerfSpeeds(s.fleet(), s.models());
    double tokens = 2e10;
    Jobs jobs = new Jobs();
    // 64 GPUs fit in one site; 128 must span both
    long single = Math.round(speeds.seconds("llama3-8b", tokens, 64));
    long spanning = Math.round(speeds.seconds("llama3-8b", tokens, 128));
    jobs.add(0, 0, 64, 8, false, single, single);
    jobs.setModel(0, "llama3-8b", tokens);
    jobs.add(0, 0, 128, 8, true, spanning, spanning);
    jobs.setModel(1, "llama3-8b", tokens);
    SimulationResult r = new Simulation(s).checkInvariants(true).run(jobs, new ArrayList<>(s.tenants()));
    var h100 = GpuCatalog.builtIn().get("h100");
    Hardware one = Hardware.of(h100, 8, 50e9);
    Hardware two = one.withSites(2, 50e9, 1000 * 5e-6);
    // the one-site job runs its reference time; the spanning one at the model's cross-site throughput
    assertThat(r.jobs().end(0) - r.jobs().start(0)).isEqualTo(Math.round(tokens / tokensPerSecond(64, one)));
    assertThat(r.jobs().siteCount(1)).isEqualTo(2);
    double expected = tokens / tokensPerSecond(128, two);
    assertThat((double) (r.jobs().end(1) - r.jobs().start(1))).isBetween(expected - 1, expected + 1);
    assertThat(tokensPerSecond(128, two)).isLessThan(tokensPerSecond(128, one));
  }
}
