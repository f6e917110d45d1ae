package dev.superfactory.report.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * {@code timeseries}: one sample per interval at {@code hours} from the start of the window.
 * Fractions ({@code allocated}, per site of the site's GPUs, per tenant of the fleet's, {@code
 * healthy}) have five decimals; the queue and running jobs are counts. A year of hourly samples is
 * 8,760 per series.
 *
 * @param bySite GPUs allocated per site; absent from the file when the fleet has no site
 * @param byTenant the fleet's GPUs allocated to each tenant; absent from the file when there is no tenant
 * @param healthy the share of the fleet's GPUs in service
 * @param pendingGpusByReason GPUs asked for by pending jobs at each sample, by the kernel's
 *     pending reason ({@code tenant-limit}, {@code no-capacity}, …)
 */
public record Timeseries(
    Samples hours,
    Samples allocated,
    @JsonInclude(Include.NON_EMPTY) Map<String, Samples> bySite,
    @JsonInclude(Include.NON_EMPTY) Map<String, Samples> byTenant,
    Counts pendingJobs,
    Counts pendingGpus,
    Counts runningJobs,
    Samples healthy,
    @JsonInclude(Include.NON_EMPTY) Map<String, Counts> pendingGpusByReason) {
  public Timeseries {
    hours = Samples.orEmpty(hours);
    allocated = Samples.orEmpty(allocated);
    bySite = Immutable.map(bySite);
    byTenant = Immutable.map(byTenant);
    pendingJobs = Counts.orEmpty(pendingJobs);
    pendingGpus = Counts.orEmpty(pendingGpus);
    runningJobs = Counts.orEmpty(runningJobs);
    healthy = Samples.orEmpty(healthy);
    pendingGpusByReason = Immutable.map(pendingGpusByReason);
  }
}
