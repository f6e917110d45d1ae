package dev.superfactory.sim;

import dev.superfactory.scenario.Scenario;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The simulator benchmark behind {@code superfactory bench}: one year of a scenario at a given
 * job count, timed end to end (workload generation plus simulation), with the peak heap in use.
 *
 * <p>Peak heap: a sampler thread reads the used heap every 5 ms and keeps the maximum, so the
 * figure is what the run needed at its fullest (garbage included), whatever {@code -Xmx} allows.
 */
public final class Benchmark {
  /** One measured run. */
  public record Run(long jobs, double wallSeconds, long events, double eventsPerSecond, double peakHeapMiB) {}

  private Benchmark() {}

  /** Runs {@code scenario} (its horizon, no warm-up) with about {@code jobs} synthetic jobs. */
  public static Run run(Scenario scenario, long jobs) {
    Scenario s = scenario.withWarmupSeconds(0).withWorkload(scenario.workload().withJobCount(jobs));
    System.gc();
    HeapSampler sampler = new HeapSampler();
    sampler.start();
    long t0 = System.nanoTime();
    Workload generated = Workload.of(s);
    SimulationResult r = new Simulation(s).run(generated.jobs(), generated.tenants());
    double wall = (System.nanoTime() - t0) / 1e9;
    long peak = sampler.finish();
    return new Run(generated.jobs().size(), wall, r.events(), r.events() / wall, peak / 1048576.0);
  }

  /** Samples the used heap until {@link #finish}. */
  static final class HeapSampler extends Thread {
    private volatile boolean done;
    private long peak;

    HeapSampler() {
      super("heap-sampler");
      setDaemon(true);
    }

    static long usedHeap() {
      long sum = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          sum += pool.getUsage().getUsed();
        }
      }
      return sum;
    }

    @Override
    public void run() {
      while (!done) {
        peak = Math.max(peak, usedHeap());
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long finish() {
      done = true;
      try {
        join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Math.max(peak, usedHeap());
    }
  }
}
