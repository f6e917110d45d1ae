package dev.superfactory.workload.openb;

import dev.superfactory.workload.JobRow;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import dev.superfactory.workload.TraceInfo;
import dev.superfactory.workload.TraceReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A lazy reader of an openb pod list: opening checks the header, each {@link #next} reads rows
 * until one becomes a job, counting the others by {@link SkipReason}, and keeps the tallies the
 * {@link OpenbTrace.Result} reports. The mapping rules are stated on {@link OpenbTrace}.
 *
 * <p>Costs: O(line length) per row; memory of one line plus the tallies.
 */
final class OpenbTraceReader implements TraceReader {
  private static final String SINGLE_TENANT = "openb";

  private final Path file;
  private final OpenbTrace.Options options;
  private final List<Tenant> tenants;
  private final boolean addTenants;
  private final CsvTable<PodColumn> table;
  private final long[] skipped = new long[SkipReason.values().length];
  private final long[] phases = new long[PodPhase.values().length];
  private long rows;
  private long jobs;
  private long horizon;
  private long sharedGpuPods;
  private long sharedGpuJobs;
  private double roundUpGpuSeconds;
  private double jobGpuSeconds;
  private long gpuSpecRows;
  private long gpuSpecJobs;
  private long clampedRuntimes;
  private long jobsAtHorizon;

  /** One validated row. {@code scheduled} is -1 when the pod was never scheduled. */
  private record Pod(String name, int gpus, int milliGpus, boolean hasSpec, Qos qos, PodPhase phase,
      long creation, long deletion, long scheduled) {}

  /**
   * Opens {@code file}. When {@code given} is empty the reader creates the tenants it needs;
   * otherwise jobs go to the given tenants (by QoS name, or all to the first in
   * {@link OpenbTrace.TenantMode#SINGLE}) and a QoS class without one is an error.
   */
  OpenbTraceReader(Path file, List<Tenant> given, OpenbTrace.Options options) {
    this.file = file;
    this.options = options;
    this.tenants = new ArrayList<>(given);
    this.addTenants = given.isEmpty();
    this.table = CsvTable.open(file, PodColumn.class);
  }

  @Override
  public boolean next(JobRow out) {
    while (table.next()) {
      if (accept(table, parse(table), out)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<Tenant> tenants() {
    return List.copyOf(tenants);
  }

  @Override
  public TraceInfo info() {
    Map<String, Long> byKey = new LinkedHashMap<>();
    skipped().forEach((reason, n) -> byKey.put(reason.key(), n));
    return new TraceInfo(OpenbTraceFormat.NAME + ":" + file, rows, jobs, byKey, notes());
  }

  @Override
  public void close() {
    table.close();
  }

  /** The trace's last time so far: the largest {@code deletion_time} of any row. */
  long horizonSeconds() {
    return horizon;
  }

  /** The whole trace's tallies, with {@code jobs} collected from this reader. */
  OpenbTrace.Result result(Jobs collected) {
    Map<PodPhase, Long> byPhase = new EnumMap<>(PodPhase.class);
    for (PodPhase p : PodPhase.values()) {
      byPhase.put(p, phases[p.ordinal()]);
    }
    return new OpenbTrace.Result(collected, List.copyOf(tenants), skipped(), rows, horizon,
        Collections.unmodifiableMap(byPhase), sharedGpuPods, gpuSpecRows, notes());
  }

  /** Counts the row; fills {@code out} and returns true if it is a job. */
  private boolean accept(CsvTable<PodColumn> row, Pod pod, JobRow out) {
    rows++;
    phases[pod.phase().ordinal()]++;
    if (pod.deletion() > horizon) {
      horizon = pod.deletion();
      jobsAtHorizon = 0;
    }
    gpuSpecRows += pod.hasSpec() ? 1 : 0;
    boolean shared = pod.gpus() > 0 && pod.milliGpus() < PodColumn.MILLI_GPUS_PER_GPU;
    sharedGpuPods += shared ? 1 : 0;
    SkipReason reason = skipReason(pod, shared);
    if (reason != null) {
      skipped[reason.ordinal()]++;
      return false;
    }
    addJob(row, pod, shared, out);
    return true;
  }

  private SkipReason skipReason(Pod pod, boolean shared) {
    if (pod.gpus() == 0) {
      return SkipReason.CPU_ONLY;
    }
    if (pod.scheduled() < 0) {
      return SkipReason.NEVER_SCHEDULED;
    }
    if (shared && options.sharedGpu() == OpenbTrace.SharedGpu.SKIP) {
      return SkipReason.SHARED_GPU;
    }
    return null;
  }

  private void addJob(CsvTable<PodColumn> row, Pod pod, boolean shared, JobRow out) {
    int tenant = tenantIndex(row, pod.qos());
    long runtime = pod.deletion() - pod.scheduled();
    if (runtime < 1) {
      runtime = 1;
      clampedRuntimes++;
    }
    long expected = Math.max(1, Math.round(runtime * options.expectedFactor()));
    out.set(pod.creation(), tenant, pod.gpus(), pod.gpus(), false, runtime, expected, pod.name());
    jobs++;
    jobGpuSeconds += (double) pod.gpus() * runtime;
    if (shared) {
      sharedGpuJobs++;
      roundUpGpuSeconds += pod.gpus() * runtime
          * (1.0 - (double) pod.milliGpus() / PodColumn.MILLI_GPUS_PER_GPU);
    }
    gpuSpecJobs += pod.hasSpec() ? 1 : 0;
    jobsAtHorizon += pod.deletion() == horizon ? 1 : 0;
  }

  private static Pod parse(CsvTable<PodColumn> row) {
    String name = row.required(PodColumn.NAME);
    row.nonNegative(PodColumn.CPU_MILLI);
    row.nonNegative(PodColumn.MEMORY_MIB);
    long gpus = row.nonNegative(PodColumn.NUM_GPU);
    if (gpus > Integer.MAX_VALUE) {
      throw row.error(PodColumn.NUM_GPU, "is too large: " + gpus);
    }
    int milli = milliGpus(row, (int) gpus);
    boolean hasSpec = !row.text(PodColumn.GPU_SPEC).isEmpty();
    Qos qos = qos(row);
    PodPhase phase = phase(row);
    long creation = row.nonNegative(PodColumn.CREATION_TIME);
    long deletion = row.nonNegative(PodColumn.DELETION_TIME);
    if (deletion < creation) {
      throw row.error(PodColumn.DELETION_TIME, "deleted at " + deletion + " s, before its creation at " + creation + " s");
    }
    long scheduled = scheduled(row, creation, deletion);
    return new Pod(name, (int) gpus, milli, hasSpec, qos, phase, creation, deletion, scheduled);
  }

  private static int milliGpus(CsvTable<PodColumn> row, int gpus) {
    long milli = row.nonNegative(PodColumn.GPU_MILLI);
    if (milli > PodColumn.MILLI_GPUS_PER_GPU) {
      throw row.error(PodColumn.GPU_MILLI, "must be at most 1000 (a whole GPU), got " + milli);
    }
    if (gpus > 0 && milli == 0) {
      throw row.error(PodColumn.GPU_MILLI, "is 0 but num_gpu is " + gpus + "; a GPU pod needs a share of 1..1000");
    }
    return (int) milli;
  }

  private static long scheduled(CsvTable<PodColumn> row, long creation, long deletion) {
    long scheduled = row.nonNegativeOr(PodColumn.SCHEDULED_TIME, -1);
    if (scheduled >= 0 && scheduled < creation) {
      throw row.error(PodColumn.SCHEDULED_TIME, "scheduled at " + scheduled + " s, before its creation at " + creation + " s");
    }
    if (scheduled > deletion) {
      throw row.error(PodColumn.SCHEDULED_TIME, "scheduled at " + scheduled + " s, after its deletion at " + deletion + " s");
    }
    return scheduled;
  }

  private static Qos qos(CsvTable<PodColumn> row) {
    String text = row.required(PodColumn.QOS);
    Qos qos = Qos.parse(text);
    if (qos == null) {
      throw row.error(PodColumn.QOS, "unknown QoS class '" + text + "'; expected LS, BE, Burstable or Guaranteed");
    }
    return qos;
  }

  private static PodPhase phase(CsvTable<PodColumn> row) {
    String text = row.required(PodColumn.POD_PHASE);
    PodPhase phase = PodPhase.parse(text);
    if (phase == null) {
      throw row.error(PodColumn.POD_PHASE, "unknown phase '" + text + "'; expected Running, Succeeded, Failed or Pending");
    }
    return phase;
  }

  private int tenantIndex(CsvTable<PodColumn> row, Qos qos) {
    boolean single = options.tenants() == OpenbTrace.TenantMode.SINGLE;
    if (single && !addTenants) {
      return 0;
    }
    String name = single ? SINGLE_TENANT : qos.tenantName();
    for (int i = 0; i < tenants.size(); i++) {
      if (tenants.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    if (!addTenants) {
      throw row.error(PodColumn.QOS, "no tenant '" + name + "' for QoS class " + qos.traceName()
          + " (tenants: " + names() + "); name the tenants ls, be, burstable, guaranteed or read with one tenant");
    }
    String display = single ? "Alibaba openb cluster" : qos.displayName();
    tenants.add(new Tenant(name, display, options.tenantGpuLimit()));
    return tenants.size() - 1;
  }

  private String names() {
    List<String> names = new ArrayList<>();
    for (Tenant t : tenants) {
      names.add(t.name());
    }
    return String.join(", ", names);
  }

  /** Rows that are not jobs, by reason (every reason present, zero or not). */
  private Map<SkipReason, Long> skipped() {
    Map<SkipReason, Long> skips = new EnumMap<>(SkipReason.class);
    for (SkipReason r : SkipReason.values()) {
      skips.put(r, skipped[r.ordinal()]);
    }
    return Collections.unmodifiableMap(skips);
  }

  private List<String> notes() {
    Map<SkipReason, Long> skips = skipped();
    List<String> notes = new ArrayList<>();
    notes.add(skipNote(skips));
    notes.add(sharedNote());
    notes.add(String.format(Locale.ROOT, "%,d rows (%,d of them jobs) name allowed GPU models (gpu_spec); "
        + "the constraint is not modelled: every job may run on any GPU model", gpuSpecRows, gpuSpecJobs));
    notes.add(options.tenants() == OpenbTrace.TenantMode.SINGLE
        ? "tenants: the trace has none; all jobs belong to one tenant"
        : "tenants: the trace has none; one tenant per QoS class (ls, be, burstable, guaranteed)");
    notes.add(String.format(Locale.ROOT, "%,d jobs were deleted at the trace's last time (%,d s): "
        + "their run times are lower bounds", jobsAtHorizon, horizon));
    if (clampedRuntimes > 0) {
      notes.add(String.format(Locale.ROOT, "%,d jobs were deleted the second they were scheduled: run time set to 1 s",
          clampedRuntimes));
    }
    return List.copyOf(notes);
  }

  /** "8,152 rows: 6,203 jobs, 1,949 rows skipped: 1,200 CPU-only (...), 749 never scheduled (...)". */
  private String skipNote(Map<SkipReason, Long> skips) {
    long total = skips.values().stream().mapToLong(Long::longValue).sum();
    StringJoiner why = new StringJoiner(", ", ": ", "");
    skips.forEach((r, n) -> {
      if (n > 0) {
        why.add(String.format(Locale.ROOT, "%,d %s", n, r.description()));
      }
    });
    return String.format(Locale.ROOT, "%,d rows: %,d jobs, %s", rows, jobs,
        total == 0 ? "none skipped" : String.format(Locale.ROOT, "%,d rows skipped%s", total, why));
  }

  private String sharedNote() {
    if (options.sharedGpu() == OpenbTrace.SharedGpu.SKIP) {
      return String.format(Locale.ROOT, "%,d pods share a GPU (gpu_milli < 1000); GPU-sharing pods skipped by option",
          sharedGpuPods);
    }
    double share = jobGpuSeconds > 0 ? 100.0 * roundUpGpuSeconds / jobGpuSeconds : 0;
    return String.format(Locale.ROOT, "%,d pods share a GPU (gpu_milli < 1000); the %,d that became jobs were "
        + "rounded up to whole GPUs, adding %,.0f GPU-hours (%.1f%% of the jobs' GPU-hours)",
        sharedGpuPods, sharedGpuJobs, roundUpGpuSeconds / 3600, share);
  }
}
