package dev.superfactory.sweep;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import dev.superfactory.sim.HeapSampler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a sweep's points in this JVM, one simulation per thread, as many threads as there are cores, the user
 * asks for, or fit in the heap, whichever is fewest.
 *
 * <p>The heap rule: the first point runs alone while a sampler reads what it keeps (the heap outside eden, and the
 * heap left after each collection: its jobs, fleet state, metrics, not its garbage); the peak growth is the
 * per-point need {@code E}
 * (at least {@value #MIN_POINT_MIB} MiB). At most {@code floor(0.7 × max heap ÷ E)} points then run at once,
 * leaving 30% to the young generation's churn. Asked for more with {@code --parallel}, the engine runs that
 * many and says why. Each finished point is stored at once ({@link PointStore}), so a sweep killed at any
 * moment loses only the points it was running. Cost: one simulation per point; the main thread stores results.
 */
public final class LocalEngine implements SweepEngine {
  static final int MIN_POINT_MIB = 64;
  static final double HEAP_SHARE = 0.7;

  @Override
  public String name() {
    return "local";
  }

  @Override
  public List<PointRow> run(SweepPlan plan, List<SweepPoint> todo, Path out, Options options,
      SweepProgress progress) {
    String version = options.version();
    int cores = Runtime.getRuntime().availableProcessors();
    int wanted = options.parallel() > 0 ? options.parallel() : cores;
    List<PointRow> rows = new ArrayList<>();
    if (todo.isEmpty()) {
      return rows;
    }
    int index = 0;
    if (wanted > 1 && todo.size() > 1) {
      // the first point alone: its heap sets how many fit
      HeapSampler peak = keptHeap();
      PointRunner.PointResult first = PointRunner.run(plan, todo.get(0), version);
      long grown = Math.max(0, peak.stop());
      store(out, first, rows, progress);
      index = 1;
      int fit = fit(Runtime.getRuntime().maxMemory(), grown);
      String asked = options.parallel() > 0 ? "--parallel " + options.parallel() : cores + " cores";
      progress.note(String.format(Locale.ROOT, "a point keeps %.0f MiB of heap (measured on %s); %d fit in %.0f%% of"
          + " the %.1f GiB heap; %s: running %d at a time%s", grown / 1048576.0, todo.get(0).id(), fit,
          HEAP_SHARE * 100, Runtime.getRuntime().maxMemory() / 1073741824.0, asked, Math.min(wanted, fit),
          fit < wanted ? " (more heap: SUPERFACTORY_JAVA_OPTS=-Xmx...)" : ""));
      wanted = Math.min(wanted, fit);
    }
    int threads = Math.min(wanted, todo.size() - index);
    if (threads <= 1) {
      for (int i = index; i < todo.size(); i++) {
        store(out, PointRunner.run(plan, todo.get(i), version), rows, progress);
      }
      return rows;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "sweep-point");
      t.setDaemon(true);
      return t;
    });
    CompletionService<PointRunner.PointResult> done = new ExecutorCompletionService<>(pool);
    try {
      for (int i = index; i < todo.size(); i++) {
        SweepPoint p = todo.get(i);
        done.submit(() -> PointRunner.run(plan, p, version));
      }
      for (int i = index; i < todo.size(); i++) {
        store(out, done.take().get(), rows, progress);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      // a point failed: keep the points that finished meanwhile, so a rerun need not run them again
      Throwable cause = e.getCause();
      RuntimeException failure = cause instanceof RuntimeException ? (RuntimeException) cause
          : new IllegalStateException(cause);
      try {
        storeFinished(done, out, rows, progress);
      } catch (RuntimeException storing) {
        failure.addSuppressed(storing); // the point's failure is the one to report
      }
      throw failure;
    } finally {
      pool.shutdownNow();
    }
    return rows;
  }

  /**
   * How many points fit at once in a heap of {@code maxHeap} bytes when one keeps {@code perPoint} bytes (at
   * least {@value #MIN_POINT_MIB} MiB is assumed): {@code floor(0.7 × maxHeap ÷ perPoint)}, at least 1.
   */
  static int fit(long maxHeap, long perPoint) {
    long need = Math.max(perPoint, (long) MIN_POINT_MIB << 20);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) Math.floor(HEAP_SHARE * maxHeap / need)));
  }

  /** Stores the points that have finished by now; those still running are left to the pool's shutdown. */
  private static void storeFinished(CompletionService<PointRunner.PointResult> done, Path out, List<PointRow> rows,
      SweepProgress progress) {
    Future<PointRunner.PointResult> f;
    while ((f = done.poll()) != null) {
      try {
        store(out, f.get(), rows, progress);
      } catch (ExecutionException | java.util.concurrent.CancellationException e) {
        // another failed point: the first failure is the one reported
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void store(Path out, PointRunner.PointResult r, List<PointRow> rows, SweepProgress progress) {
    PointStore.write(out, r);
    rows.add(r.row());
    progress.done(r.row());
  }

  /** Bytes in use in the heap pools outside the young generation's eden. */
  static long retainedHeap() {
    long used = 0;
    for (MemoryPoolMXBean p : heapPools()) {
      if (!p.getName().contains("Eden")) {
        used += p.getUsage().getUsed();
      }
    }
    return used;
  }

  /** Bytes the heap held after its last collection: the live data then. */
  static long liveAfterLastGc() {
    long used = 0;
    for (MemoryPoolMXBean p : heapPools()) {
      java.lang.management.MemoryUsage u = p.getCollectionUsage();
      used += u == null ? 0 : u.getUsed();
    }
    return used;
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
  }

  /**
   * A sampler of what a point keeps while it runs: the larger of the growth of the heap outside eden (what was
   * promoted or allocated old) and the growth of the heap after a collection (live data wherever it sits), over
   * their values when the point started. Garbage is not counted.
   */
  private static HeapSampler keptHeap() {
    long retainedAtStart = retainedHeap();
    long liveAtStart = liveAfterLastGc();
    return HeapSampler.start(() -> Math.max(retainedHeap() - retainedAtStart, liveAfterLastGc() - liveAtStart));
  }
}
