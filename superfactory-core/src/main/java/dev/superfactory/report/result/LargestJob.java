package dev.superfactory.report.result;

import java.util.Map;

/**
 * One of {@code largestJobs}: the jobs with the most GPUs that ran in the window, largest first.
 * Times are hours from the start of the window (negative: during the warm-up).
 *
 * @param endHours NaN while still running at the end
 * @param runHours until its end or the end of the window
 * @param gpusBySite GPUs per site, for the sites it ran on
 */
public record LargestJob(
    String id,
    String tenant,
    int gpus,
    double submitHours,
    double startHours,
    double endHours,
    double waitHours,
    double runHours,
    Map<String, Integer> gpusBySite) {
  public LargestJob {
    gpusBySite = Immutable.map(gpusBySite);
  }
}
