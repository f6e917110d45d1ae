package dev.superfactory.forecast;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.sched.FairwaterBacklog;
import dev.superfactory.sched.PassWalks;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sched.SchedulerListener;
import java.util.Arrays;

/**
 * Wall times on fairwater with a full fleet and a large backlog (a measurement, not a test: run
 * with {@code java -cp ... dev.superfactory.forecast.ForecastTiming [pending] [draws] [horizon s]
 * [min step s] [resolution] [exit|whole] [compare]}): the fork, then the forecast with exact run
 * times only, with one draw and with {@code draws}, on the given pass grid (0 0: a pass per event),
 * the passes stopping early ({@code exit}) or walking the whole queue ({@code whole}); passes per
 * trajectory and ms per pass. With {@code compare}, the same forecast with a pass at every event
 * too, and how far the grid moved each start, relative to its lead time.
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
    long minStep = args.length > 3 ? Long.parseLong(args[3]) : Forecaster.Settings.DEFAULT_MIN_STEP_SECONDS;
    double resolution = args.length > 4 ? Double.parseDouble(args[4]) : Forecaster.Settings.DEFAULT_RESOLUTION;
    boolean whole = args.length > 5 && args[5].equals("whole");
    boolean compare = args.length > 6 && args[6].equals("compare");
    PassWalks.wholeQueue(whole);
    long t0 = System.nanoTime();
    Scheduler live = FairwaterBacklog.build(pending, QUIET, 1);
    System.out.printf("built: %d pending, %d running, %d of %d GPUs free, %.1f s%n", live.pendingCount(),
        live.runningCount(), live.fleetState().freeGpus(), live.fleetState().fleet().totalGpus(),
        (System.nanoTime() - t0) / 1e9);
    for (int i = 0; i < 3; i++) {
      long a = System.nanoTime();
      Scheduler fork = live.fork(QUIET);
      System.out.printf("fork %d: %.2f ms (%d slots)%n", i, (System.nanoTime() - a) / 1e6, fork.jobCapacity());
    }
    Scheduler snapshot = live.fork(QUIET);
    int threads = Runtime.getRuntime().availableProcessors();
    for (int d : new int[] {0, 1, draws}) {
      Forecaster.Settings settings = new Forecaster.Settings(horizon, minStep, d, 42, RunTimeDraw.DEFAULT,
          ReliabilitySpec.off(), threads, resolution);
      Forecaster forecaster = new Forecaster(settings);
      long a = System.nanoTime();
      Forecast f = forecaster.forecast(snapshot);
      double wall = (System.nanoTime() - a) / 1e9;
      long[] passes = forecaster.lastPassesByTrajectory();
      long[] nanos = forecaster.lastNanosByTrajectory();
      System.out.printf("grid %d s / %s, %s, exact + %d draws: %.2f s wall (%d threads), passes per trajectory %s,"
          + " ms per pass (fork included) %s; %d of %d start within %d h (exact)%n", minStep, resolution,
          whole ? "whole queue" : "early exit", d, wall, threads, Arrays.toString(passes), msPerPass(passes, nanos),
          started(f), f.size(), horizon / 3600);
      if (d > 1) {
        spread(f);
      }
      if (compare && d <= 1) {
        Forecaster fine = new Forecaster(settings.everyEvent());
        long b = System.nanoTime();
        Forecast g = fine.forecast(snapshot);
        System.out.printf("  every event: %.2f s wall, passes per trajectory %s%n", (System.nanoTime() - b) / 1e9,
            Arrays.toString(fine.lastPassesByTrajectory()));
        errors("  exact", f, g, true);
        if (d == 1) {
          errors("  draw", f, g, false);
        }
      }
    }
  }

  private static String msPerPass(long[] passes, long[] nanos) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < passes.length; i++) {
      out.append(i == 0 ? "" : ", ").append(String.format("%.2f", nanos[i] / 1e6 / Math.max(1, passes[i])));
    }
    return out.append(']').toString();
  }

  private static int started(Forecast f) {
    int n = 0;
    for (int i = 0; i < f.size(); i++) {
      n += f.start(i).exactSeconds() != Forecast.NONE ? 1 : 0;
    }
    return n;
  }

  /** How far the grid's starts are from the every-event ones, over jobs started in both, ÷ the every-event lead time. */
  private static void errors(String what, Forecast grid, Forecast fine, boolean exact) {
    double[] rel = new double[fine.size()];
    int n = 0;
    int later = 0;
    int earlier = 0;
    for (int i = 0; i < fine.size(); i++) {
      long a = exact ? grid.start(i).exactSeconds() : grid.start(i).p50Seconds();
      long b = exact ? fine.start(i).exactSeconds() : fine.start(i).p50Seconds();
      if (a != Forecast.NONE && b != Forecast.NONE) {
        rel[n++] = Math.abs(a - b) / (double) Math.max(60, b - fine.fromSeconds());
        later += a > b ? 1 : 0;
        earlier += a < b ? 1 : 0;
      }
    }
    double[] r = Arrays.copyOf(rel, n);
    Arrays.sort(r);
    System.out.printf("%s: %d jobs started in both; |grid − every event| ÷ lead: median %.4f, p90 %.4f, p99 %.4f, max %.4f;"
        + " %d later, %d earlier%n", what, n, q(r, 0.5), q(r, 0.9), q(r, 0.99), n == 0 ? 0 : r[n - 1], later, earlier);
  }

  /** The forecast's own spread over its draws: (p90 − p50) and |p50 − exact|, each ÷ the p50's lead time. */
  private static void spread(Forecast f) {
    double[] p90 = new double[f.size()];
    double[] exact = new double[f.size()];
    int n = 0;
    int m = 0;
    for (int i = 0; i < f.size(); i++) {
      Forecast.Start s = f.start(i);
      if (s.p50Seconds() != Forecast.NONE) {
        double lead = Math.max(60, s.p50Seconds() - f.fromSeconds());
        if (s.p90Seconds() != Forecast.NONE) {
          p90[n++] = (s.p90Seconds() - s.p50Seconds()) / lead;
        }
        if (s.exactSeconds() != Forecast.NONE) {
          exact[m++] = Math.abs(s.exactSeconds() - s.p50Seconds()) / lead;
        }
      }
    }
    double[] a = Arrays.copyOf(p90, n);
    double[] b = Arrays.copyOf(exact, m);
    Arrays.sort(a);
    Arrays.sort(b);
    System.out.printf("  the draws' own spread ÷ the p50's lead: (p90 − p50) median %.4f, p90 %.4f over %d jobs;"
        + " |exact − p50| median %.4f, p90 %.4f over %d jobs%n", q(a, 0.5), q(a, 0.9), n, q(b, 0.5), q(b, 0.9), m);
  }

  private static double q(double[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }
}
