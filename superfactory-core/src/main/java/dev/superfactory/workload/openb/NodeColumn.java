package dev.superfactory.workload.openb;

/**
 * The columns of an openb node list ({@code openb_node_list_*.csv}), each with its unit. All five
 * must be present, in any order.
 */
public enum NodeColumn implements CsvColumn {
  SN("sn", "text", "node name"),
  CPU_MILLI("cpu_milli", "milli-cores", "CPU capacity in milli-cores (1000 = 1 vCPU)"),
  MEMORY_MIB("memory_mib", "MiB", "memory capacity in MiB"),
  GPU("gpu", "GPUs", "GPUs in the node; 0 on a CPU-only node"),
  MODEL("model", "text", "GPU model (P100, T4, V100M16, V100M32, A10, G1, G2, G3); empty or nan on a CPU-only node");

  private final String header;
  private final String unit;
  private final String meaning;

  NodeColumn(String header, String unit, String meaning) {
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
