package dev.superfactory.report.result;

import dev.superfactory.input.YamlDocuments;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import dev.superfactory.scenario.TraceScenarios;
import dev.superfactory.workload.TraceSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The scenarios whose {@code result.json} is pinned under {@code src/test/resources/.../golden}: small
 * enough to run in a test, together they write every part of the result (a warm-up, two sites and
 * cross-site jobs, contracts with reservations and prices, failures on and off, a replayed trace).
 */
public final class GoldenScenarios {
  /** A pinned scenario: its golden file's name and how to build it. */
  public record Golden(String name, Supplier<Scenario> scenario) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The openb trace is named by a path relative to the module, as Maven runs tests from there. */
  public static final String OPENB_TRACE = "src/test/resources/dev/superfactory/report/result/openb/openb_pod_list_tiny.csv";

  public static final List<Golden> ALL = List.of(
      new Golden("single-site-3d-seed7", GoldenScenarios::singleSite),
      new Golden("single-site-contracts-failures", GoldenScenarios::singleSiteContracts),
      new Golden("two-sites-failures", () -> twoSites(true)),
      new Golden("two-sites-no-failures", () -> twoSites(false)),
      new Golden("openb-tiny", GoldenScenarios::openb));

  private GoldenScenarios() {}

  /** The pinned result.json of the named golden scenario, as text. */
  public static String json(String name) {
    String resource = "golden/" + name + ".json";
    try (InputStream in = GoldenScenarios.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pinned result of the named golden scenario, read as a record. */
  public static RunResult result(String name) {
    return ResultJson.parse(json(name), RunResult.class);
  }

  /** The single-site preset for three days after its 7-day warm-up, seed 7. */
  public static Scenario singleSite() {
    return Presets.load("single-site").withHorizonSeconds(3 * 86400L).withSeed(7);
  }

  /**
   * Two sites of 32 H100s each, tenants with reservations, prices, priorities and a preemptible
   * one, a class of jobs that may span both sites, and failures at rates high enough to interrupt
   * jobs within four days; with {@code failures} false, {@code --no-failures}.
   */
  public static Scenario twoSites(boolean failures) {
    Scenario s = ScenarioReader.read(YamlDocuments.parse(TWO_SITES, "two-sites.yaml"), "two-sites.yaml");
    return failures ? s : s.withReliability(s.reliability().withEnabled(false));
  }

  /**
   * One site of 64 HGX servers (512 GPUs) for 7 days after a day of warm-up, seed 5: three
   * tenants with contracts (a lab whose idle reservation others borrow and it reclaims, a
   * preemptible borrower with a reservation of its own, an on-demand tenant of low priority), failures of hosts, GPUs, racks and software at rates that interrupt
   * jobs every few hours, a rolling maintenance, reclaims that preempt. The kernel's golden run.
   */
  public static Scenario singleSiteContracts() {
    return ScenarioReader.read(YamlDocuments.parse(SINGLE_SITE_CONTRACTS, "single-site-contracts.yaml"),
        "single-site-contracts.yaml");
  }

  private static final String SINGLE_SITE_CONTRACTS = """
      name: single-site-contracts
      seed: 5
      horizon: 7d
      warmup: 1d
      metrics: {sampleInterval: 4h}
      fleet:
        sites:
          - name: dc1
            scaleOutBandwidthPerGpu: 400Gbps
            powerCapacityMw: 2
            blocks:
              - {gpu: h100, count: 4, domainsPerBlock: 16, gpusPerDomain: 8, domainPower: 10.2kW}
      tenants:
        - name: lab
          reservedGpus: 256
          borrowLimit: 128
          lends: true
          priority: high
          reclaimWithin: 30m
          prices: {reservedUsdPerGpuHour: 2.2, onDemandUsdPerGpuHour: 3.5}
        - name: startup
          reservedGpus: 96
          borrowLimit: 256
          preemptible: true
          weight: 2
        - name: students
          priority: low
          preemptible: true
          borrowLimit: 160
      scheduler: {policy: fifo-backfill}
      workload:
        offeredLoad: 0.95
        classes:
          - name: small
            weight: 0.85
            gpus: {values: [1, 2, 4, 8], weights: [0.4, 0.2, 0.2, 0.2]}
            duration: {median: 30m, p90: 4h, min: 1m, max: 1d}
            scaleUpGroup: 8
          - name: large
            weight: 0.15
            gpus: {powersOfTwo: [16, 128]}
            duration: {median: 5h, p90: 1d, min: 30m, max: 3d}
            scaleUpGroup: 8
        tenants:
          - {tenant: lab, loadShare: 0.5}
          - {tenant: startup, loadShare: 0.3}
          - {tenant: students, loadShare: 0.2}
      reliability:
        gpusPerHost: 8
        causes:
          - {name: gpu, scope: gpu, perGpuDay: 0.004, repair: {median: 3h, p90: 12h}}
          - {name: host, scope: host, perGpuDay: 0.004, repair: {median: 2h, p90: 8h}}
          - {name: rack, scope: domain, mtbf: 60d, repair: {median: 4h, p90: 1d}}
          - {name: software, scope: job, perGpuDay: 0.005}
        planned:
          - {name: firmware, scope: domain, start: 2d, every: 2h, duration: 1h, repeat: 30d}
        restart: {detection: 5m, init: 3m, minLoad: 30s}
        checkpoint: {policy: young-daly, bytesPerGpu: 400MB, writeBandwidthPerGpu: 1GB/s}
        spares: {perDomain: 0}
      """;

  public static Scenario openb() {
    return TraceScenarios.onItsOwnCluster(TraceSource.parse("openb:" + OPENB_TRACE), 1.0).orElseThrow();
  }

  private static final String TWO_SITES = """
      name: two-sites
      seed: 11
      horizon: 4d
      warmup: 1d
      metrics: {sampleInterval: 2h}
      fleet:
        sites:
          - name: east
            scaleOutBandwidthPerGpu: 400Gbps
            powerCapacityMw: 1
            blocks:
              - {gpu: h100, count: 1, domainsPerBlock: 4, gpusPerDomain: 8, domainPower: 10kW}
          - name: west
            scaleOutBandwidthPerGpu: 400Gbps
            powerCapacityMw: 1
            blocks:
              - {gpu: h100, count: 1, domainsPerBlock: 4, gpusPerDomain: 8, domainPower: 10kW}
        wan:
          - {between: [east, west], distance: 1000km, bandwidth: 10Tbps}
      tenants:
        - name: lab
          displayName: The Lab
          reservedGpus: 24
          borrowLimit: 24
          lends: true
          priority: high
          weight: 3
          prices: {reservedUsdPerGpuHour: 2.5, onDemandUsdPerGpuHour: 4}
        - name: startup
          priority: normal
          preemptible: true
          weight: 1
          prices: {onDemandUsdPerGpuHour: 3}
      scheduler: {policy: fifo-backfill}
      workload:
        offeredLoad: 0.9
        classes:
          - name: small
            weight: 0.9
            gpus: {values: [1, 2, 4, 8], weights: [0.4, 0.2, 0.2, 0.2]}
            duration: {median: 30m, p90: 4h, min: 1m, max: 1d}
            scaleUpGroup: 8
          - name: wide
            weight: 0.1
            gpus: {values: [16, 48]}
            duration: {median: 6h, p90: 1d, min: 1h, max: 3d}
            scaleUpGroup: 8
            spanSites: true
        tenants:
          - {tenant: lab, loadShare: 0.6}
          - {tenant: startup, loadShare: 0.4}
      reliability:
        gpusPerHost: 8
        causes:
          - {name: gpu, scope: host, perGpuDay: 0.02, repair: {median: 2h, p90: 8h}}
          - {name: software, scope: job, perGpuDay: 0.02}
        planned:
          - {name: firmware, scope: block, start: 2d, every: 6h, duration: 2h, repeat: 30d}
        restart: {detection: 5m, init: 3m, minLoad: 30s}
        checkpoint: {policy: fixed, interval: 1h, bytesPerGpu: 400MB, writeBandwidthPerGpu: 1GB/s}
      """;
}
