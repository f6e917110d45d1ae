package dev.superfactory.sim;

import dev.superfactory.random.RandomStreams;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.JobsBuilder;
import dev.superfactory.workload.SyntheticGenerator;
import dev.superfactory.workload.Tenant;
import dev.superfactory.workload.TraceContext;
import dev.superfactory.workload.TraceReader;
import dev.superfactory.workload.TraceSource;
import java.util.List;

/**
 * A run's jobs and the tenants they belong to, built from a scenario: the trace it names, read
 * through its {@link dev.superfactory.workload.TraceFormat} and sorted by submit time (sped up as
 * asked), or else the synthetic generator's jobs. A trace's jobs go to the scenario's tenants by
 * name; a scenario with only the implicit {@code default} tenant takes the trace's tenants instead.
 *
 * <p>Costs: reading a trace is O(rows) plus O(jobs log jobs) to sort; memory of the job table.
 *
 * @param tenants the tenants {@code jobs} index into
 * @param jobs in submit order, with their {@link dev.superfactory.workload.TraceInfo} when read from a trace
 */
public record Workload(List<Tenant> tenants, Jobs jobs) {
  public Workload {
    tenants = List.copyOf(tenants);
  }

  /** The jobs of {@code scenario}: its trace if it names one, else the synthetic generator's. */
  public static Workload of(Scenario scenario) {
    TraceSource trace = scenario.workload().trace();
    if (trace == null) {
      return new Workload(scenario.tenants(), generate(scenario));
    }
    Workload read = read(scenario, trace);
    double speedup = scenario.workload().traceSpeedup();
    return speedup != 1.0 ? new Workload(read.tenants(), read.jobs().withSubmitsScaled(speedup)) : read;
  }

  private static Workload read(Scenario scenario, TraceSource trace) {
    TraceContext context = new TraceContext(scenarioTenants(scenario), scenario.fleet().totalGpus(),
        new PerfSpeeds(scenario.fleet(), scenario.models()));
    try (TraceReader reader = trace.open(context)) {
      Jobs jobs = new JobsBuilder(1024).addAll(reader).build();
      jobs.setTraceInfo(reader.info());
      return new Workload(reader.tenants(), jobs);
    }
  }

  /** The scenario's tenants, or none (to be taken from the trace) if it only has the implicit default. */
  private static List<Tenant> scenarioTenants(Scenario scenario) {
    List<Tenant> tenants = scenario.tenants();
    boolean implicit = tenants.size() == 1 && tenants.get(0).name().equals("default");
    return implicit ? List.of() : tenants;
  }

  private static Jobs generate(Scenario scenario) {
    int largestSite = 0;
    for (int s = 0; s < scenario.fleet().siteCount(); s++) {
      largestSite = Math.max(largestSite, scenario.fleet().siteGpus(s));
    }
    SyntheticGenerator generator = new SyntheticGenerator(scenario.workload(), scenario.tenants(),
        scenario.fleet().totalGpus(), largestSite, new PerfSpeeds(scenario.fleet(), scenario.models()));
    return generator.generate(scenario.effectiveWarmupSeconds() + scenario.horizonSeconds(),
        new RandomStreams(scenario.seed()));
  }
}
