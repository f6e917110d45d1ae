package dev.superfactory.report.result;

import java.util.List;

/**
 * {@code economics}: money over the measured window (see {@code econ.Economics} for the model):
 * revenue from the contracts; cost = depreciation of the capital + power + operations.
 *
 * @param utilization the utilization the money was computed at
 * @param breakEvenUtilization the utilization at which revenue covers cost; NaN if none does
 * @param paybackYears years until the capex is paid back at this run's rates; NaN if never
 */
public record EconomicsSummary(
    double capexUsd,
    double revenueUsd,
    double revenueLostToFailuresUsd,
    double costUsd,
    double depreciationUsd,
    double powerUsd,
    double opexUsd,
    double marginUsd,
    double energyMwh,
    double utilization,
    double breakEvenUtilization,
    double paybackYears,
    List<Site> sites,
    List<Quarter> quarters) {
  public EconomicsSummary {
    sites = Immutable.list(sites);
    quarters = Immutable.list(quarters);
  }

  /** One site's money. */
  public record Site(String name, double capexUsd, double revenueUsd, double depreciationUsd, double powerUsd,
      double opexUsd, double energyMwh, double marginUsd) {}

  /** One quarter's money ({@code quarter} 1, 2, …; the last may be short). */
  public record Quarter(int quarter, double days, double revenueUsd, double costUsd, double powerUsd,
      double marginUsd) {}
}
