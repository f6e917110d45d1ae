package dev.superfactory.sched;

import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import java.util.SplittableRandom;

/**
 * The fairwater preset's fleet (338,688 GPUs), tenants and policy, filled: jobs of 8 to 4,608
 * GPUs in tensor-parallel groups of 8, declaring 1 hour to 4 days, are submitted until the fleet
 * is full and {@code pending} jobs wait. For the fork and forecast timings.
 */
public final class FairwaterBacklog {
  private FairwaterBacklog() {}

  private static final int[] SIZES = {8, 16, 32, 72, 144, 288, 576, 1152, 2304, 4608};

  public static Scheduler build(int pending, SchedulerListener listener, long seed) {
    Scenario s = Presets.load("fairwater");
    Scheduler k = new Scheduler(s.fleet(), s.tenants(), s.scheduler().newPolicy(null),
        new Scheduler.Options(false, s.scheduler().siteChoice()), listener);
    SplittableRandom r = new SplittableRandom(seed);
    long id = 0;
    long t = 0;
    while (k.pendingCount() < pending) {
      int batch = Math.min(10_000, pending - k.pendingCount());
      for (int i = 0; i < batch; i++) {
        int gpus = SIZES[r.nextInt(SIZES.length)];
        long declared = 3_600L * (1 + r.nextInt(96));
        k.submit(id++, new JobRequest(r.nextInt(k.tenantCount()), gpus, 8, false, declared), t);
      }
      k.schedule(t);
      t += 60;
    }
    return k;
  }
}
