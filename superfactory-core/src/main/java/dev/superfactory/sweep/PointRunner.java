package dev.superfactory.sweep;

import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sim.Simulation;
import dev.superfactory.sim.SimulationResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one point: its scenario through the simulation, its outputs measured. Pure: the same plan and point
 * give the same {@code result.json} (outside its {@code run} section) in any JVM, which is what lets the local
 * and Spark engines agree byte for byte. Cost: one simulation.
 */
public final class PointRunner {
  private PointRunner() {}

  /**
   * A point's outcome as text, ready to store or to send from a Spark executor to the driver.
   *
   * @param row the point's row
   * @param resultJson its {@code result.json}
   */
  public record PointResult(PointRow row, String resultJson) {}

  public static PointResult run(SweepPlan plan, SweepPoint p, String version) {
    Scenario s = plan.scenario(p);
    SimulationResult sim = new Simulation(s).run();
    RunResult result = RunResults.withRun(sim, version);
    Map<String, String> axes = new LinkedHashMap<>();
    for (int a = 0; a < plan.axes().size(); a++) {
      axes.put(plan.axes().get(a).written(), p.labels().get(a));
    }
    PointRow row = new PointRow(p.index(), p.id(), p.key(), axes, p.seed(),
        Outputs.measure(s, sim, result, plan.estimates()), result.run().wallSeconds(), result.run().peakHeapMiB());
    return new PointResult(row, ResultJson.pretty(result));
  }
}
