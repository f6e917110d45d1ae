package dev.superfactory.bench;

import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.perf.Estimate;
import dev.superfactory.perf.Hardware;
import dev.superfactory.perf.ModelCatalog;
import dev.superfactory.perf.ModelSpec;
import dev.superfactory.perf.Parallelism;
import dev.superfactory.perf.PerfModel;
import dev.superfactory.perf.Recompute;
import dev.superfactory.perf.TrainingSetup;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The performance model as the simulator uses it: one estimate of a fixed layout, and a full
 * layout search for a job of 100,000 GB200 GPUs (dense Llama 3 405B and the DeepSeek-V3-class MoE).
 *
 * <p>Run: {@code java -jar superfactory-bench/target/benchmarks.jar PerfBenchmark}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PerfBenchmark {
  @Param({"llama3-405b", "deepseek-v3"})
  public String model;

  private final PerfModel perf = new PerfModel();
  private ModelSpec spec;
  private TrainingSetup setup;
  private Hardware hardware;
  private Parallelism layout;

  @Setup
  public void setUp() {
    spec = ModelCatalog.get(model);
    setup = TrainingSetup.defaults(spec).withRecompute(Recompute.SELECTIVE);
    hardware = Hardware.defaults(GpuCatalog.builtIn().get("gb200"));
    layout = spec.isMoe() ? Parallelism.of(1, 8, 64, 1, 64) : Parallelism.of(8, 8, 64, 1, 1);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Estimate estimate() {
    return perf.estimate(spec, setup, hardware, layout);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Estimate> search100kGpus() {
    return perf.search(spec, setup, hardware, 100_000, 5);
  }
}
