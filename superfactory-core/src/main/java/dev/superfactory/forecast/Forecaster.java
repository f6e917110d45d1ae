package dev.superfactory.forecast;

import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.sched.Scheduler;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Forecasts when each pending job will start, by fast-forwarding forks of the kernel with the
 * real policy and no arrivals ({@link Trajectory}): once with every job running exactly its
 * declared time (the start the twin would give), then {@code draws} times with run times drawn
 * below the declared limits ({@link RunTimeDraw}) and, when the reliability model is on,
 * failures drawn as the twin draws them and charged as it charges them ({@link CheckpointedRuns}:
 * detection, restart, work since the last checkpoint, checkpoint writes); p50 and p90 per job over
 * the draws.
 *
 * <p>Threads: {@link #forecast} only reads its snapshot (each trajectory runs on its own fork of
 * it), so a caller forks the live kernel on the kernel's thread ({@link Scheduler#fork}, O(state))
 * and calls this on another; the trajectories run in parallel on {@code threads} threads.
 *
 * <p>Passes: at every event ({@code passIntervalSeconds} 0, {@code passResolution} 0: the twin's
 * start), or on a {@link PassGrid} whose step grows with the lead time, max(passIntervalSeconds,
 * passResolution × (t − from)): each pass is then at most that step after the event that called
 * for it, for far fewer passes (on fairwater with 100,000 pending, a pass per event is ≈ 17,700 a
 * week with drawn run times, the 60 s / 2% grid ≈ 210). The price is accuracy, and it is larger
 * than the step: freed GPUs idle until the next tick, delays add up along chains of starts, and
 * fewer jobs start within the horizon (see {@link PassGrid} and the README's figures).
 *
 * <p>Cost: draws + 1 trajectories, each O(passes · pending) in the worst case, each pass walking
 * the queue until nothing more can start in it ({@link Scheduler#forkForForecast}). Measured on
 * fairwater full with 100,000 pending jobs, a 7-day horizon, 2 cores ({@code ForecastTiming} in
 * the tests): see the README ("Forking the kernel, and forecasting start times").
 */
public final class Forecaster {
  /**
   * @param horizonSeconds how far past the fork starts are forecast (later: {@link Forecast#NONE})
   * @param passIntervalSeconds 0: a pass at every event time, as the twin runs them (the forecast
   *     is the twin's start); more: passes on that grid only, as a live scheduler paced by its pass
   *     interval runs them (fewer passes, so faster; starts land on the grid)
   * @param draws trajectories with drawn run times (and failures), for p50 and p90; 0: exact only
   * @param seed seeds every draw: the same seed and snapshot give the same forecast
   * @param runTimes how actual run times are drawn from declared ones
   * @param reliability failures drawn in the draws, when active (the scenario's model)
   * @param threads trajectories run at once
   * @param passResolution 0: passes as {@code passIntervalSeconds} says; more, in [0, 1): the pass
   *     step grows with the lead time, max(passIntervalSeconds, passResolution × (t − from))
   *     ({@link PassGrid}): a start is late by at most that step, for far fewer passes
   * @param runTimeScale jobs run their (drawn) run time divided by this: 1 for real executors; a
   *     live control plane whose simulated agents run jobs {@code X} times faster ({@code serve
   *     --time-scale X}) forecasts with X, so its forecasts match what its agents do
   */
  public record Settings(long horizonSeconds, long passIntervalSeconds, int draws, long seed, RunTimeDraw runTimes, ReliabilitySpec reliability,
      int threads, double passResolution, double runTimeScale) {
    /** The default pass grid's shortest step: a minute, about a live pass interval. */
    public static final long DEFAULT_MIN_STEP_SECONDS = 60;
    /** The default pass grid's growth: a start is late by at most 2% of its lead time (or a minute). */
    public static final double DEFAULT_RESOLUTION = 0.02;

    public Settings {
      if (horizonSeconds <= 0 || passIntervalSeconds < 0 || draws < 0 || threads < 1
          || !(passResolution >= 0 && passResolution < 1) || !(runTimeScale > 0) || Double.isInfinite(runTimeScale)) {
        throw new IllegalArgumentException(String.format(
            "horizonSeconds=%d must be > 0, passIntervalSeconds=%d >= 0, draws=%d >= 0, threads=%d >= 1,"
                + " passResolution=%s in [0, 1), runTimeScale=%s > 0", horizonSeconds, passIntervalSeconds, draws, threads,
            passResolution, runTimeScale));
      }
      Objects.requireNonNull(runTimes, "runTimes");
      Objects.requireNonNull(reliability, "reliability");
    }

    /** Passes at every event ({@code passIntervalSeconds} 0) or on a fixed grid: no growth with lead time. */
    public Settings(long horizonSeconds, long passIntervalSeconds, int draws, long seed, RunTimeDraw runTimes,
        ReliabilitySpec reliability, int threads) {
      this(horizonSeconds, passIntervalSeconds, draws, seed, runTimes, reliability, threads, 0);
    }

    /** As the canonical constructor, with jobs running their real run times ({@code runTimeScale} 1). */
    public Settings(long horizonSeconds, long passIntervalSeconds, int draws, long seed, RunTimeDraw runTimes,
        ReliabilitySpec reliability, int threads, double passResolution) {
      this(horizonSeconds, passIntervalSeconds, draws, seed, runTimes, reliability, threads, passResolution, 1);
    }

    /**
     * A week ahead, passes on the 60 s / 2% grid, 8 draws, the default run-time draw, no failures,
     * one thread per core: ≈ 1.4–1.8 s for 100,000 pending jobs on fairwater on 2 cores, at the
     * accuracy cost the README measures ({@link #everyEvent} for the twin's own passes).
     */
    public static Settings defaults(long seed) {
      return new Settings(7 * 86_400L, DEFAULT_MIN_STEP_SECONDS, 8, seed, RunTimeDraw.DEFAULT, ReliabilitySpec.off(),
          Runtime.getRuntime().availableProcessors(), DEFAULT_RESOLUTION);
    }

    /** These settings with passes at every event (the twin's starts, as many passes as events). */
    public Settings everyEvent() {
      return new Settings(horizonSeconds, 0, draws, seed, runTimes, reliability, threads, 0, runTimeScale);
    }
  }

  private final Settings settings;
  private volatile long lastPasses;
  private volatile long[] lastPassesByTrajectory = new long[0];
  private volatile long[] lastNanosByTrajectory = new long[0];

  public Forecaster(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Forecasts the pending jobs of {@code snapshot}, a fork no one else drives (it is only read). */
  public Forecast forecast(Scheduler snapshot) {
    LongArrayList pending = new LongArrayList(snapshot.pendingCount());
    snapshot.forEachPending(pending::add);
    long[] jobs = pending.toLongArray();
    Long2IntOpenHashMap index = new Long2IntOpenHashMap(jobs.length);
    for (int i = 0; i < jobs.length; i++) {
      index.put(jobs[i], i);
    }
    long from = snapshot.now();
    long horizonEnd = from > Long.MAX_VALUE - settings.horizonSeconds() ? Long.MAX_VALUE - 1
        : from + settings.horizonSeconds();
    long[][] preempted = new long[2][];
    long[][] starts = runAll(snapshot, index, horizonEnd, preempted);
    long[] exact = starts[0];
    long[] p50 = exact;
    long[] p90 = exact;
    if (settings.draws() > 0) {
      p50 = new long[jobs.length];
      p90 = new long[jobs.length];
      percentiles(starts, p50, p90);
    }
    return new Forecast(from, horizonEnd, jobs, index, exact, p50, p90, settings.draws(), preempted[0], preempted[1]);
  }

  /** Trajectory 0 with exact run times, then the draws, in parallel. */
  private long[][] runAll(Scheduler snapshot, Long2IntOpenHashMap index, long horizonEnd, long[][] preemptedExact) {
    long[][] starts = new long[settings.draws() + 1][];
    long[] passes = new long[starts.length];
    long[] nanos = new long[starts.length];
    ForkJoinPool pool = new ForkJoinPool(settings.threads());
    try {
      pool.submit(() -> IntStream.range(0, starts.length).parallel()
          .forEach(d -> {
            long began = System.nanoTime();
            Trajectory t = trajectory(snapshot, index, d);
            starts[d] = t.run(horizonEnd,
                new PassGrid(snapshot.now(), settings.passIntervalSeconds(), settings.passResolution()));
            passes[d] = t.passes();
            if (d == 0) {
              preemptedExact[0] = t.preemptions();
              preemptedExact[1] = t.preemptionTimes();
            }
            nanos[d] = System.nanoTime() - began;
          })).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("forecast interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("forecast failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow(); // interrupted: the trajectories still running stop at their next blocking point, or run out
    }
    lastPasses = Arrays.stream(passes).sum();
    lastPassesByTrajectory = passes;
    lastNanosByTrajectory = nanos;
    return starts;
  }

  /** Passes run by the latest {@link #forecast}, over all its trajectories: where its time goes. */
  public long lastPasses() {
    return lastPasses;
  }

  /** Passes run by each trajectory of the latest {@link #forecast}: [0] the exact one, then each draw. */
  public long[] lastPassesByTrajectory() {
    return lastPassesByTrajectory.clone();
  }

  /** Wall nanoseconds of each trajectory of the latest {@link #forecast} (its fork included), as {@link #lastPassesByTrajectory}. */
  public long[] lastNanosByTrajectory() {
    return lastNanosByTrajectory.clone();
  }

  private Trajectory trajectory(Scheduler snapshot, Long2IntOpenHashMap index, int draw) {
    if (draw == 0) {
      return new Trajectory(snapshot, index, new Drawn(RunTimeDraw.EXACT, 0, 0, settings.runTimeScale()),
          ReliabilitySpec.off(), 0);
    }
    long seed = Drawn.mix(settings.seed(), draw, 0x5eed);
    return new Trajectory(snapshot, index, new Drawn(settings.runTimes(), settings.seed(), draw, settings.runTimeScale()), settings.reliability(),
        seed);
  }

  /** Nearest-rank p50 and p90 per job over draws 1.. of {@code starts}. O(jobs · draws log draws). */
  private static void percentiles(long[][] starts, long[] p50, long[] p90) {
    int n = starts.length - 1;
    long[] column = new long[n];
    int r50 = (int) Math.ceil(0.5 * n) - 1;
    int r90 = (int) Math.ceil(0.9 * n) - 1;
    for (int i = 0; i < p50.length; i++) {
      for (int d = 0; d < n; d++) {
        column[d] = starts[d + 1][i];
      }
      Arrays.sort(column);
      p50[i] = column[r50];
      p90[i] = column[r90];
    }
  }

  /** Run times drawn per (seed, draw, job) by hashing: the same whatever order jobs start in. */
  private record Drawn(RunTimeDraw draw, long seed, int index, double scale) implements Trajectory.RunTimes {
    @Override
    public long pendingSeconds(long job, long declaredSeconds) {
      return runningSeconds(job, declaredSeconds, 0);
    }

    /** The drawn share of the declared time, divided by the scale: at least a second, and what it has run. */
    @Override
    public long runningSeconds(long job, long declaredSeconds, long elapsedSeconds) {
      double atLeast = declaredSeconds > 0 ? elapsedSeconds * scale / declaredSeconds : 1;
      double f = draw.factor(uniform(job, 1), uniform(job, 2), atLeast);
      long seconds = scale == 1 ? Math.round(declaredSeconds * f) : Math.max(1, Math.round(declaredSeconds * f / scale));
      return Math.max(elapsedSeconds, seconds);
    }

    private double uniform(long job, int which) {
      return (mix(seed, index, job * 4 + which) >>> 11) * 0x1.0p-53;
    }

    /** A 64-bit mix of three numbers (SplitMix64's finaliser over their combination). */
    static long mix(long a, long b, long c) {
      long z = a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL + c * 0x165667B19E3779F9L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }
}
