package dev.superfactory.forecast;

import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.sched.FairwaterBacklog;
import dev.superfactory.fleet.Allocation;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sched.SchedulerListener;

/**
 * Wall times on fairwater with a full fleet and a large backlog (a measurement, not a test: run
 * with {@code java -cp ... dev.superfactory.forecast.ForecastTiming [pending] [draws]}): the
 * fork, then the forecast with exact run times only and with draws.
 */
public final class ForecastTiming {
  private ForecastTiming() {}

  private static final SchedulerListener QUIET = new SchedulerListener() {
    @Override
    public boolean wantsDeferrals() {
      return false;
    }

    @Override
    public void started(long job, Allocation allocation, long now) {}
  };

  public static void main(String[] args) {
    int pending = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int draws = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    long horizon = args.length > 2 ? Long.parseLong(args[2]) : 7 * 86_400L;
    long t0 = System.nanoTime();
    Scheduler live = FairwaterBacklog.build(pending, QUIET, 1);
    System.out.printf("built: %d pending, %d running, %d of %d GPUs free, %.1f s%n", live.pendingCount(),
        live.runningCount(), live.fleetState().freeGpus(), live.fleetState().fleet().totalGpus(),
        (System.nanoTime() - t0) / 1e9);
    for (int i = 0; i < 5; i++) {
      long a = System.nanoTime();
      Scheduler fork = live.fork(QUIET);
      System.out.printf("fork %d: %.2f ms (%d slots)%n", i, (System.nanoTime() - a) / 1e6, fork.jobCapacity());
    }
    Scheduler snapshot = live.fork(QUIET);
    long interval = args.length > 3 ? Long.parseLong(args[3]) : 0;
    for (int d : new int[] {0, 1, draws}) {
      long a = System.nanoTime();
      Forecaster forecaster = new Forecaster(new Forecaster.Settings(horizon, interval, d, 42, RunTimeDraw.DEFAULT,
          ReliabilitySpec.off(), Runtime.getRuntime().availableProcessors()));
      Forecast f = forecaster.forecast(snapshot);
      int started = 0;
      for (int i = 0; i < f.size(); i++) {
        started += f.start(i).exactSeconds() != Forecast.NONE ? 1 : 0;
      }
      System.out.printf("forecast, pass interval %d s, exact + %d draws: %.2f s, %d passes; %d of %d start within %d h"
          + " (exact)%n", interval, d, (System.nanoTime() - a) / 1e9, forecaster.lastPasses(), started, f.size(),
          horizon / 3600);
    }
  }
}
