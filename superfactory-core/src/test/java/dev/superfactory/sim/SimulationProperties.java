package dev.superfactory.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random small workloads on small fleets under every policy, with every invariant checked after
 * every scheduling pass (no GPU in two jobs, aggregates exact, gangs whole, scale-up groups
 * inside one domain, tenant limits, sites only when allowed), then the outcome checked.
 */
class SimulationProperties {
  record JobSpec(int submit, int tenant, int groups, int group, boolean span, int duration, int expected) {}

  @Provide
  Arbitrary<List<JobSpec>> workloads() {
    Arbitrary<JobSpec> job = Combinators.combine(
            Arbitraries.integers().between(0, 2000),
            Arbitraries.integers().between(0, 1),
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
    return Arbitraries.of("fifo", "fifo-backfill");
  }

  private static Jobs jobs(List<JobSpec> specs) {
    List<JobSpec> sorted = new ArrayList<>(specs);
    sorted.sort((x, y) -> Integer.compare(x.submit(), y.submit()));
    Jobs jobs = new Jobs();
    for (JobSpec j : sorted) {
      jobs.add(j.submit(), j.tenant(), j.groups() * j.group(), j.group(), j.span(), j.duration(), j.expected());
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
        assertThat(jobs.end(j) - jobs.start(j)).isEqualTo(jobs.durationSeconds(j));
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
    assertThat(r.runningAtEnd()).isEqualTo((int) running);
    assertThat(r.pendingAtEnd()).isEqualTo((int) pending);
    double capacity = (double) s.fleet().totalGpus() * s.horizonSeconds();
    assertThat((double) r.metrics().allocatedGpuSeconds()).isLessThanOrEqualTo(capacity);
  }

  @Property(tries = 60)
  void gpuSecondsEqualTheSumOfJobRunTimesWithinTheHorizon(
      @ForAll("workloads") List<JobSpec> specs, @ForAll("policies") String policy) {
    Scenario s = TinyScenarios.twoSites(2, 2, 8, policy, 3000);
    Jobs jobs = jobs(specs);
    SimulationResult r = new Simulation(s).run(jobs, new ArrayList<>(s.tenants()));
    long expected = 0;
    for (int j = 0; j < jobs.size(); j++) {
      if (jobs.start(j) >= 0) {
        long end = jobs.end(j) >= 0 ? jobs.end(j) : s.horizonSeconds();
        expected += (long) jobs.gpus(j) * (end - jobs.start(j));
      }
    }
    assertThat(r.metrics().allocatedGpuSeconds()).isEqualTo(expected);
  }

  @Property(tries = 30)
  void sameSeedGivesIdenticalResultsOutsideTheRunSection(@ForAll("policies") String policy) {
    Scenario s = TinyScenarios.twoSites(2, 2, 8, policy, 5 * 86400);
    String a = ResultJson.pretty(RunResults.from(new Simulation(s).run()));
    String b = ResultJson.pretty(RunResults.from(new Simulation(s).run()));
    assertThat(a).isEqualTo(b);
  }
}
