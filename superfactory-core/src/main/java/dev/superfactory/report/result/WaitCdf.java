package dev.superfactory.report.result;

import java.util.Map;

/**
 * {@code waitCdf}: the share of jobs that started within each wait in {@code hours}, for all jobs
 * and per tenant (NaN where a tenant had no jobs).
 */
public record WaitCdf(Samples hours, Samples all, Map<String, Samples> byTenant) {
  public WaitCdf {
    hours = Samples.orEmpty(hours);
    all = Samples.orEmpty(all);
    byTenant = Immutable.map(byTenant);
  }
}
