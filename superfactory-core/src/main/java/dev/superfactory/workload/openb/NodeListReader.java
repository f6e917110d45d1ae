package dev.superfactory.workload.openb;

import dev.superfactory.fleet.BlockGroup;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.fleet.GpuModel;
import dev.superfactory.fleet.Site;
import dev.superfactory.input.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass over an openb node list, building the trace's own cluster as a one-site
 * {@link Fleet}: every GPU node is one scale-up domain of its GPU count; nodes of one model and GPU
 * count form a block group cut into blocks of {@link #NODES_PER_BLOCK} nodes (a last, smaller
 * block becomes a group of its own, suffixed {@code -partial}). CPU-only nodes are counted and
 * left out. The site-level figures are the ASSUMPTIONS listed on {@link OpenbTrace}.
 *
 * <p>O(nodes) time; memory of one entry per node name (to reject duplicates).
 */
final class NodeListReader {
  /** ASSUMPTION: one block (scale-out unit behind one leaf switch pair) = 32 nodes. */
  static final int NODES_PER_BLOCK = 32;
  /** ASSUMPTION: host power per GPU node (CPUs, memory, NICs, fans, share of the ToR switch). */
  static final double HOST_WATTS_PER_NODE = 500;
  /** ASSUMPTION: 25 Gb/s Ethernet per GPU, in bytes per second. */
  static final double SCALE_OUT_BYTES_PER_SECOND_PER_GPU = 25e9 / 8;
  /** ASSUMPTION: an air-cooled enterprise datacenter. */
  static final double PUE = 1.3;
  /** ASSUMPTION: an industrial tariff of the order of the fairwater preset's. */
  static final double ELECTRICITY_USD_PER_MWH = 80;
  static final String SITE = "openb";

  private record Kind(GpuModel model, int gpusPerNode) {}

  private final GpuCatalog catalog;
  private final Map<Kind, int[]> nodesByKind = new TreeMap<>(
      Comparator.comparing((Kind k) -> k.model().name()).thenComparingInt(Kind::gpusPerNode));
  private final Map<String, Integer> nodesByModel = new TreeMap<>();
  private final Map<String, Integer> lineByName = new HashMap<>();
  private long rows;
  private long gpus;
  private int gpuNodes;
  private int cpuOnlyNodes;

  NodeListReader(GpuCatalog catalog) {
    this.catalog = OpenbTrace.catalog(catalog);
  }

  OpenbTrace.Cluster read(Path file) {
    try (CsvTable<NodeColumn> table = CsvTable.open(file, NodeColumn.class)) {
      while (table.next()) {
        accept(table);
      }
    }
    if (gpuNodes == 0) {
      throw new InputException(String.format(Locale.ROOT,
          "%s: no GPU nodes (all %d nodes have gpu = 0); expected an openb node list such as openb_node_list_gpu_node.csv",
          file, rows));
    }
    return new OpenbTrace.Cluster(fleet(), rows, gpuNodes, gpus, cpuOnlyNodes,
        Collections.unmodifiableMap(nodesByModel), notes());
  }

  private void accept(CsvTable<NodeColumn> row) {
    rows++;
    String name = row.required(NodeColumn.SN);
    Integer previous = lineByName.put(name, row.line());
    if (previous != null) {
      throw row.error(NodeColumn.SN, "node '" + name + "' also appears on line " + previous);
    }
    row.nonNegative(NodeColumn.CPU_MILLI);
    row.nonNegative(NodeColumn.MEMORY_MIB);
    long count = row.nonNegative(NodeColumn.GPU);
    if (count == 0) {
      cpuOnlyNodes++;
      return;
    }
    if (count > BlockGroup.MAX_DOMAIN_GPUS) {
      throw row.error(NodeColumn.GPU, "is too large: " + count + " (at most " + BlockGroup.MAX_DOMAIN_GPUS + ")");
    }
    String modelText = row.text(NodeColumn.MODEL);
    GpuModel model = resolve(row, modelText, count);
    nodesByKind.computeIfAbsent(new Kind(model, (int) count), k -> new int[1])[0]++;
    nodesByModel.merge(modelText, 1, Integer::sum);
    gpus += count;
    gpuNodes++;
  }

  private GpuModel resolve(CsvTable<NodeColumn> row, String text, long count) {
    if (text.isEmpty() || text.equalsIgnoreCase("nan")) {
      throw row.error(NodeColumn.MODEL, "is empty on a node with " + count + " GPUs; expected a GPU model");
    }
    try {
      return catalog.get(text);
    } catch (InputException e) {
      throw row.error(NodeColumn.MODEL, e.getMessage());
    }
  }

  private Fleet fleet() {
    List<BlockGroup> groups = new ArrayList<>();
    for (Map.Entry<Kind, int[]> e : nodesByKind.entrySet()) {
      addGroups(groups, e.getKey(), e.getValue()[0]);
    }
    double itPowerMw = groups.stream().mapToDouble(BlockGroup::itPowerMw).sum();
    Site site = new Site(SITE, "Alibaba GPU cluster of the openb trace (location undisclosed)",
        Double.NaN, Double.NaN, SCALE_OUT_BYTES_PER_SECOND_PER_GPU, itPowerMw, PUE, ELECTRICITY_USD_PER_MWH,
        groups);
    return new Fleet(List.of(site), List.of());
  }

  private static void addGroups(List<BlockGroup> groups, Kind kind, int nodes) {
    String name = SITE + "-" + kind.model().name() + "-" + kind.gpusPerNode() + "gpu";
    double nodeKw = (kind.gpusPerNode() * kind.model().tdpWatts() + HOST_WATTS_PER_NODE) / 1000;
    int fullBlocks = nodes / NODES_PER_BLOCK;
    int rest = nodes % NODES_PER_BLOCK;
    if (fullBlocks > 0) {
      groups.add(new BlockGroup(name, kind.model(), fullBlocks, NODES_PER_BLOCK, kind.gpusPerNode(), nodeKw));
    }
    if (rest > 0) {
      String restName = fullBlocks > 0 ? name + "-partial" : name;
      groups.add(new BlockGroup(restName, kind.model(), 1, rest, kind.gpusPerNode(), nodeKw));
    }
  }

  private List<String> notes() {
    List<String> notes = new ArrayList<>();
    notes.add(String.format(Locale.ROOT, "%,d nodes: %,d GPU nodes with %,d GPUs, %,d CPU-only nodes (gpu = 0) left out",
        rows, gpuNodes, gpus, cpuOnlyNodes));
    notes.add(String.format(Locale.ROOT, "each GPU node is one scale-up domain of its GPU count; ASSUMPTIONS: "
        + "%d nodes per block, %.0f W of host power per node on top of the GPUs' TDP, %.0f Gb/s scale-out per GPU, "
        + "PUE %.1f, %.0f USD/MWh, power capacity = IT power",
        NODES_PER_BLOCK, HOST_WATTS_PER_NODE, SCALE_OUT_BYTES_PER_SECOND_PER_GPU * 8 / 1e9, PUE,
        ELECTRICITY_USD_PER_MWH));
    return List.copyOf(notes);
  }
}
