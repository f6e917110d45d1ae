package dev.superfactory.workload.openb;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.InputException;
import dev.superfactory.input.YamlDocuments;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.JobsBuilder;
import dev.superfactory.workload.Tenant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reader of the Alibaba "openb" GPU-cluster trace (cluster-trace-gpu-v2023,
 * https://github.com/alibaba/clusterdata, directory {@code cluster-trace-gpu-v2023/csv/}), from Q.
 * Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation
 * Gradient Descent", USENIX ATC 2023. The trace has no licence file, so Superfactory reads it by
 * path and never ships it.
 *
 * <p><b>Pods to jobs</b> ({@link #read}; columns in {@link PodColumn}). One pod is one job, named
 * by the pod. Submit = {@code creation_time}; run time = {@code deletion_time − scheduled_time},
 * at least 1 s; the scheduler is told run time × {@link Options#expectedFactor()} (1 by default:
 * an oracle). Gang size = {@code num_gpu} and scale-up group = {@code num_gpu}, since a pod runs on
 * one node; jobs never span sites. Rows that do not become jobs are counted by {@link SkipReason},
 * in this order of precedence: CPU-only pods ({@code num_gpu = 0}); pods never scheduled (empty
 * {@code scheduled_time}, the Pending ones), whose run time is unknown (inventing one would add
 * demand the cluster never served); and, only if {@link SharedGpu#SKIP} is chosen, GPU-sharing
 * pods. GPU-sharing pods ({@code gpu_milli < 1000}) are by default rounded up to whole GPUs
 * ({@link SharedGpu#ROUND_UP}): Superfactory allocates whole GPUs, and skipping them would drop
 * over a third of the trace (most latency-sensitive inference); the GPU-hours this adds are
 * reported in a note. {@code gpu_spec} (allowed models) is not modelled; rows that carry one are
 * counted. Tenants: the trace has none, so by default each QoS class is a tenant ({@link Qos}:
 * {@code ls}, {@code be}, {@code burstable}, {@code guaranteed}), or all jobs form one tenant
 * ({@link TenantMode#SINGLE}). A malformed row (wrong field count, non-numeric or negative value,
 * deletion before creation, scheduling outside [creation, deletion], unknown QoS class or phase,
 * unknown or missing header column) is an {@link InputException} {@code file:line: column: problem}.
 *
 * <p><b>Nodes to a fleet</b> ({@link #fleet}; columns in {@link NodeColumn}). One site,
 * {@code openb}; each GPU node is one scale-up domain of its GPU count; nodes of one model and GPU
 * count form a block group in blocks of 32 nodes; CPU-only nodes are left out and counted. The
 * GPU models come from {@link #catalog}. ASSUMPTIONS (no figure is published): 32 nodes per block,
 * 500 W of host power per node on top of the GPUs' TDP, 25 Gb/s Ethernet scale-out per GPU, PUE
 * 1.3, 80 USD/MWh, site power capacity equal to its IT power.
 *
 * <p>{@link OpenbTraceFormat} registers the pod list as trace format {@code openb}, read lazily by
 * {@link OpenbTraceReader}, with the node list beside it as the cluster the trace ran on.
 *
 * <p>Costs: both readers stream their file line by line, O(rows) time, and keep only the result
 * (the job table; one entry per node name). Same file and options, same result.
 */
public final class OpenbTrace {
  private static final String GPUS_RESOURCE = "/dev/superfactory/workload/openb/gpus.yaml";

  private OpenbTrace() {}

  /** What to do with a pod that asks for a share of one GPU ({@code gpu_milli < 1000}). */
  public enum SharedGpu {
    /** Give it whole GPUs ({@code num_gpu} of them); the default. */
    ROUND_UP,
    /** Skip it, counted under {@link SkipReason#SHARED_GPU}. */
    SKIP
  }

  /** How jobs get tenants, since the trace has no tenant column. */
  public enum TenantMode {
    /** One tenant per QoS class ({@link Qos#tenantName()}); the default. */
    PER_QOS,
    /** One tenant for all jobs: {@code openb}, or the first given tenant. */
    SINGLE
  }

  /**
   * How to read a pod list.
   *
   * @param sharedGpu GPU-sharing pods: round up (default) or skip
   * @param tenants one tenant per QoS class (default) or one for all
   * @param expectedFactor the scheduler is told run time × this (default 1: the true run time)
   * @param tenantGpuLimit GPU limit of the tenants the reader creates (default: none)
   */
  public record Options(SharedGpu sharedGpu, TenantMode tenants, double expectedFactor, int tenantGpuLimit) {
    public Options {
      Objects.requireNonNull(sharedGpu, "sharedGpu");
      Objects.requireNonNull(tenants, "tenants");
      if (!(expectedFactor > 0) || Double.isInfinite(expectedFactor)) {
        throw new IllegalArgumentException("expectedFactor must be > 0 and finite, got " + expectedFactor);
      }
      if (tenantGpuLimit <= 0) {
        throw new IllegalArgumentException("tenantGpuLimit must be > 0, got " + tenantGpuLimit);
      }
    }

    public static Options defaults() {
      return new Options(SharedGpu.ROUND_UP, TenantMode.PER_QOS, 1.0, Integer.MAX_VALUE);
    }

    public Options withSharedGpu(SharedGpu s) {
      return new Options(s, tenants, expectedFactor, tenantGpuLimit);
    }

    public Options withTenants(TenantMode t) {
      return new Options(sharedGpu, t, expectedFactor, tenantGpuLimit);
    }

    public Options withExpectedFactor(double f) {
      return new Options(sharedGpu, tenants, f, tenantGpuLimit);
    }

    public Options withTenantGpuLimit(int limit) {
      return new Options(sharedGpu, tenants, expectedFactor, limit);
    }
  }

  /**
   * A pod list read as jobs. {@code rows} = jobs + every skip count.
   *
   * @param jobs one job per accepted pod, sorted by submit time (stable: file order within a second)
   * @param tenants the given tenants, plus any the reader created, in order of first use
   * @param skipped rows that are not jobs, by reason (every reason present, zero or not)
   * @param rows data rows read (blank lines are not rows)
   * @param horizonSeconds the trace's last time: the largest {@code deletion_time}
   * @param phases rows by {@code pod_phase} (every phase present)
   * @param sharedGpuPods rows with {@code num_gpu > 0} and {@code gpu_milli < 1000}
   * @param gpuSpecRows rows with a non-empty {@code gpu_spec}
   * @param notes lines a person reads: totals, what was rounded, what is not modelled
   */
  public record Result(Jobs jobs, List<Tenant> tenants, Map<SkipReason, Long> skipped, long rows,
      long horizonSeconds, Map<PodPhase, Long> phases, long sharedGpuPods, long gpuSpecRows, List<String> notes) {

    /** Rows that did not become jobs. */
    public long skippedTotal() {
      return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** GPUs the jobs ask for, summed over jobs. */
    public long jobGpus() {
      long sum = 0;
      for (int j = 0; j < jobs.size(); j++) {
        sum += jobs.gpus(j);
      }
      return sum;
    }
  }

  /**
   * A node list read as the trace's own cluster.
   *
   * @param fleet one site, {@code openb}, of the GPU nodes
   * @param rows data rows read
   * @param gpuNodes nodes with at least one GPU
   * @param gpus GPUs on those nodes
   * @param cpuOnlyNodes nodes with {@code gpu = 0}, left out of the fleet
   * @param nodesByModel GPU nodes by {@code model} as the trace writes it, sorted
   * @param notes lines a person reads: totals and the ASSUMPTIONS behind the site
   */
  public record Cluster(Fleet fleet, long rows, int gpuNodes, long gpus, int cpuOnlyNodes,
      Map<String, Integer> nodesByModel, List<String> notes) {}

  /**
   * Reads a pod list ({@code openb_pod_list_*.csv}) as jobs. When {@code tenants} is empty the
   * reader creates the tenants it needs; otherwise jobs go to the given tenants (by QoS name, or
   * all to the first in {@link TenantMode#SINGLE}) and a QoS class without one is an error. The
   * list passed in is not modified.
   *
   * @throws InputException on a missing file or a malformed header or row
   */
  public static Result read(Path podCsv, List<Tenant> tenants, Options options) {
    try (OpenbTraceReader reader = new OpenbTraceReader(podCsv, tenants, options)) {
      return reader.result(new JobsBuilder(1024).addAll(reader).build());
    }
  }

  /** The trace's own cluster: {@link #cluster}'s fleet. */
  public static Fleet fleet(Path nodeCsv, GpuCatalog catalog) {
    return cluster(nodeCsv, catalog).fleet();
  }

  /**
   * Reads a node list ({@code openb_node_list_gpu_node.csv} or {@code ..._all_node.csv}) as a
   * one-site fleet with its tallies. GPU models are looked up in {@link #catalog}{@code (catalog)}.
   *
   * @throws InputException on a missing file, a malformed row, an unknown GPU model or no GPU node
   */
  public static Cluster cluster(Path nodeCsv, GpuCatalog catalog) {
    return new NodeListReader(catalog).read(nodeCsv);
  }

  /**
   * {@code base} plus the openb GPU models ({@code p100}, {@code t4}, {@code v100m16},
   * {@code v100m32}, {@code a10} and the undisclosed {@code g1}, {@code g2}, {@code g3}, each
   * figure with its source in {@code gpus.yaml} next to this class) that {@code base} does not
   * already name: a scenario's own definition wins.
   */
  public static GpuCatalog catalog(GpuCatalog base) {
    List<ConfigNode> missing = new ArrayList<>();
    for (ConfigNode model : BuiltIn.GPUS) {
      if (!knows(base, model.string("name"))) {
        missing.add(model);
      }
    }
    return missing.isEmpty() ? base : base.with(missing);
  }

  private static boolean knows(GpuCatalog catalog, String name) {
    try {
      catalog.get(name);
      return true;
    } catch (InputException e) {
      return false;
    }
  }

  /** The openb GPU models, parsed once on first use. */
  private static final class BuiltIn {
    static final List<ConfigNode> GPUS =
        YamlDocuments.readResource(GPUS_RESOURCE, "built-in openb gpus.yaml").list("gpus");
  }
}
