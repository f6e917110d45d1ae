package dev.superfactory.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The peak heap in use while something runs: a daemon thread sums the used bytes of the heap
 * memory pools every 5 ms and keeps the maximum, so the figure is what the run needed at its
 * fullest (garbage included), whatever {@code -Xmx} allows. It reads the whole JVM's heap, so runs
 * that overlap (as under {@code compare}) each see the others' objects too. Cost: one thread, and
 * a few microseconds of pool reads every 5 ms. {@link #start(LongSupplier)} samples another figure the same way
 * (the sweep's local engine: what one point keeps).
 *
 * <pre>{@code
 * try (HeapSampler heap = HeapSampler.start()) {
 *   work();
 *   long peak = heap.stop();
 * }
 * }</pre>
 */
public final class HeapSampler implements AutoCloseable {
  private static final long PERIOD_MILLIS = 5;

  private final LongSupplier measure;
  private final Thread thread;
  private volatile boolean done;
  private volatile long peak;

  private HeapSampler(LongSupplier measure) {
    this.measure = measure;
    this.thread = new Thread(this::sample, "heap-sampler");
    thread.setDaemon(true);
  }

  /** A sampler of the heap in use, already sampling. */
  static HeapSampler start() {
    List<MemoryPoolMXBean> pools =
        ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    return start(() -> {
      long sum = 0;
      for (MemoryPoolMXBean pool : pools) {
        sum += pool.getUsage().getUsed();
      }
      return sum;
    });
  }

  /** A sampler of {@code measure} (bytes), already sampling. */
  public static HeapSampler start(LongSupplier measure) {
    HeapSampler sampler = new HeapSampler(measure);
    sampler.peak = measure.getAsLong();
    sampler.thread.start();
    return sampler;
  }

  /** Stops sampling (if still sampling) and returns the peak of the figure sampled, in bytes. */
  public long stop() {
    if (!done) {
      done = true;
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      peak = Math.max(peak, measure.getAsLong());
    }
    return peak;
  }

  @Override
  public void close() {
    stop();
  }

  private void sample() {
    while (!done) {
      peak = Math.max(peak, measure.getAsLong());
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
