package dev.superfactory.report.result;

import java.util.Map;

/**
 * {@code jobs}: how many jobs did what in the measured window.
 *
 * @param carriedOver jobs running or queued when the window opened (submitted during the warm-up)
 * @param pendingReasons why the jobs still queued at the end wait, by reason ({@code tenant-limit}, …)
 * @param crossSite jobs that ran across sites in the window
 * @param crossSiteGpuHours their GPU-hours in the window
 * @param unservedGpuHours GPU-hours asked for by the window's jobs that never started (pending at
 *     the end or rejected): their GPUs × run time
 */
public record JobCounts(
    long carriedOver,
    long submitted,
    long started,
    long completed,
    long runningAtEnd,
    long pendingAtEnd,
    long rejected,
    Map<String, Long> pendingReasons,
    long crossSite,
    double crossSiteGpuHours,
    double unservedGpuHours) {
  public JobCounts {
    pendingReasons = Immutable.map(pendingReasons);
  }
}
