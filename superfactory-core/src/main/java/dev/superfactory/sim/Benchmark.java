package dev.superfactory.sim;

import dev.superfactory.scenario.Scenario;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The simulator benchmark behind {@code superfactory bench}: one year of a scenario at a given
 * job count, timed end to end (workload generation plus simulation), with the peak heap in use.
 * Besides wall time it reports the CPU time of the thread that ran it: on a shared machine wall
 * time also counts other processes and stolen cycles, while the thread's CPU time counts only
 * its own work (not the garbage collector's or the JIT compiler's threads).
 *
 * <p>Peak heap: {@link HeapSampler} over generation, and the simulation's own sample, so the figure
 * is what the whole run needed at its fullest (garbage included), whatever {@code -Xmx} allows.
 */
public final class Benchmark {
  /** One measured run. */
  public record Run(long jobs, double wallSeconds, double cpuSeconds, long events, double eventsPerSecond,
      double peakHeapMiB) {}

  private Benchmark() {}

  /** Runs {@code scenario} (its horizon, no warm-up) with about {@code jobs} synthetic jobs. */
  public static Run run(Scenario scenario, long jobs) {
    Scenario s = scenario.withWarmupSeconds(0).withWorkload(scenario.workload().withJobCount(jobs));
    System.gc();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    Workload generated;
    long generationPeak;
    try (HeapSampler heap = HeapSampler.start()) {
      generated = Workload.of(s);
      generationPeak = heap.stop();
    }
    SimulationResult r = new Simulation(s).run(generated.jobs(), generated.tenants()); // samples its own peak
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    double peakMiB = Math.max(generationPeak, r.peakHeapBytes()) / 1048576.0;
    return new Run(generated.jobs().size(), wall, cpu, r.events(), r.events() / wall, peakMiB);
  }
}
