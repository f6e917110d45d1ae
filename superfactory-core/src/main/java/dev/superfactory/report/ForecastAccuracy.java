package dev.superfactory.report;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.forecast.Forecast;
import dev.superfactory.forecast.Forecaster;
import dev.superfactory.forecast.ReservationPlan;
import dev.superfactory.forecast.RunTimeDraw;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.sched.SchedulerListener;
import dev.superfactory.sim.Simulation;
import dev.superfactory.sim.Workload;
import dev.superfactory.workload.Jobs;
import dev.superfactory.workload.Tenant;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.List;

/**
 * How good the start-time forecasts are, measured in the twin (issue 13, item 2): a scenario runs
 * for its horizon (the measured window after its warm-up) plus a tail as long as the forecast
 * horizon, so that jobs pending late in the window can still start; at every sample time in the
 * window ({@link Simulation#sample}) each pending job gets the forecast ({@link Forecaster}: the
 * start with exact run times, p50 and p90 over the draws) and the baseline ({@link
 * ReservationPlan}, as {@code squeue --start}); after the run each is compared with the job's
 * actual start (its first start after the sample; a listener records them).
 *
 * <p>Per job-size bucket ({@link #BUCKETS}) and overall, for the forecast's p50, its exact-run-time
 * start and the baseline: the median absolute error of the start (hours), the share within a
 * factor of 2 of the actual wait (predicted wait / actual wait in [0.5, 2], waits from the sample
 * time, each counted as at least 60 s: so a start within the minute of a zero wait counts as
 * right), and how often the actual start is at or before the bound (the p90 for the forecast, the
 * start itself for the exact forecast and the baseline). A prediction of no start within the
 * forecast horizon counts as a start at the horizon's end for the error and the ratio, and as a
 * bound that always holds. Jobs not started by the end of the run are counted and left out of
 * every figure. Deterministic for a scenario and settings (the draws are seeded per sample).
 *
 * <p>Cost: the run, plus per sample one kernel fork, one forecast (draws + 1 trajectories, see
 * {@link Forecaster}) and one plan (see {@link ReservationPlan}); memory 48 bytes per prediction.
 */
public final class ForecastAccuracy {
  /** Waits shorter than this count as this (a pass-interval's worth), so a zero wait has a ratio. */
  public static final long MIN_WAIT_SECONDS = 60;

  /** Job sizes compared apart: 1–8 GPUs (a server), 9–64, 65–512, more. */
  public static final List<Bucket> BUCKETS = List.of(new Bucket("1-8", 1, 8), new Bucket("9-64", 9, 64),
      new Bucket("65-512", 65, 512), new Bucket(">512", 513, Integer.MAX_VALUE));

  /**
   * @param sampleEverySeconds simulated time between samples
   * @param draws forecast draws (p50 and p90 over them)
   * @param forecastHorizonSeconds how far ahead each forecast looks; also the run's tail after the window
   * @param passIntervalSeconds the forecaster's pass grid (0: every event, as the twin)
   * @param runTimes how the draws draw run times from the declared ones; null: fitted to the jobs
   *     submitted in the warm-up ({@link #fittedRunTimes}), as a live control plane would fit it to
   *     the jobs it has seen finish
   * @param seed seeds the forecasts' draws (mixed with each sample's time)
   * @param threads forecast trajectories run at once
   * @param passResolution 0: passes as {@code passIntervalSeconds} says; more: the forecaster's pass
   *     grid grows with lead time ({@link dev.superfactory.forecast.PassGrid}), as a live control
   *     plane's forecasts run to be fast
   */
  public record Settings(long sampleEverySeconds, int draws, long forecastHorizonSeconds, long passIntervalSeconds,
      RunTimeDraw runTimes, long seed, int threads, double passResolution) {
    public Settings(long sampleEverySeconds, int draws, long forecastHorizonSeconds, long passIntervalSeconds,
        RunTimeDraw runTimes, long seed, int threads) {
      this(sampleEverySeconds, draws, forecastHorizonSeconds, passIntervalSeconds, runTimes, seed, threads, 0);
    }

    public Settings {
      if (sampleEverySeconds <= 0 || draws < 0 || forecastHorizonSeconds <= 0 || passIntervalSeconds < 0
          || threads < 1) {
        throw new IllegalArgumentException(String.format("sampleEverySeconds=%d and forecastHorizonSeconds=%d must"
            + " be > 0, draws=%d and passIntervalSeconds=%d >= 0, threads=%d >= 1", sampleEverySeconds,
            forecastHorizonSeconds, draws, passIntervalSeconds, threads));
      }
    }

    public Settings withRunTimes(RunTimeDraw draw) {
      return new Settings(sampleEverySeconds, draws, forecastHorizonSeconds, passIntervalSeconds, draw, seed,
          threads, passResolution);
    }

    public Settings withSeed(long newSeed) {
      return new Settings(sampleEverySeconds, draws, forecastHorizonSeconds, passIntervalSeconds, runTimes, newSeed,
          threads, passResolution);
    }
  }

  /** Jobs of {@code minGpus} to {@code maxGpus} GPUs. */
  public record Bucket(String name, int minGpus, int maxGpus) {
    boolean holds(int gpus) {
      return gpus >= minGpus && gpus <= maxGpus;
    }
  }

  /** What is compared with the actual start. */
  public enum Method {
    FORECAST_P50("forecast p50", "p90"), FORECAST_EXACT("forecast exact", "itself"), BASELINE("baseline", "itself");

    private final String label;
    private final String bound;

    Method(String label, String bound) {
      this.label = label;
      this.bound = bound;
    }

    public String label() {
      return label;
    }

    /** What the bound column compares the actual start with. */
    public String bound() {
      return bound;
    }
  }

  /**
   * One bucket's figures for one method.
   *
   * @param predictions (job, sample) pairs whose job started by the end of the run
   * @param jobs distinct jobs among them
   * @param notStarted (job, sample) pairs whose job had not started by the end (left out)
   * @param beyondHorizon predictions of no start within the forecast horizon
   * @param medianAbsErrorHours median |predicted start − actual start|, hours (NaN without predictions)
   * @param withinFactorTwo share of predicted waits within a factor of 2 of the actual wait
   * @param boundHeld share of actual starts at or before the bound ({@link Method#bound})
   */
  public record Row(String bucket, String method, long predictions, long jobs, long notStarted, long beyondHorizon,
      double medianAbsErrorHours, double withinFactorTwo, double boundHeld) {}

  /** The experiment's figures, rows by bucket ({@link #BUCKETS} then "all") and method. */
  public record Result(String scenario, long seed, double windowDays, long sampleEverySeconds, int draws,
      RunTimeDraw runTimes, boolean failuresDrawn, long forecastHorizonSeconds, int samples, List<Row> rows,
      double runSeconds, double forecastSeconds, double baselineSeconds, Detail detail) {}

  /** Every (job, sample) prediction with the actual start, to look into one: {@link #writeCsv}. */
  public static final class Detail {
    private final Jobs jobs;
    private final Predictions predictions;
    private final long[] actual;

    Detail(Jobs jobs, Predictions predictions, long[] actual) {
      this.jobs = jobs;
      this.predictions = predictions;
      this.actual = actual;
    }

    public int size() {
      return actual.length;
    }

    /**
     * One line per prediction, kernel seconds: job, GPUs, sample time, the forecast's exact, p50
     * and p90 starts, the baseline's, the actual ("none": no start within the horizon, or not
     * started by the end of the run). O(predictions).
     */
    public void writeCsv(java.io.Writer out) throws java.io.IOException {
      out.write("job,gpus,sample_s,exact_s,p50_s,p90_s,baseline_s,actual_s\n");
      StringBuilder line = new StringBuilder(96);
      for (int i = 0; i < actual.length; i++) {
        int j = (int) predictions.job.getLong(i);
        line.setLength(0);
        line.append(j).append(',').append(jobs.gpus(j)).append(',').append(predictions.at.getLong(i));
        for (long t : new long[] {predictions.exact.getLong(i), predictions.p50.getLong(i),
            predictions.p90.getLong(i), predictions.baseline.getLong(i)}) {
          line.append(',').append(t == Forecast.NONE ? "none" : Long.toString(t));
        }
        line.append(',').append(actual[i] < 0 ? "none" : Long.toString(actual[i])).append('\n');
        out.write(line.toString());
      }
    }
  }

  private ForecastAccuracy() {}

  /** Runs {@code scenario} with samples as {@code settings} says and compares. */
  public static Result measure(Scenario scenario, Settings settings) {
    Scenario extended = scenario.withHorizonSeconds(scenario.horizonSeconds() + settings.forecastHorizonSeconds());
    return measure(scenario, Workload.of(extended), settings);
  }

  /** As {@link #measure(Scenario, Settings)} with the given jobs and tenants (their outcome columns are reset). */
  public static Result measure(Scenario scenario, Workload workload, Settings settings) {
    Settings s = settings.runTimes() != null ? settings
        : settings.withRunTimes(fittedRunTimes(workload.jobs(), scenario.effectiveWarmupSeconds()));
    return new Experiment(scenario, workload, s).run();
  }

  /**
   * The run-time draw that fits the jobs submitted before {@code beforeSeconds} (all jobs if fewer
   * than 100 were): the share that ran at least their declared time, and for the others the
   * shortest factor whose uniform [factor, 1) has their mean actual ÷ declared (factor = 2 · mean
   * − 1, at least 0.01). The synthetic generator declares exact run times: {@link RunTimeDraw#EXACT}.
   * O(jobs).
   */
  public static RunTimeDraw fittedRunTimes(Jobs jobs, long beforeSeconds) {
    int n = 0;
    for (int j = 0; j < jobs.size() && jobs.submit(j) < beforeSeconds; j++) {
      n++;
    }
    if (n < 100) {
      n = jobs.size();
    }
    int atLimit = 0;
    double earlySum = 0;
    for (int j = 0; j < n; j++) {
      double f = (double) jobs.durationSeconds(j) / jobs.expectedSeconds(j);
      if (f >= 1) {
        atLimit++;
      } else {
        earlySum += f;
      }
    }
    if (n == 0 || atLimit == n) {
      return RunTimeDraw.EXACT;
    }
    double mean = earlySum / (n - atLimit);
    return new RunTimeDraw((double) atLimit / n, Math.max(0.01, Math.min(1, 2 * mean - 1)));
  }

  /** One measurement: the run, its samples, and the starts. */
  private static final class Experiment implements Simulation.Sampler, SchedulerListener {
    private final Scenario scenario;
    private final Settings settings;
    private final long windowEnd;
    private final Scenario extended;
    private final Workload workload;
    private final Predictions predictions = new Predictions();
    private final Int2ObjectOpenHashMap<LongArrayList> starts = new Int2ObjectOpenHashMap<>();
    private int samples;
    private long forecastNanos;
    private long baselineNanos;

    Experiment(Scenario scenario, Workload workload, Settings settings) {
      this.scenario = scenario;
      this.settings = settings;
      this.windowEnd = scenario.effectiveWarmupSeconds() + scenario.horizonSeconds();
      this.extended = scenario.withHorizonSeconds(scenario.horizonSeconds() + settings.forecastHorizonSeconds());
      this.workload = workload;
    }

    Result run() {
      long wall = System.nanoTime();
      new Simulation(extended).watch(this).sample(settings.sampleEverySeconds(), windowEnd, this)
          .run(workload.jobs(), new ArrayList<>(workload.tenants()));
      double runSeconds = (System.nanoTime() - wall) / 1e9;
      AccuracyTally tally = new AccuracyTally(workload.jobs(), predictions, starts, settings.forecastHorizonSeconds());
      List<Row> rows = tally.rows();
      return new Result(scenario.name(), settings.seed(), scenario.horizonSeconds() / 86_400.0,
          settings.sampleEverySeconds(), settings.draws(), settings.runTimes(), scenario.reliability().active(),
          settings.forecastHorizonSeconds(), samples, rows,
          runSeconds, forecastNanos / 1e9, baselineNanos / 1e9,
          new Detail(workload.jobs(), predictions, tally.actual()));
    }

    @Override
    public void started(long job, Allocation allocation, long now) {
      starts.computeIfAbsent((int) job, j -> new LongArrayList(1)).add(now);
    }

    @Override
    public void sample(long atSeconds, Scheduler fork) {
      samples++;
      long t0 = System.nanoTime();
      Forecast f = new Forecaster(new Forecaster.Settings(settings.forecastHorizonSeconds(),
          settings.passIntervalSeconds(), settings.draws(), settings.seed() * 31 + atSeconds, settings.runTimes(),
          scenario.reliability(), settings.threads(), settings.passResolution())).forecast(fork);
      long t1 = System.nanoTime();
      Long2LongOpenHashMap base = ReservationPlan.startsOf(fork, atSeconds,
          atSeconds + settings.forecastHorizonSeconds(), this::shape);
      baselineNanos += System.nanoTime() - t1;
      forecastNanos += t1 - t0;
      for (int i = 0; i < f.size(); i++) {
        Forecast.Start s = f.start(i);
        predictions.add((int) f.job(i), atSeconds, notBefore(s.exactSeconds(), atSeconds),
            notBefore(s.p50Seconds(), atSeconds), notBefore(s.p90Seconds(), atSeconds),
            base.get(f.job(i)));
      }
    }

    /** The fork's clock is the latest event at or before the sample: a forecast start before the sample means at it. */
    private static long notBefore(long start, long atSeconds) {
      return Math.max(start, atSeconds);
    }

    private ReservationPlan.Shape shape(long job) {
      Jobs jobs = workload.jobs();
      int j = (int) job;
      Tenant tenant = workload.tenants().get(jobs.tenant(j));
      return new ReservationPlan.Shape(jobs.gpus(j), tenant.contract().siteMask(), jobs.spanSites(j),
          jobs.expectedSeconds(j));
    }
  }

  /** Every (job, sample) prediction, as parallel primitive columns. */
  static final class Predictions {
    final LongArrayList job = new LongArrayList();
    final LongArrayList at = new LongArrayList();
    final LongArrayList exact = new LongArrayList();
    final LongArrayList p50 = new LongArrayList();
    final LongArrayList p90 = new LongArrayList();
    final LongArrayList baseline = new LongArrayList();

    void add(int j, long atSeconds, long exactStart, long p50Start, long p90Start, long baselineStart) {
      job.add(j);
      at.add(atSeconds);
      exact.add(exactStart);
      p50.add(p50Start);
      p90.add(p90Start);
      baseline.add(baselineStart);
    }

    int size() {
      return job.size();
    }

    long predicted(Method m, int i) {
      return switch (m) {
        case FORECAST_P50 -> p50.getLong(i);
        case FORECAST_EXACT -> exact.getLong(i);
        case BASELINE -> baseline.getLong(i);
      };
    }

    long bound(Method m, int i) {
      return m == Method.FORECAST_P50 ? p90.getLong(i) : predicted(m, i);
    }
  }
}
