package dev.superfactory.econ;

import dev.superfactory.input.ConfigNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code economics:} section. Defaults, all ASSUMPTIONS (order-of-magnitude figures
 * from public press and analyst coverage in 2024–2025, not vendor price lists):
 * <ul>
 *   <li>GPU capex per GPU incl. its share of the rack: a100 $15k, h100 $30k, h200 $35k, b200 $40k,
 *       gb200 $42k (a GB200 NVL72 rack reported at ~$3M), gb300 $51k (~$3.7M per rack), others $30k;
 *   <li>network 15% of GPU capex; facility $11M per MW of power capacity;
 *   <li>depreciation: 6 years for GPUs and servers (Microsoft's server life since FY2023), 20 years
 *       for the facility; opex 2% of capex a year; an idle GPU draws 35% of its loaded power.
 * </ul>
 */
public final class EconomicsReader {
  private static final List<String> KEYS = List.of("gpuCapexUsd", "networkCapexFraction", "facilityCapexUsdPerMw",
      "gpuDepreciationYears", "facilityDepreciationYears", "opexFractionPerYear", "idlePowerFraction");

  private EconomicsReader() {}

  public static EconomicsSpec defaults() {
    Map<String, Double> gpu = new LinkedHashMap<>();
    gpu.put("a100", 15_000.0);
    gpu.put("h100", 30_000.0);
    gpu.put("h200", 35_000.0);
    gpu.put("b200", 40_000.0);
    gpu.put("gb200", 42_000.0);
    gpu.put("gb300", 51_000.0);
    return new EconomicsSpec(gpu, 30_000, 0.15, 11e6, 6, 20, 0.02, 0.35);
  }

  public static EconomicsSpec read(ConfigNode node) {
    EconomicsSpec d = defaults();
    if (node.isNull()) {
      return d;
    }
    ConfigNode e = node.requireMap().allowOnly(KEYS);
    Map<String, Double> gpu = new LinkedHashMap<>(d.gpuCapexUsd());
    double fallback = d.defaultGpuCapexUsd();
    if (e.has("gpuCapexUsd")) {
      ConfigNode g = e.get("gpuCapexUsd").requireMap();
      for (String key : g.keys()) {
        double v = g.get(key).asNonNegative();
        if (key.equals("default")) {
          fallback = v;
        } else {
          gpu.put(key, v);
        }
      }
    }
    return new EconomicsSpec(gpu, fallback,
        e.nonNegative("networkCapexFraction", d.networkCapexFraction()),
        e.nonNegative("facilityCapexUsdPerMw", d.facilityCapexUsdPerMw()),
        e.positive("gpuDepreciationYears", d.gpuDepreciationYears()),
        e.positive("facilityDepreciationYears", d.facilityDepreciationYears()),
        e.nonNegative("opexFractionPerYear", d.opexFractionPerYear()),
        e.fraction("idlePowerFraction", d.idlePowerFraction()));
  }
}
