package dev.superfactory.scenario;

import dev.superfactory.econ.EconomicsReader;
import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.input.InputException;
import dev.superfactory.perf.ModelCatalog;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.sched.SchedulerConfig;
import dev.superfactory.workload.TraceSource;
import dev.superfactory.workload.WorkloadReader;
import dev.superfactory.workload.openb.OpenbTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A scenario for replaying a public trace on the cluster it was recorded on: the fleet built from
 * the node list beside the trace file, tenants from the trace, the horizon the trace spans, no
 * warm-up, no failures (the trace's own failures are in its run times).
 */
public final class TraceScenarios {
  /** The openb node list expected beside a pod list. */
  public static final String OPENB_NODES = "openb_node_list_gpu_node.csv";

  private TraceScenarios() {}

  /** A scenario replaying {@code trace} on its own cluster; {@code speedup} divides its submit times and horizon. */
  public static Scenario forTrace(TraceSource trace, double speedup) {
    if (!trace.format().equals("openb")) {
      throw new InputException("trace format '" + trace.format() + "' records no cluster: give --preset or a "
          + "scenario file to replay it on");
    }
    Path dir = trace.path().toAbsolutePath().getParent();
    Path nodes = dir == null ? Path.of(OPENB_NODES) : dir.resolve(OPENB_NODES);
    if (!Files.exists(nodes)) {
      throw new InputException(nodes + ": no such file; the openb node list must sit beside the pod list "
          + "(or give --preset or a scenario file to replay the trace on another fleet)");
    }
    GpuCatalog catalog = OpenbTrace.catalog(GpuCatalog.builtIn());
    OpenbTrace.Cluster cluster = OpenbTrace.cluster(nodes, catalog);
    OpenbTrace.Result r = OpenbTrace.read(trace.path(), List.of(), OpenbTrace.Options.defaults());
    long horizon = Math.max(1, (long) Math.ceil(r.horizonSeconds() / speedup));
    String description = "Alibaba openb GPU cluster trace (cluster-trace-gpu-v2023, Weng et al., USENIX ATC'23), "
        + "replayed on its own " + cluster.gpus() + "-GPU cluster of " + cluster.gpuNodes() + " nodes.";
    return new Scenario("openb", description, trace.toString(), 1, catalog, cluster.fleet(), List.of(), horizon, 0,
        SchedulerConfig.DEFAULT, WorkloadReader.defaults(List.of()).withTrace(trace).withTraceSpeedup(speedup), 0,
        ReliabilitySpec.off(),
        ModelCatalog.builtIn(), EconomicsReader.defaults());
  }
}
