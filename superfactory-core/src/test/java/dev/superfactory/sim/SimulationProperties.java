package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.input.YamlDocuments;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.scenario.ScenarioReader;
import dev.superfactory.sched.QueuePolicies;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random small workloads on small fleets under every registered policy, with every invariant of
 * the fleet state and the kernel checked after every event and every scheduling pass (no GPU in
 * two jobs, aggregates exact, gangs whole, scale-up groups inside one domain, tenant limits,
 * sites only when allowed, nothing computing across a cut WAN link), then the outcome checked.
 * The stormy scenario adds contracts (reservations, priorities, a non-preemptible tenant) and
 * failures of every scope at high rates, hot spares, maintenance and WAN cuts, stalling or
 * shrinking.
 */
class SimulationProperties {
  record JobSpec(int submit, int tenant, int groups, int group, boolean span, int duration, int expected) {}

  @Provide
  Arbitrary<List<JobSpec>> workloads() {
    Arbitrary<JobSpec> job = Combinators.combine(
            Arbitraries.integers().between(0, 2000),
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(1, 6),
            Arbitraries.of(1, 2, 4, 8),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(1, 900),
            Arbitraries.integers().between(1, 900))
        .as(JobSpec::new);
    return job.list().ofMinSize(1).ofMaxSize(60);
  }

  @Provide
  Arbitrary<String> policies() {
    return Arbitraries.of(QueuePolicies.names());
  }

  /**
   * Two sites of 2 blocks × 2 domains × 10 GPUs (room for a group of 8 beside two hot spares);
   * tenants with contracts; failures of every scope every few minutes.
   */
  static Scenario stormy(String policy, boolean shrink, int spares, long horizonSeconds) {
    String site = "      scaleOutBandwidthPerGpu: 400Gbps\n      powerCapacityMw: 1000\n      blocks:\n"
        + "        - {gpu: h100, count: 2, domainsPerBlock: 2, gpusPerDomain: 10, domainPower: 10kW}\n";
    String yaml = "name: stormy\nhorizon: " + horizonSeconds + "s\n"
        + "scheduler: {policy: " + policy + "}\n"
        + "fleet:\n  sites:\n    - name: s0\n" + site + "    - name: s1\n" + site
        + "  wan:\n    - {between: [s0, s1], distance: 1000km, bandwidth: 10Tbps}\n"
        + "tenants:\n"
        + "  - {name: a, reservedGpus: 16, borrowLimit: 16, priority: high}\n"
        + "  - {name: b, priority: low}\n"
        + "  - {name: c, reservedGpus: 8, borrowLimit: 8, preemptible: false, lends: false}\n"
        + "reliability:\n"
        + "  causes:\n"
        + "    - {name: gpu, scope: gpu, perGpuDay: 2, repair: {median: 5m, p90: 20m}}\n"
        + "    - {name: host, scope: host, perGpuDay: 1, repair: {median: 10m, p90: 30m}}\n"
        + "    - {name: rack, scope: domain, mtbf: 2h, repair: {median: 10m, p90: 30m}}\n"
        + "    - {name: block, scope: block, mtbf: 1h, repair: {median: 3m, p90: 6m}}\n"
        + "    - {name: wan, scope: wan, mtbf: 30m, repair: {median: 5m, p90: 15m}}\n"
        + "    - {name: software, scope: job, perGpuDay: 1}\n"
        + "  planned:\n    - {name: fw, scope: domain, start: 10m, every: 5m, duration: 3m, repeat: 1h}\n"
        + "  restart: {detection: 30s, init: 60s, minLoad: 10s}\n"
        + (spares > 0 ? "  spares: {perDomain: " + spares + "}\n" : "")
        + "  wanCut: " + (shrink ? "shrink" : "stall") + "\n";
    return ScenarioReader.read(YamlDocuments.parse(yaml, "stormy.yaml"), "stormy.yaml");
  }

  private static Jobs jobs(List<JobSpec> specs) {
    return jobs(specs, 2);
  }

  /** The specs as a job table, in submit order, tenants taken modulo {@code tenants}. */
  private static Jobs jobs(List<JobSpec> specs, int tenants) {
    List<JobSpec> sorted = new ArrayList<>(specs);
    sorted.sort((x, y) -> Integer.compare(x.submit(), y.submit()));
    Jobs jobs = new Jobs();
    for (JobSpec j : sorted) {
      jobs.add(j.submit(), j.tenant() % tenants, j.groups() * j.group(), j.group(), j.span(), j.duration(),
          j.expected());
    }
    return jobs;
  }

  @Property(tries = 200)
  void everyJobIsAccountedForAndNoInvariantBreaks(
      @ForAll("workloads") List<JobSpec> specs, @ForAll("policies") String policy) {
    Scenario s = TinyScenarios.twoSites(2, 2, 8, policy, 3000);
    Jobs jobs = jobs(specs);
    List<Tenant> tenants = new ArrayList<>(s.tenants());
    SimulationResult r = new Simulation(s).checkInvariants(true).run(jobs, tenants);
    long completed = 0;
    long running = 0;
    long pending = 0;
    long rejected = 0;
    for (int j = 0; j < jobs.size(); j++) {
      if (jobs.end(j) >= 0) {
        completed++;
        // without failures a job runs exactly its duration, unless preempted (then it runs again)
        if (r.outcomes().interruptions(j) == 0) {
          assertThat(jobs.end(j) - jobs.start(j)).isEqualTo(jobs.durationSeconds(j));
        } else {
          assertThat(jobs.end(j) - jobs.start(j)).isGreaterThan(jobs.durationSeconds(j));
        }
      } else if (jobs.start(j) >= 0) {
        running++;
      } else if (jobs.rejected(j)) {
        rejected++;
      } else {
        pending++;
      }
      if (jobs.start(j) >= 0) {
        assertThat(jobs.start(j)).isGreaterThanOrEqualTo(jobs.submit(j));
        int onSites = jobs.gpusOnSite(j, 0) + jobs.gpusOnSite(j, 1);
        assertThat(onSites).isEqualTo(jobs.gpus(j));
        if (!jobs.spanSites(j)) {
          assertThat(jobs.siteCount(j)).isEqualTo(1);
        }
      }
    }
    assertThat(completed + running + pending + rejected).isEqualTo(jobs.size());
    assertThat(r.metrics().completedJobs()).isEqualTo(completed);
    // a preempted job has started and is pending again: the split moves, the sum does not
    assertThat(r.runningAtEnd() + r.pendingAtEnd()).isEqualTo((int) (running + pending));
    assertThat(r.pendingAtEnd()).isGreaterThanOrEqualTo((int) pending);
    if (r.preemptions() == 0) {
      assertThat(r.runningAtEnd()).isEqualTo((int) running);
    }
    double capacity = (double) s.fleet().totalGpus() * s.horizonSeconds();
    assertThat((double) r.metrics().allocatedGpuSeconds()).isLessThanOrEqualTo(capacity);
  }

  @Property(tries = 60)
  void gpuSecondsEqualTheSumOfJobRunTimesWithinTheHorizon(
      @ForAll("workloads") List<JobSpec> specs, @ForAll("policies") String policy) {
    Scenario s = TinyScenarios.twoSites(2, 2, 8, policy, 3000);
    Jobs jobs = jobs(specs);
    SimulationResult r = new Simulation(s).run(jobs, new ArrayList<>(s.tenants()));
    long fromStartToEnd = 0;
    double held = 0;
    for (int j = 0; j < jobs.size(); j++) {
      if (jobs.start(j) >= 0) {
        long end = jobs.end(j) >= 0 ? jobs.end(j) : s.horizonSeconds();
        fromStartToEnd += (long) jobs.gpus(j) * (end - jobs.start(j));
        held += jobs.gpus(j) * r.outcomes().allocatedSeconds(j);
      }
    }
    // the metrics' integral equals the jobs' own ledgers; and start-to-end when nothing was preempted
    assertThat((double) r.metrics().allocatedGpuSeconds()).isEqualTo(held);
    if (r.preemptions() == 0) {
      assertThat(r.metrics().allocatedGpuSeconds()).isEqualTo(fromStartToEnd);
    }
  }

  /**
   * Every policy under failures, maintenance, WAN cuts, hot spares and contracts: invariants hold
   * after every event, every job is accounted for exactly once, and GPU-seconds stay within
   * capacity.
   */
  @Property(tries = 150)
  void underFailuresAndContractsEveryInvariantHolds(@ForAll("workloads") List<JobSpec> specs,
      @ForAll("policies") String policy, @ForAll boolean shrink, @ForAll @IntRange(max = 2) int spares,
      @ForAll @IntRange(min = 1, max = 1000) int seed) {
    Scenario s = stormy(policy, shrink, spares, 3000).withSeed(seed);
    Jobs jobs = jobs(specs, 3);
    SimulationResult r = new Simulation(s).checkInvariants(true).run(jobs, new ArrayList<>(s.tenants()));
    long completed = 0;
    long started = 0;
    for (int j = 0; j < jobs.size(); j++) {
      completed += jobs.end(j) >= 0 ? 1 : 0;
      started += jobs.start(j) >= 0 ? 1 : 0;
      if (jobs.end(j) >= 0) {
        assertThat(jobs.end(j) - jobs.start(j)).isGreaterThanOrEqualTo(jobs.durationSeconds(j));
      }
    }
    assertThat(r.metrics().completedJobs()).isEqualTo(completed);
    assertThat(completed + r.runningAtEnd() + r.pendingAtEnd() + r.metrics().rejectedJobs()).isEqualTo(jobs.size());
    assertThat(started).isGreaterThanOrEqualTo(completed + r.runningAtEnd());
    double capacity = (double) s.fleet().totalGpus() * s.horizonSeconds();
    assertThat((double) r.metrics().allocatedGpuSeconds()).isLessThanOrEqualTo(capacity);
  }

  /** The stormy scenario really storms: every cause fires and interrupts jobs, so the property above tests something. */
  @Example
  void theStormyScenarioInterruptsJobsThroughEveryCause() {
    Jobs jobs = new Jobs();
    for (int i = 0; i < 100; i++) {
      jobs.add(i * 30L, i % 3, 8, 4, i % 2 == 0, 300, 300);
    }
    Scenario s = stormy("fifo-backfill", false, 1, 3000).withSeed(3);
    SimulationResult r = new Simulation(s).checkInvariants(true).run(jobs, new ArrayList<>(s.tenants()));
    for (int c = 0; c < s.reliability().causes().size(); c++) {
      assertThat(r.reliability().events(c)).as(s.reliability().causes().get(c).name()).isPositive();
    }
    assertThat(r.reliability().totalInterruptions()).isGreaterThan(10);
    assertThat(r.metrics().completedJobs()).isGreaterThan(20);
  }

  @Property(tries = 30)
  void sameSeedGivesIdenticalResultsOutsideTheRunSection(@ForAll("policies") String policy) {
    Scenario s = TinyScenarios.twoSites(2, 2, 8, policy, 5 * 86400);
    String a = ResultJson.pretty(RunResults.from(new Simulation(s).run()));
    String b = ResultJson.pretty(RunResults.from(new Simulation(s).run()));
    assertThat(a).isEqualTo(b);
  }
}
