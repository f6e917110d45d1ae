package dev.superfactory.report.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * {@code scenario}: what was run.
 *
 * @param source where the scenario came from (a file, a preset, a trace)
 * @param horizonDays the measured window
 * @param warmupDays simulated before the window, not measured
 * @param policy the scheduling policy; absent in a comparison, whose rows name their own
 * @param siteChoice the rule that picks a site for a gang several sites could hold
 *     ({@code best-fit}, {@code least-loaded}); absent in results written before it was reported
 * @param workload {@code synthetic}, or the replayed trace
 * @param offeredLoad the synthetic workload's target load; absent (null) for a trace
 * @param demandedLoad GPU-hours asked for by the jobs submitted in the window ÷ GPU-hours available
 * @param sampleIntervalHours the time series' sampling interval
 */
public record ScenarioInfo(
    String name,
    String source,
    long seed,
    double horizonDays,
    double warmupDays,
    @JsonInclude(Include.NON_NULL) String policy,
    @JsonInclude(Include.NON_NULL) String siteChoice,
    String workload,
    @JsonInclude(Include.NON_NULL) Double offeredLoad,
    double demandedLoad,
    double sampleIntervalHours) {
  /** This scenario without its policy, as a comparison of policies states it. */
  public ScenarioInfo withoutPolicy() {
    return new ScenarioInfo(name, source, seed, horizonDays, warmupDays, null, siteChoice, workload, offeredLoad,
        demandedLoad,
        sampleIntervalHours);
  }
}
