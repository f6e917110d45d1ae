package dev.superfactory.econ;

import java.util.Map;

/**
 * The {@code economics:} section: what the fleet cost and costs to run. Every default is an
 * ASSUMPTION documented in {@link EconomicsReader}.
 *
 * @param gpuCapexUsd price per GPU by GPU model name, including its share of the rack or server
 * @param defaultGpuCapexUsd price per GPU for models not listed
 * @param networkCapexFraction scale-out network (switches, optics, cables) as a fraction of GPU capex
 * @param facilityCapexUsdPerMw building, power and cooling per MW of a site's power capacity
 * @param gpuDepreciationYears straight-line life of GPUs, servers and network
 * @param facilityDepreciationYears straight-line life of the facility
 * @param opexFractionPerYear staff, maintenance, insurance per year as a fraction of capex
 * @param idlePowerFraction power an idle GPU draws, as a fraction of its loaded power
 */
public record EconomicsSpec(
    Map<String, Double> gpuCapexUsd,
    double defaultGpuCapexUsd,
    double networkCapexFraction,
    double facilityCapexUsdPerMw,
    double gpuDepreciationYears,
    double facilityDepreciationYears,
    double opexFractionPerYear,
    double idlePowerFraction) {
  public EconomicsSpec {
    gpuCapexUsd = Map.copyOf(gpuCapexUsd);
    if (defaultGpuCapexUsd < 0 || networkCapexFraction < 0 || facilityCapexUsdPerMw < 0
        || !(gpuDepreciationYears > 0) || !(facilityDepreciationYears > 0) || opexFractionPerYear < 0
        || idlePowerFraction < 0 || idlePowerFraction > 1) {
      throw new IllegalArgumentException("invalid economics " + this);
    }
  }

  public double gpuCapex(String gpuModel) {
    return gpuCapexUsd.getOrDefault(gpuModel, defaultGpuCapexUsd);
  }
}
