package dev.superfactory.sweep;

import dev.superfactory.report.result.EconomicsSummary;
import dev.superfactory.report.result.Reliability;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.JobOutcomes;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.sim.TrainingTimes;
import dev.superfactory.workload.Jobs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The figures a sweep reports for every point: the planner's main outputs of a run, plus the sweep's own
 * {@code estimates}. One line per output, so a new one is a one-line change. Cost per point: O(jobs) for the
 * cross-site goodput, one performance-model search per estimate; the rest reads the run's result.
 */
public final class Outputs {
  private Outputs() {}

  /**
   * One output.
   *
   * @param key the name in sweep.json, sweep.csv and {@code --objective}
   * @param title a chart's heading
   * @param unit what a value is in ({@code fraction}, {@code hours}, {@code USD}, ...)
   * @param higherIsBetter which way the best lies
   */
  public record Output(String key, String title, String unit, boolean higherIsBetter) {}

  /**
   * A training run timed by the performance model on each point's fleet ({@link TrainingTimes#acrossFleet}).
   *
   * @param name the output key
   * @param model a model of the scenario's catalog
   * @param gpus GPUs, spread over every site
   * @param tokens tokens to train on
   */
  public record Estimate(String name, String model, int gpus, double tokens) {}

  private record Measure(Output output, ToDoubleFunction<Run> value) {}

  private record Run(SimulationResult sim, RunResult result) {}

  private static final List<Measure> MEASURES = List.of(
      m("util", "GPU utilization", "fraction", true, r -> r.result.utilization().allocated()),
      m("useful-util", "Useful utilization", "fraction", true, r -> r.result.utilization().useful()),
      m("gpu-wait-mean", "Mean wait per GPU", "hours", false, r -> r.result.gpuWeightedWait().meanHours()),
      m("gpu-wait-p95", "p95 wait per GPU", "hours", false, r -> r.result.gpuWeightedWait().p95Hours()),
      m("slowdown", "GPU-weighted mean slowdown", "ratio", false, r -> r.result.slowdown().gpuWeightedMean()),
      m("goodput", "Goodput", "fraction", true, r -> reliability(r.result, Reliability::goodput)),
      m("cross-site-goodput", "Goodput of cross-site jobs", "fraction", true, Outputs::crossSiteGoodput),
      m("cross-site-jobs", "Jobs run across sites", "jobs", true, r -> r.result.jobs().crossSite()),
      m("completed", "Jobs completed", "jobs", true, r -> r.result.jobs().completed()),
      m("pending", "Jobs pending at the end", "jobs", false, r -> r.result.jobs().pendingAtEnd()),
      m("preemptions", "Preemptions", "jobs", false, r -> r.result.preemptions()),
      m("fairness", "Jain's fairness index", "index", true, r -> r.result.fairness()),
      m("revenue", "Revenue", "USD", true, r -> economics(r.result, EconomicsSummary::revenueUsd)),
      m("margin", "Margin", "USD", true, r -> economics(r.result, EconomicsSummary::marginUsd)),
      m("payback", "Payback", "years", false, r -> economics(r.result, EconomicsSummary::paybackYears)));

  private static Measure m(String key, String title, String unit, boolean higher, ToDoubleFunction<Run> value) {
    return new Measure(new Output(key, title, unit, higher), value);
  }

  /** The outputs of a sweep with these estimates, in column order. */
  public static List<Output> all(List<Estimate> estimates) {
    List<Output> out = new ArrayList<>();
    MEASURES.forEach(m -> out.add(m.output()));
    for (Estimate e : estimates) {
      out.add(new Output(e.name(), e.model() + " on " + e.gpus() + " GPUs, all sites", "days", false));
    }
    return out;
  }

  /** A value as the console prints it: as sweep.html does ({@link SweepUnits}), {@code -} for none. */
  public static String format(Output o, double v) {
    return Double.isNaN(v) ? "-" : SweepUnits.value(o.unit(), v);
  }

  /** A confidence interval's half-width as the console and the page print it: {@code ±1.20%}. */
  public static String plusMinus(Output o, double half) {
    return SweepUnits.plusMinus(o.unit(), half);
  }

  /** The built-in output keys (what an estimate may not be named). */
  static List<String> builtInKeys() {
    return MEASURES.stream().map(m -> m.output().key()).toList();
  }

  /** Every output of one run; NaN where the run has none (no failures simulated: no goodput). */
  public static Map<String, Double> measure(Scenario scenario, SimulationResult sim, RunResult result,
      List<Estimate> estimates) {
    Run run = new Run(sim, result);
    Map<String, Double> out = new LinkedHashMap<>();
    for (Measure m : MEASURES) {
      out.put(m.output().key(), m.value().applyAsDouble(run));
    }
    for (Estimate e : estimates) {
      out.put(e.name(), TrainingTimes.acrossFleet(scenario, e.model(), e.tokens(), e.gpus()) / 86400.0);
    }
    return out;
  }

  private static double reliability(RunResult r, ToDoubleFunction<Reliability> f) {
    return r.reliability() == null || !r.reliability().enabled() ? Double.NaN : f.applyAsDouble(r.reliability());
  }

  private static double economics(RunResult r, ToDoubleFunction<EconomicsSummary> f) {
    return r.economics() == null ? Double.NaN : f.applyAsDouble(r.economics());
  }

  /**
   * Useful ÷ allocated GPU-seconds over the jobs that ran on more than one site and were running in the
   * measured window (their whole runs, as {@code reliability.largeJobs} counts them); NaN when none did
   * or failures are off. O(jobs).
   */
  private static double crossSiteGoodput(Run r) {
    if (r.result.reliability() == null || !r.result.reliability().enabled()) {
      return Double.NaN;
    }
    Jobs jobs = r.sim.jobs();
    JobOutcomes outcomes = r.sim.outcomes();
    long warmup = r.sim.scenario().effectiveWarmupSeconds();
    double allocated = 0;
    double lost = 0;
    for (int j = 0; j < jobs.size(); j++) {
      if (jobs.start(j) < 0 || jobs.siteCount(j) < 2 || (jobs.end(j) >= 0 && jobs.end(j) <= warmup)) {
        continue;
      }
      allocated += jobs.gpus(j) * outcomes.allocatedSeconds(j);
      lost += jobs.gpus(j) * outcomes.lostSeconds(j);
    }
    return allocated > 0 ? 1 - lost / allocated : Double.NaN;
  }
}
