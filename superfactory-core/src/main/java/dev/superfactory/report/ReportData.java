package dev.superfactory.report;

import dev.superfactory.report.result.LargestJob;
import dev.superfactory.report.result.Reliability;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.Samples;
import dev.superfactory.report.result.TenantSummary;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What every section of the HTML report shares: the result, the tenant, site and failure-cause
 * palettes (colors assigned in the order the result names them, wherever it names them) and the
 * time axis. Built once per render in O(names); lookups are the result's map lookups, O(1).
 */
final class ReportData {
  private final RunResult result;
  private final Palette tenants;
  private final Palette sites;
  private final Palette causes;
  private final TimeAxis time;

  ReportData(RunResult result) {
    this.result = result;
    this.tenants = Palette.assign(tenantNames(result), Palette.TENANT_COLORS);
    this.sites = Palette.assign(siteNames(result), Palette.SITE_COLORS);
    this.causes = Palette.assign(causeNames(result.reliability()), Palette.CAUSE_COLORS);
    this.time = new TimeAxis(0, windowHours(result));
  }

  RunResult result() {
    return result;
  }

  Palette tenants() {
    return tenants;
  }

  Palette sites() {
    return sites;
  }

  /** Failure causes in the order the result lists them. */
  Palette causes() {
    return causes;
  }

  TimeAxis time() {
    return time;
  }

  /** True when the result has a reliability section that says failures were simulated. */
  boolean failuresSimulated() {
    return result.failuresSimulated();
  }

  /** The tenant's display name from {@code tenants}, else its name. */
  String tenantLabel(String name) {
    for (TenantSummary t : result.tenants()) {
      if (name.equals(t.name())) {
        return t.label();
      }
    }
    return name;
  }

  /** The value under {@code key}; NaN when there is none (a name one part of the result lacks). */
  static double value(Map<String, ? extends Number> map, String key) {
    Number v = map.get(key);
    return v == null ? Double.NaN : v.doubleValue();
  }

  private static Set<String> tenantNames(RunResult r) {
    Set<String> names = new LinkedHashSet<>();
    r.tenants().forEach(t -> names.add(t.name()));
    names.addAll(r.utilization().byTenant().keySet());
    names.addAll(r.timeseries().byTenant().keySet());
    names.addAll(r.waitCdf().byTenant().keySet());
    r.largestJobs().forEach(j -> names.add(j.tenant()));
    if (r.reliability() != null) {
      names.addAll(r.reliability().goodputByTenant().keySet());
      r.reliability().largeJobs().forEach(j -> names.add(j.tenant()));
    }
    names.remove(null);
    return names;
  }

  private static Set<String> causeNames(Reliability r) {
    Set<String> names = new LinkedHashSet<>();
    if (r != null) {
      names.addAll(r.interruptionsByCause().keySet());
      names.addAll(r.failureEventsByCause().keySet());
      names.addAll(r.lostGpuHoursByCause().keySet());
      names.addAll(r.timeline().byCause().keySet());
    }
    return names;
  }

  private static Set<String> siteNames(RunResult r) {
    Set<String> names = new LinkedHashSet<>();
    r.fleet().sites().forEach(s -> names.add(s.name()));
    names.addAll(r.utilization().bySite().keySet());
    names.addAll(r.timeseries().bySite().keySet());
    r.largestJobs().forEach(j -> names.addAll(j.gpusBySite().keySet()));
    names.remove(null);
    return names;
  }

  /** The window length: the scenario horizon, else the last sample time, else the latest job time, else a day. */
  private static double windowHours(RunResult r) {
    double horizon = r.scenario().horizonDays() * 24;
    if (horizon > 0) {
      return horizon;
    }
    double latest = 0;
    Samples hours = r.timeseries().hours();
    for (int i = 0; i < hours.size(); i++) {
      latest = hours.get(i) > latest ? hours.get(i) : latest;
    }
    for (LargestJob j : r.largestJobs()) {
      for (double h : new double[] {j.submitHours(), j.startHours(), j.endHours()}) {
        latest = h > latest ? h : latest;
      }
    }
    return latest > 0 ? latest : 24;
  }
}
