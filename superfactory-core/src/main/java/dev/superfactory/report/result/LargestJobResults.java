package dev.superfactory.report.result;

import static dev.superfactory.report.result.Window.round;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.Jobs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@code largestJobs}, and picks the largest jobs for {@code reliability.largeJobs} too. Cost: O(jobs · k). */
final class LargestJobResults {
  static final int LARGEST_JOBS = 50;

  private LargestJobResults() {}

  static List<LargestJob> from(SimulationResult r) {
    List<LargestJob> rows = new ArrayList<>();
    for (int j : largest(r, LARGEST_JOBS)) {
      rows.add(job(r, j));
    }
    return rows;
  }

  private static LargestJob job(SimulationResult r, int j) {
    Jobs jobs = r.jobs();
    Window w = Window.of(r.scenario());
    Fleet fleet = r.scenario().fleet();
    Map<String, Integer> bySite = new LinkedHashMap<>();
    for (int s = 0; s < fleet.siteCount(); s++) {
      int g = jobs.gpusOnSite(j, s);
      if (g > 0) {
        bySite.put(fleet.site(s).name(), g);
      }
    }
    double end = jobs.end(j) >= 0 ? round((jobs.end(j) - w.start()) / 3600.0, 4) : Double.NaN;
    return new LargestJob(jobs.name(j), r.tenants().get(jobs.tenant(j)).name(), jobs.gpus(j),
        round((jobs.submit(j) - w.start()) / 3600.0, 4), round((jobs.start(j) - w.start()) / 3600.0, 4), end,
        round((jobs.start(j) - jobs.submit(j)) / 3600.0, 4), round((w.endOr(jobs, j) - jobs.start(j)) / 3600.0, 4),
        bySite);
  }

  /**
   * The k jobs with the most GPUs that ran in the measured window, largest first (ties: earlier
   * id). A bounded insertion, O(jobs · k).
   */
  static int[] largest(SimulationResult r, int k) {
    Jobs jobs = r.jobs();
    long w = r.scenario().effectiveWarmupSeconds();
    int[] top = new int[k];
    int count = 0;
    for (int j = 0; j < jobs.size(); j++) {
      if (jobs.start(j) < 0 || (jobs.end(j) >= 0 && jobs.end(j) <= w)) {
        continue; // never ran in the measured window
      }
      if (count < k) {
        top[count++] = j;
      } else if (jobs.gpus(j) > jobs.gpus(top[count - 1])) {
        top[count - 1] = j;
      } else {
        continue;
      }
      for (int i = count - 1; i > 0 && jobs.gpus(top[i]) > jobs.gpus(top[i - 1]); i--) {
        int tmp = top[i];
        top[i] = top[i - 1];
        top[i - 1] = tmp;
      }
    }
    return Arrays.copyOf(top, count);
  }
}
