package dev.superfactory.bench;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.FleetState;
import dev.superfactory.fleet.PlacementPlan;
import dev.superfactory.input.YamlDocuments;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import dev.superfactory.sched.WholeDomainPlanner;
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
 * The fleet model at 1,000,000 GPUs: how long a scenario takes to load and validate into a
 * {@link FleetState}, and how fast gangs are allocated and released on a fleet kept ~75% full.
 *
 * <p>Run: {@code java -jar superfactory-bench/target/benchmarks.jar FleetBenchmark}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FleetBenchmark {
  @Param({"nvl72", "hgx"})
  public String shape;

  private String yaml;
  private FleetState state;
  private WholeDomainPlanner planner;
  private final PlacementPlan plan = new PlacementPlan();
  private final ArrayDeque<Allocation> held = new ArrayDeque<>();
  private SplittableRandom random;

  @Setup(Level.Trial)
  public void setUp() {
    yaml = MillionGpuScenarios.yaml(shape);
    Scenario s = ScenarioReader.read(YamlDocuments.parse(yaml, "bench.yaml"), "bench.yaml");
    state = new FleetState(s.fleet());
    planner = new WholeDomainPlanner(state);
    random = new SplittableRandom(42);
    // fill to ~75% with a mix of job shapes, the steady state of a busy fleet
    while (state.freeGpus() > s.fleet().totalGpus() / 4) {
      if (!allocateOne()) {
        break;
      }
    }
  }

  /** Parse, validate and index a 1M-GPU scenario: the cost of starting any run. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public FleetState loadMillionGpuScenario() {
    Scenario s = ScenarioReader.read(YamlDocuments.parse(yaml, "bench.yaml"), "bench.yaml");
    return new FleetState(s.fleet());
  }

  /** One allocation (mixed shapes: 80% 1–8 GPUs, 18% 2–32 whole domains, 2% 64–1,024 domains) plus one release. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int allocateAndRelease() {
    allocateOne();
    Allocation a = held.pollFirst();
    state.release(a);
    return state.freeGpus();
  }

  private boolean allocateOne() {
    plan.clear();
    int r = random.nextInt(100);
    boolean ok;
    if (r < 80) {
      ok = planner.planInOneDomain(-1, 1 << random.nextInt(4), plan);
    } else if (r < 98) {
      ok = planner.planWholeDomains(2 + random.nextInt(31), -1, false, plan);
    } else {
      ok = planner.planWholeDomains(64 + random.nextInt(961), -1, true, plan);
    }
    if (!ok) {
      plan.clear();
      ok = planner.planInOneDomain(-1, 1, plan);
    }
    if (ok) {
      held.addLast(state.allocate(plan));
    }
    return ok;
  }
}
