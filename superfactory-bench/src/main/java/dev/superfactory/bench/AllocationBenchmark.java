package dev.superfactory.bench;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.Placer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The failure-repair path of a frontier gang: a 100,000-GPU gang in groups of 8 on the fairwater
 * fleet's NVL72 racks (≈ 1,389 domains, nearly all held whole) gets one failed rack replaced by a
 * healthy one with {@link Allocation#substitute}, as {@code AllocationRepair} does. The fleet
 * state is not touched by the measured call, so every call does the same work.
 *
 * <p>Run: {@code java -jar superfactory-bench/target/benchmarks.jar AllocationBenchmark}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AllocationBenchmark {
  private Fleet fleet;
  private Allocation gang;
  private Allocation replacement;
  private int[] failedRack;

  @Setup(Level.Trial)
  public void setUp() {
    Scenario s = Presets.load("fairwater");
    fleet = s.fleet();
    FleetState state = new FleetState(fleet);
    Placer placer = new Placer(state);
    PlacementPlan plan = new PlacementPlan();
    if (!placer.plan(100_000, 8, true, -1L, plan)) {
      throw new IllegalStateException("no room for a 100,000-GPU gang on " + fleet.totalGpus() + " GPUs");
    }
    gang = state.allocate(plan);
    int middle = gang.domainCount() / 2;
    failedRack = new int[] {middle};
    plan.clear();
    if (!placer.plan(gang.gpusInDomain(middle), 8, true, -1L, plan)) {
      throw new IllegalStateException("no room for a replacement rack");
    }
    replacement = state.allocate(plan);
  }

  /** One failed rack of the gang swapped for a healthy one: the allocation a repair builds. */
  @Benchmark
  public Allocation substituteOneRack() {
    return gang.substitute(fleet, failedRack, replacement);
  }
}
