package dev.superfactory.sim;

import dev.superfactory.econ.Economics;
import dev.superfactory.metrics.ReliabilityMetrics;
import dev.superfactory.metrics.RunMetrics;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import java.util.List;
import java.util.Map;

/**
 * What a run produced: the scenario as run, the jobs with their start and end times, the
 * metrics, the state at the end, and how the run itself went.
 *
 * @param scenario the scenario, with command-line overrides applied
 * @param tenants tenants as run (a trace may add some)
 * @param jobs every job, with {@code start}/{@code end} (-1 = not reached)
 * @param metrics measured values
 * @param reliability failures and goodput
 * @param outcomes per-job interruptions and goodput
 * @param runningAtEnd jobs still running at the horizon
 * @param pendingAtEnd jobs still queued at the horizon
 * @param pendingReasons why the queued jobs wait, by reason
 * @param preemptions running jobs preempted (reclaimed reservations, priority, LAS)
 * @param economics money over the measured window
 * @param events events processed
 * @param wallSeconds wall-clock time of the run
 * @param peakHeapBytes peak heap in use during the run ({@link HeapSampler}: the whole JVM's heap)
 */
public record SimulationResult(
    Scenario scenario,
    List<Tenant> tenants,
    Jobs jobs,
    RunMetrics metrics,
    ReliabilityMetrics reliability,
    JobOutcomes outcomes,
    int runningAtEnd,
    int pendingAtEnd,
    Map<PendingReason, Integer> pendingReasons,
    long preemptions,
    Economics.Result economics,
    long events,
    double wallSeconds,
    long peakHeapBytes) {
  /** This result with the peak heap measured around the run. */
  SimulationResult withPeakHeapBytes(long bytes) {
    return new SimulationResult(scenario, tenants, jobs, metrics, reliability, outcomes, runningAtEnd, pendingAtEnd,
        pendingReasons, preemptions, economics, events, wallSeconds, bytes);
  }
}
