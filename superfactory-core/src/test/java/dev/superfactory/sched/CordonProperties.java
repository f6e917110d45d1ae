package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.workload.Tenant;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random mixes of submits, finishes, cancels, cordons, uncordons, drains, failures, repairs and
 * software crashes (each interrupted job recovered at once, as the live service does) on small
 * fleets, with hot spares or not. After every command: the kernel's invariants hold; a GPU is out
 * of service exactly when a cordon, a drain or a failure covers it (a model kept by the test); no
 * GPU a job did not hold before the command is cordoned (no start, repair or spare swap lands on
 * one); a job that restarts holds no cordoned GPU (not even one it held); and a cordon interrupts
 * nobody and moves no GPU.
 */
class CordonProperties {
  /** kind: 0 submit, 1 finish, 2 cancel, 3 cordon, 4 uncordon, 5 drain, 6 restore, 7 fail GPUs, 8 repair, 9 crash. */
  record Op(int kind, int a, int b) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 1 << 20),
        Arbitraries.integers().between(1, 40)).as(Op::new).list().ofMaxSize(80);
  }

  @Provide
  Arbitrary<Fleet> fleets() {
    return Arbitraries.of(Fleets.uniform(2, 3, 8), Fleets.sites(2, 1, 3, 8), Fleets.mixed());
  }

  @Property(tries = 400)
  void cordonedGpusTakeNoNewJobAndACordonInterruptsNobody(@ForAll("fleets") Fleet fleet, @ForAll("ops") List<Op> ops,
      @ForAll boolean spares) {
    new Run(fleet, spares).apply(ops);
  }

  /** One random history and the test's own model of why each GPU is out of service. */
  private static final class Run {
    private final Fleet fleet;
    private final Scheduler kernel;
    private final boolean[] cordoned;
    private final int[] otherOutages; // drains and failures per GPU
    private final IntOpenHashSet drained = new IntOpenHashSet(); // domains
    private final List<int[]> failures = new java.util.ArrayList<>();
    private final Long2ObjectOpenHashMap<Allocation> before = new Long2ObjectOpenHashMap<>();
    private long nextJob;
    private long t;

    Run(Fleet fleet, boolean spares) {
      this.fleet = fleet;
      this.kernel = new Scheduler(fleet, List.of(new Tenant("a", "A", fleet.totalGpus()), new Tenant("b", "B", 40)),
          QueuePolicies.create("fifo-backfill", null), new Scheduler.Options(false), new SchedulerListener() {
            @Override
            public void started(long job, Allocation a, long now) {}

            @Override
            public void restarted(long job, Allocation was, Allocation after, long now) {
              after.forEachGpu(fleet, g -> assertThat(cordoned[g]).as("job %d restarts on cordoned GPU %d", job, g)
                  .isFalse());
            }
          });
      this.cordoned = new boolean[fleet.totalGpus()];
      this.otherOutages = new int[fleet.totalGpus()];
      if (spares) {
        kernel.holdSpares(1, 0);
      }
    }

    void apply(List<Op> ops) {
      for (Op op : ops) {
        t += 60;
        snapshot();
        boolean cordon = op.kind() == 3;
        command(op);
        kernel.schedule(t);
        kernel.checkInvariants();
        checkOutOfService();
        checkNoNewGpuCordoned(cordon);
      }
    }

    private void command(Op op) {
      int domain = op.a() % fleet.domainCount();
      int first = fleet.domainFirstGpu(domain);
      int size = fleet.domainSize(domain);
      switch (op.kind()) {
        case 0 -> kernel.submit(nextJob++, new JobRequest(op.a() % 2, op.b(), op.b() % 2 == 0 && op.a() % 3 == 0 ? 2 : 1,
            op.a() % 5 == 0, 600), t);
        case 1 -> finishSome(op.a());
        case 2 -> kernel.cancel(op.a() % Math.max(1, nextJob), t);
        case 3 -> cordon(first, Math.min(size, op.b()), true);
        case 4 -> cordon(first, size, false);
        case 5 -> {
          if (drained.add(domain)) {
            outage(first, size, true);
          }
        }
        case 6 -> {
          if (drained.remove(domain)) {
            kernel.gpusUp(first, size, t);
            mark(first, size, -1);
          }
        }
        case 7 -> {
          int gpus = Math.min(op.b() % 4 + 1, fleet.totalGpus() - first);
          failures.add(new int[] {first, gpus});
          outage(first, gpus, false);
        }
        case 8 -> {
          if (!failures.isEmpty()) {
            int[] f = failures.remove(op.a() % failures.size());
            kernel.gpusUp(f[0], f[1], t);
            mark(f[0], f[1], -1);
          }
        }
        default -> crash(op.a());
      }
    }

    private void cordon(int first, int n, boolean on) {
      int changed = on ? kernel.cordon(first, n, t) : kernel.uncordon(first, n, t);
      int expected = 0;
      for (int g = first; g < first + n; g++) {
        expected += cordoned[g] != on ? 1 : 0;
        cordoned[g] = on;
      }
      assertThat(changed).isEqualTo(expected);
    }

    private void outage(int first, int n, boolean drain) {
      mark(first, n, 1);
      kernel.gpusDown(first, n, t, drain);
      recoverAll();
    }

    private void mark(int first, int n, int delta) {
      for (int g = first; g < first + n; g++) {
        otherOutages[g] += delta;
      }
    }

    private void finishSome(int pick) {
      long[] running = runningJobs();
      if (running.length > 0) {
        long job = running[pick % running.length];
        if (kernel.state(job) == Scheduler.JobState.RUNNING) {
          kernel.finish(job, t);
        }
      }
    }

    private void crash(int pick) {
      long[] running = runningJobs();
      if (running.length > 0) {
        kernel.jobFailed(running[pick % running.length], t);
        recoverAll();
      }
    }

    /** Every interrupted job recovers at once, as live. */
    private void recoverAll() {
      for (long job : runningJobs()) {
        if (kernel.state(job) == Scheduler.JobState.INTERRUPTED) {
          kernel.recover(job, t);
        }
      }
    }

    private long[] runningJobs() {
      it.unimi.dsi.fastutil.longs.LongArrayList out = new it.unimi.dsi.fastutil.longs.LongArrayList();
      kernel.forEachRunning(out::add);
      return out.toLongArray();
    }

    private void snapshot() {
      before.clear();
      kernel.forEachRunning(job -> before.put(job, kernel.allocation(job)));
    }

    private void checkOutOfService() {
      for (int g = 0; g < fleet.totalGpus(); g++) {
        assertThat(kernel.fleetState().isDown(g)).as("GPU %d: cordoned %s, %d other outages", g, cordoned[g],
            otherOutages[g]).isEqualTo(cordoned[g] || otherOutages[g] > 0);
        assertThat(kernel.isCordoned(g)).isEqualTo(cordoned[g]);
      }
    }

    private void checkNoNewGpuCordoned(boolean afterCordon) {
      kernel.forEachRunning(job -> {
        Allocation was = before.get(job);
        Allocation now = kernel.allocation(job);
        if (afterCordon && was != null) {
          assertThat(now).as("a cordon moved job %d", job).isSameAs(was);
          assertThat(kernel.state(job)).as("a cordon stopped job %d", job).isEqualTo(Scheduler.JobState.RUNNING);
        }
        now.forEachGpu(fleet, g -> {
          if (!holds(was, g)) {
            assertThat(kernel.isCordoned(g)).as("job %d newly holds cordoned GPU %d", job, g).isFalse();
          }
        });
      });
    }

    private boolean holds(Allocation a, int gpu) {
      if (a == null) {
        return false;
      }
      int d = fleet.gpuDomain(gpu);
      for (int i = 0; i < a.domainCount(); i++) {
        if (a.domain(i) == d && a.holds(i, gpu - fleet.domainFirstGpu(d))) {
          return true;
        }
      }
      return false;
    }
  }
}
