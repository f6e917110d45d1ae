package dev.superfactory.workload.openb;

import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.input.InputException;
import dev.superfactory.workload.JobRow;
import dev.superfactory.workload.Tenant;
import dev.superfactory.workload.TraceCluster;
import dev.superfactory.workload.TraceContext;
import dev.superfactory.workload.TraceFormat;
import dev.superfactory.workload.TraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The Alibaba openb pod list ({@link OpenbTrace}) as trace format {@code openb}, read with
 * {@link OpenbTrace.Options#defaults()}. Its tenants are its QoS classes unless the scenario names a
 * tenant {@code ls} or {@code be}; then jobs go to the scenario's tenants by QoS name. It records
 * its cluster: the node list {@value #NODE_LIST} beside the pod list.
 */
public final class OpenbTraceFormat implements TraceFormat {
  public static final String NAME = "openb";
  /** The node list expected beside a pod list. */
  public static final String NODE_LIST = "openb_node_list_gpu_node.csv";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    return "Alibaba's 2023 GPU cluster trace (cluster-trace-gpu-v2023), a pod list with its node list beside it";
  }

  @Override
  public TraceReader open(Path file, TraceContext context) {
    List<Tenant> given = context.tenants().stream().anyMatch(OpenbTraceFormat::isQosTenant)
        ? context.tenants() : List.of();
    return new OpenbTraceReader(file, given,
        OpenbTrace.Options.defaults().withTenantGpuLimit(context.newTenantGpuLimit()));
  }

  /**
   * The one-site cluster of the node list beside {@code podList}, and the span of the pod list (read
   * once, end to end, for its last deletion time).
   *
   * @throws InputException if the node list is missing, or either file is malformed
   */
  @Override
  public Optional<TraceCluster> cluster(Path podList) {
    Path dir = podList.toAbsolutePath().getParent();
    Path nodes = dir == null ? Path.of(NODE_LIST) : dir.resolve(NODE_LIST);
    if (!Files.exists(nodes)) {
      throw new InputException(nodes + ": no such file; the openb node list must sit beside the pod list "
          + "(or give --preset or a scenario file to replay the trace on another fleet)");
    }
    GpuCatalog catalog = OpenbTrace.catalog(GpuCatalog.builtIn());
    OpenbTrace.Cluster cluster = OpenbTrace.cluster(nodes, catalog);
    String description = "Alibaba openb GPU cluster trace (cluster-trace-gpu-v2023, Weng et al., USENIX ATC'23), "
        + "replayed on its own " + cluster.gpus() + "-GPU cluster of " + cluster.gpuNodes() + " nodes.";
    return Optional.of(new TraceCluster(description, catalog, cluster.fleet(), horizonSeconds(podList)));
  }

  private static long horizonSeconds(Path podList) {
    try (OpenbTraceReader reader = new OpenbTraceReader(podList, List.of(), OpenbTrace.Options.defaults())) {
      JobRow row = new JobRow();
      while (reader.next(row)) {
        // only the tallies are wanted
      }
      return reader.horizonSeconds();
    }
  }

  private static boolean isQosTenant(Tenant t) {
    return t.name().equals(Qos.LS.tenantName()) || t.name().equals(Qos.BE.tenantName());
  }
}
