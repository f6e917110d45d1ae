package dev.superfactory.econ;

import dev.superfactory.fleet.BlockGroup;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.Site;
import dev.superfactory.workload.Contract;
import dev.superfactory.workload.Tenant;
import java.util.List;

/**
 * Money: what the fleet cost, what running it costs, what the tenants pay, and when it pays back.
 *
 * <ul>
 *   <li>Capex per site: GPUs (per-model price × count) + network (fraction of GPU capex) +
 *       facility ($ per MW of power capacity). Depreciation straight-line over each part's life,
 *       pro rata for the window.
 *   <li>Power per site: IT power = Σ GPUs × loaded watts per GPU (the domain's IT power ÷ its GPUs)
 *       × (idle fraction + (1 − idle fraction) × busy fraction), integrated over the window from
 *       the allocated GPU-seconds, × PUE × the site's $/MWh.
 *   <li>Opex: a fraction of capex per year, pro rata.
 *   <li>Revenue per tenant and contract line: reserved GPUs × hours × reserved price (take or
 *       pay) + GPU-hours beyond the reservation × on-demand price. Attributed to sites in
 *       proportion to the tenant's GPU-hours there. Unless the contract bills provider downtime,
 *       the on-demand GPU-hours lost to failures and maintenance are not billed
 *       ({@link Usage#downtimeBorrowedGpuSeconds}); what they would have paid is reported as
 *       revenue lost to failures.
 *   <li>Break-even utilization: the allocated fraction at which revenue covers cost, with revenue
 *       per used GPU-hour held at this run's blended rate and power scaling with use:
 *       u* = fixed cost ÷ (capacity GPU-hours × (blended rate − busy power cost per GPU-hour)).
 *   <li>Payback: capex ÷ yearly cash margin (revenue − power − opex), at this run's rates.
 * </ul>
 * Cost: O(quarters · tenants · sites).
 */
public final class Economics {
  private Economics() {}

  /** Per-quarter figures. */
  public record Quarter(int index, double days, double revenueUsd, double costUsd, double powerUsd, double marginUsd) {}

  /** Per-site figures. */
  public record SiteMoney(String site, double capexUsd, double revenueUsd, double depreciationUsd, double powerUsd,
      double opexUsd, double energyMwh, double marginUsd) {}

  /** Per-tenant revenue by contract line. */
  public record TenantMoney(String tenant, int reservedGpus, double reservedGpuHours, double usedWithinGpuHours,
      double borrowedGpuHours, double notBilledGpuHours, double reservedRevenueUsd, double onDemandRevenueUsd,
      double revenueUsd, double revenueLostToFailuresUsd) {}

  /** Everything, totals first. */
  public record Result(double capexUsd, double revenueUsd, double revenueLostToFailuresUsd, double costUsd, double depreciationUsd, double powerUsd,
      double opexUsd, double marginUsd, double energyMwh, double utilization, double breakEvenUtilization,
      double paybackYears, List<SiteMoney> sites, List<TenantMoney> tenants, List<Quarter> quarters) {}

  public static Result evaluate(Fleet fleet, List<Tenant> tenants, EconomicsSpec spec, Usage usage) {
    int sites = fleet.siteCount();
    int quarters = usage.byQuarterTenantSite().length;
    double windowHours = usage.windowSeconds() / 3600.0;
    double windowYears = usage.windowSeconds() / (365.0 * 86400);
    double[] capex = new double[sites];
    double[] fixedPerYear = new double[sites]; // depreciation + opex per year
    double[] depreciationPerYear = new double[sites];
    double[] wattsPerGpu = new double[sites];
    for (int s = 0; s < sites; s++) {
      Site site = fleet.site(s);
      double gpuCapex = 0;
      for (BlockGroup g : site.groups()) {
        gpuCapex += g.gpus() * spec.gpuCapex(g.gpu().name());
      }
      double network = gpuCapex * spec.networkCapexFraction();
      double facility = site.powerCapacityMw() * spec.facilityCapexUsdPerMw();
      capex[s] = gpuCapex + network + facility;
      depreciationPerYear[s] = (gpuCapex + network) / spec.gpuDepreciationYears()
          + facility / spec.facilityDepreciationYears();
      fixedPerYear[s] = depreciationPerYear[s] + capex[s] * spec.opexFractionPerYear();
      wattsPerGpu[s] = site.itPowerMw() * 1e6 / site.gpus();
    }
    // usage per site and tenant over the window
    double[] siteGpuSeconds = new double[sites];
    double[][] tenantSite = new double[tenants.size()][sites];
    for (int q = 0; q < quarters; q++) {
      for (int t = 0; t < tenants.size(); t++) {
        for (int s = 0; s < sites; s++) {
          long v = usage.byQuarterTenantSite()[q][t][s];
          siteGpuSeconds[s] += v;
          tenantSite[t][s] += v;
        }
      }
    }
    // revenue by tenant and line, attributed to sites by use
    List<TenantMoney> tenantMoney = new java.util.ArrayList<>();
    double[] siteRevenue = new double[sites];
    double revenue = 0;
    double lostToFailures = 0;
    for (int t = 0; t < tenants.size(); t++) {
      Contract c = tenants.get(t).contract();
      double within = 0;
      double borrowed = 0;
      double downtime = 0;
      for (int q = 0; q < quarters; q++) {
        within += usage.withinByQuarterTenant()[q][t] / 3600.0;
        borrowed += usage.borrowedByQuarterTenant()[q][t] / 3600.0;
        downtime += usage.downtimeBorrowedGpuSeconds(q, t) / 3600.0;
      }
      double notBilled = c.billsProviderDowntime() ? 0 : downtime;
      double reservedHours = c.reservedGpus() * windowHours;
      double reservedRevenue = reservedHours * c.reservedUsdPerGpuHour();
      double onDemandRevenue = (borrowed - notBilled) * c.onDemandUsdPerGpuHour();
      double r = reservedRevenue + onDemandRevenue;
      revenue += r;
      lostToFailures += notBilled * c.onDemandUsdPerGpuHour();
      tenantMoney.add(new TenantMoney(tenants.get(t).name(), c.reservedGpus(), reservedHours, within, borrowed,
          notBilled, reservedRevenue, onDemandRevenue, r, notBilled * c.onDemandUsdPerGpuHour()));
      double used = 0;
      for (int s = 0; s < sites; s++) {
        used += tenantSite[t][s];
      }
      for (int s = 0; s < sites; s++) {
        // a tenant that used nothing (but pays its reservation) is attributed by its sites' GPU share
        double share = used > 0 ? tenantSite[t][s] / used : (double) fleet.siteGpus(s) / fleet.totalGpus();
        siteRevenue[s] += r * share;
      }
    }
    // costs per site
    List<SiteMoney> siteMoney = new java.util.ArrayList<>();
    double depreciation = 0;
    double power = 0;
    double opex = 0;
    double energy = 0;
    double capexTotal = 0;
    double busyPowerCostPerGpuHour = 0;
    for (int s = 0; s < sites; s++) {
      Site site = fleet.site(s);
      double gpuHours = fleet.siteGpus(s) * windowHours;
      double busyHours = siteGpuSeconds[s] / 3600.0;
      double mwh = wattsPerGpu[s] * (spec.idlePowerFraction() * gpuHours + (1 - spec.idlePowerFraction()) * busyHours)
          / 1e6 * site.pue();
      double powerUsd = mwh * site.electricityUsdPerMwh();
      double dep = depreciationPerYear[s] * windowYears;
      double op = capex[s] * spec.opexFractionPerYear() * windowYears;
      siteMoney.add(new SiteMoney(site.name(), capex[s], siteRevenue[s], dep, powerUsd, op, mwh,
          siteRevenue[s] - dep - powerUsd - op));
      depreciation += dep;
      power += powerUsd;
      opex += op;
      energy += mwh;
      capexTotal += capex[s];
      busyPowerCostPerGpuHour += wattsPerGpu[s] * (1 - spec.idlePowerFraction()) / 1e6 * site.pue()
          * site.electricityUsdPerMwh() * fleet.siteGpus(s);
    }
    busyPowerCostPerGpuHour /= fleet.totalGpus();
    double cost = depreciation + power + opex;
    double usedGpuHours = 0;
    for (double v : siteGpuSeconds) {
      usedGpuHours += v / 3600.0;
    }
    double capacityGpuHours = fleet.totalGpus() * windowHours;
    double utilization = capacityGpuHours > 0 ? usedGpuHours / capacityGpuHours : Double.NaN;
    double fixed = cost - busyPowerCostPerGpuHour * usedGpuHours;
    double blended = usedGpuHours > 0 ? revenue / usedGpuHours : Double.NaN;
    double breakEven = blended > busyPowerCostPerGpuHour
        ? fixed / (capacityGpuHours * (blended - busyPowerCostPerGpuHour)) : Double.NaN;
    double cashPerYear = windowYears > 0 ? (revenue - power - opex) / windowYears : Double.NaN;
    double payback = cashPerYear > 0 ? capexTotal / cashPerYear : Double.NaN;
    // quarters
    List<Quarter> quarterMoney = new java.util.ArrayList<>();
    for (int q = 0; q < quarters; q++) {
      double qSeconds = Math.min(usage.windowSeconds() - q * (365.0 * 86400 / 4), 365.0 * 86400 / 4);
      double qYears = qSeconds / (365.0 * 86400);
      double qRevenue = 0;
      for (int t = 0; t < tenants.size(); t++) {
        Contract c = tenants.get(t).contract();
        double billed = usage.billedBorrowedGpuSeconds(q, t, c.billsProviderDowntime());
        qRevenue += c.reservedGpus() * qSeconds / 3600.0 * c.reservedUsdPerGpuHour()
            + billed / 3600.0 * c.onDemandUsdPerGpuHour();
      }
      double qPower = 0;
      double qFixed = 0;
      for (int s = 0; s < sites; s++) {
        Site site = fleet.site(s);
        double busy = 0;
        for (int t = 0; t < tenants.size(); t++) {
          busy += usage.byQuarterTenantSite()[q][t][s] / 3600.0;
        }
        double gpuHours = fleet.siteGpus(s) * qSeconds / 3600.0;
        qPower += wattsPerGpu[s] * (spec.idlePowerFraction() * gpuHours + (1 - spec.idlePowerFraction()) * busy)
            / 1e6 * site.pue() * site.electricityUsdPerMwh();
        qFixed += fixedPerYear[s] * qYears;
      }
      double qCost = qFixed + qPower;
      quarterMoney.add(new Quarter(q, qSeconds / 86400.0, qRevenue, qCost, qPower, qRevenue - qCost));
    }
    return new Result(capexTotal, revenue, lostToFailures, cost, depreciation, power, opex, revenue - cost, energy, utilization,
        breakEven, payback, siteMoney, tenantMoney, quarterMoney);
  }
}
