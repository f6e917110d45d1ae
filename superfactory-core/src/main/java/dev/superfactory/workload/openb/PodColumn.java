package dev.superfactory.workload.openb;

/**
 * The columns of an openb pod list ({@code openb_pod_list_*.csv}), each with its unit. All eleven
 * must be present, in any order; times are whole seconds after the trace's first pod creation.
 */
public enum PodColumn implements CsvColumn {
  NAME("name", "text", "pod name"),
  CPU_MILLI("cpu_milli", "milli-cores", "CPU request in milli-cores (1000 = 1 vCPU)"),
  MEMORY_MIB("memory_mib", "MiB", "memory request in MiB"),
  NUM_GPU("num_gpu", "GPUs", "whole GPUs requested"),
  GPU_MILLI("gpu_milli", "milli-GPUs", "share of each GPU in milli-GPUs (1000 = a whole GPU)"),
  GPU_SPEC("gpu_spec", "text", "allowed GPU models, '|'-separated; empty = any"),
  QOS("qos", "text", "QoS class: LS, BE, Burstable or Guaranteed"),
  POD_PHASE("pod_phase", "text", "phase when collected: Running, Succeeded, Failed or Pending"),
  CREATION_TIME("creation_time", "s", "creation time in seconds after the trace's start"),
  DELETION_TIME("deletion_time", "s", "deletion time in seconds after the trace's start"),
  SCHEDULED_TIME("scheduled_time", "s", "time bound to a node in seconds after the trace's start; empty if never");

  /** Milli-GPUs in one whole GPU: the unit of {@link #GPU_MILLI}. */
  public static final int MILLI_GPUS_PER_GPU = 1000;

  private final String header;
  private final String unit;
  private final String meaning;

  PodColumn(String header, String unit, String meaning) {
    this.header = header;
    this.unit = unit;
    this.meaning = meaning;
  }

  @Override
  public String header() {
    return header;
  }

  @Override
  public String unit() {
    return unit;
  }

  @Override
  public String meaning() {
    return meaning;
  }
}
