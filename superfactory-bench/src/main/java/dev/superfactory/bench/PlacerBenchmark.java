package dev.superfactory.bench;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.sched.Placer;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler's hot path: topology-aware placement of one gang on the fairwater fleet
 * (338,688 GPUs) kept about 80% full, then its release. Shapes: 1–8 GPUs (group = size),
 * 64–2,048 GPUs in groups of 8, and 8k–64k GPUs in groups of 8 that may span sites.
 *
 * <p>Run: {@code java -jar superfactory-bench/target/benchmarks.jar PlacerBenchmark}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PlacerBenchmark {
  @Param({"small", "medium", "large"})
  public String shape;

  private FleetState state;
  private Placer placer;
  private final PlacementPlan plan = new PlacementPlan();
  private final ArrayDeque<Allocation> fill = new ArrayDeque<>();
  private SplittableRandom random;

  @Setup(Level.Trial)
  public void setUp() {
    Scenario s = Presets.load("fairwater");
    state = new FleetState(s.fleet());
    placer = new Placer(state);
    random = new SplittableRandom(7);
    // fill to ~80% with mixed shapes, then free a random fifth of them to fragment the fleet
    while (state.freeGpus() > s.fleet().totalGpus() / 20) {
      int r = random.nextInt(100);
      int gpus = r < 70 ? 1 << random.nextInt(4) : r < 97 ? 64 << random.nextInt(6) : 8192 << random.nextInt(3);
      int group = Math.min(gpus, 8);
      if (!placer.plan(gpus, group, true, -1L, plan)) {
        break;
      }
      fill.add(state.allocate(plan));
    }
    int n = fill.size() / 5;
    for (int i = 0; i < n; i++) {
      Allocation a = fill.pollFirst();
      if (random.nextBoolean()) {
        state.release(a);
      } else {
        fill.addLast(a);
      }
    }
  }

  /** Place one gang of the benchmark's shape and release it: the cost of one job start and end. */
  @Benchmark
  public int placeAndRelease() {
    int gpus;
    switch (shape) {
      case "small":
        gpus = 1 << random.nextInt(4);
        break;
      case "medium":
        gpus = 64 << random.nextInt(6);
        break;
      default:
        gpus = 8192 << random.nextInt(3);
    }
    int group = Math.min(gpus, 8);
    if (!placer.plan(gpus, group, true, -1L, plan)) {
      return -1;
    }
    Allocation a = state.allocate(plan);
    state.release(a);
    return a.gpus();
  }
}
