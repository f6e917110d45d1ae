package dev.superfactory.scenario;

import dev.superfactory.econ.EconomicsReader;
import dev.superfactory.perf.ModelCatalog;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.sched.SchedulerConfig;
import dev.superfactory.workload.TraceCluster;
import dev.superfactory.workload.TraceSource;
import dev.superfactory.workload.WorkloadReader;
import java.util.List;
import java.util.Optional;

/**
 * A scenario for replaying a public trace on the cluster it was recorded on, for a trace format
 * that records one ({@link dev.superfactory.workload.TraceFormat#cluster}): that fleet, tenants
 * from the trace, the horizon the trace spans, no warm-up, no failures (the trace's own failures
 * are in its run times).
 */
public final class TraceScenarios {
  private TraceScenarios() {}

  /**
   * A scenario replaying {@code trace} on its own cluster, or empty if its format records none;
   * {@code speedup} divides its submit times and horizon.
   */
  public static Optional<Scenario> onItsOwnCluster(TraceSource trace, double speedup) {
    return trace.format().cluster(trace.path()).map(cluster -> scenario(trace, cluster, speedup));
  }

  private static Scenario scenario(TraceSource trace, TraceCluster cluster, double speedup) {
    long horizon = Math.max(1, (long) Math.ceil(cluster.horizonSeconds() / speedup));
    return new Scenario(trace.format().name(), cluster.description(), trace.toString(), 1, cluster.gpus(),
        cluster.fleet(), List.of(), horizon, 0,
        SchedulerConfig.DEFAULT, WorkloadReader.defaults(List.of()).withTrace(trace).withTraceSpeedup(speedup), 0,
        ReliabilitySpec.off(),
        ModelCatalog.builtIn(), EconomicsReader.defaults());
  }
}
