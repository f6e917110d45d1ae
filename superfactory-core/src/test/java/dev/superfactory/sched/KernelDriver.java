package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.Fleets;
import dev.superfactory.workload.Contract;
import dev.superfactory.workload.Tenant;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Turns random numbers into valid kernel commands (submits, finishes, cancels, failures and
 * drains with their repairs, cordons, software crashes, recoveries, WAN cuts and repairs,
 * contract changes, passes), each chosen from the state of the kernel it is given and applied
 * to any number of kernels, so two kernels in the same state can be driven alike. It keeps its
 * own record of the outages and cuts it caused, so a repair always names one.
 */
final class KernelDriver {
  /** One random step: kind 0–13, two free numbers, and a time step in seconds. */
  record Op(int kind, int a, int b, int dt) {}

  static final int KINDS = 14;

  /** Every report as one line, allocations spelled out, so two logs compare exactly. */
  static final class Recorder implements SchedulerListener {
    final List<String> lines = new ArrayList<>();

    private void add(String s) {
      lines.add(s);
    }

    @Override public void queued(long job, boolean within, long now) { add("queued " + job + " " + within + " @" + now); }
    @Override public void rejected(long job, PendingReason r, long now) { add("rejected " + job + " " + r + " @" + now); }
    @Override public void deferred(long job, PendingReason r, long now) { add("deferred " + job + " " + r + " @" + now); }
    @Override public void started(long job, Allocation a, long now) { add("started " + job + " " + KernelDigest.text(a) + " @" + now); }
    @Override public void preempted(long job, Allocation a, long by, long now) { add("preempted " + job + " by " + by + " @" + now); }
    @Override public void interrupted(long job, Allocation a, Interruption why, boolean stalled, long now) {
      add("interrupted " + job + " " + why + " " + stalled + " @" + now);
    }
    @Override public void swapped(long job, Allocation b, Allocation a, long now) { add("swapped " + job + " " + KernelDigest.text(a) + " @" + now); }
    @Override public void restarted(long job, Allocation b, Allocation a, long now) { add("restarted " + job + " " + KernelDigest.text(a) + " @" + now); }
    @Override public void requeued(long job, Allocation r, long now) { add("requeued " + job + " " + KernelDigest.text(r) + " @" + now); }
    @Override public void stalled(long job, Allocation a, long now) { add("stalled " + job + " @" + now); }
    @Override public void resumed(long job, Allocation a, long now) { add("resumed " + job + " @" + now); }
    @Override public void shrunk(long job, Allocation b, Allocation k, Allocation r, long now) { add("shrunk " + job + " " + KernelDigest.text(k) + " @" + now); }
    @Override public void finished(long job, Allocation a, long now) { add("finished " + job + " @" + now); }
    @Override public void cancelled(long job, Allocation r, long now) { add("cancelled " + job + " " + KernelDigest.text(r) + " @" + now); }
  }

  private final Fleet fleet;
  private final List<int[]> outages = new ArrayList<>(); // [first, count] of failures and drains not yet repaired
  private final int[] cuts;
  private long nextJob;
  private long t;

  KernelDriver(Fleet fleet) {
    this.fleet = fleet;
    this.cuts = new int[fleet.wanLinks().size()];
  }

  /** A deterministic stand-in for the runtime's ledgers: the same answers for both kernels. */
  static final JobProgress PROGRESS = new JobProgress() {
    @Override
    public double lostGpuSecondsIfStopped(long job, long now) {
      return (job * 7919 + now) % 5000;
    }

    @Override
    public double attainedGpuSeconds(long job, long now) {
      return Math.max(0, now - job * 300) * 8.0;
    }
  };

  /** Two tenants with reservations, one that does not lend, one limited to site 0 and low priority. */
  /** Random command sequences of 1 to {@code maxLength} commands, every kind. */
  static Arbitrary<List<Op>> ops(int maxLength) {
    return Combinators.combine(Arbitraries.integers().between(0, KINDS - 1),
        Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 1 << 20),
        Arbitraries.integers().between(0, 900)).as(Op::new).list().ofMinSize(1).ofMaxSize(maxLength);
  }

  /** The fork properties' fleets: two and three sites, mixed GPUs, two rack sizes. */
  static Arbitrary<Fleet> fleets() {
    return Arbitraries.of(Fleets.sites(2, 2, 3, 8), Fleets.sites(3, 1, 2, 8), Fleets.mixed(),
        Fleets.twoRackSizes());
  }

  static List<Tenant> tenants(Fleet fleet) {
    int total = fleet.totalGpus();
    Contract a = new Contract(total / 3, 0, total, true, 80, true, -1L, 2.0, 2, 3, false);
    Contract b = new Contract(total / 4, 0, total / 2, false, 50, true, -1L, 1.0, 2, 3, false);
    Contract c = new Contract(0, 0, total / 2, true, 10, true, 1L, 1.0, 2, 3, false);
    return List.of(new Tenant("a", "A", total, a), new Tenant("b", "B", total / 4 + total / 2, b),
        new Tenant("c", "C", total / 2, c));
  }

  /** The command {@code op} means for {@code model}'s state, applied to every kernel of {@code kernels}. */
  void step(Op op, Scheduler model, List<Scheduler> kernels) {
    t += op.dt();
    command(op, model).accept(kernels);
  }

  private Consumer<List<Scheduler>> command(Op op, Scheduler m) {
    int a = op.a();
    int b = op.b();
    long now = t;
    int domain = a % fleet.domainCount();
    int first = fleet.domainFirstGpu(domain);
    int size = fleet.domainSize(domain);
    switch (op.kind()) {
      case 0, 1 -> {
        long job = nextJob++;
        int group = b % 3 == 0 ? 2 : 1;
        int gpus = Math.max(group, (b % 40) / group * group);
        JobRequest r = new JobRequest(a % 3, gpus, group, a % 4 == 0, 60 + (b % 17) * 120L);
        return ks -> ks.forEach(k -> k.submit(job, r, now));
      }
      case 2 -> {
        long job = pick(running(m), a);
        return job < 0 ? ks -> ks.forEach(k -> k.schedule(now)) : ks -> ks.forEach(k -> k.finish(job, now));
      }
      case 3 -> {
        long job = a % Math.max(1, nextJob);
        return ks -> ks.forEach(k -> k.cancel(job, now));
      }
      case 4 -> {
        int offset = (b / 10) % size; // not always the domain's first GPU, which holds its spare
        int n = Math.min(b % 5 + 1, size - offset);
        boolean drain = b % 2 == 0;
        int[] range = drain ? new int[] {first, size} : new int[] {first + offset, n};
        outages.add(range);
        return ks -> ks.forEach(k -> k.gpusDown(range[0], range[1], now, drain));
      }
      case 5 -> {
        if (outages.isEmpty()) {
          return ks -> ks.forEach(k -> k.schedule(now));
        }
        int[] range = outages.remove(a % outages.size());
        return ks -> ks.forEach(k -> k.gpusUp(range[0], range[1], now));
      }
      case 6 -> {
        int n = Math.min(size, b % size + 1);
        return ks -> ks.forEach(k -> k.cordon(first, n, now));
      }
      case 7 -> {
        return ks -> ks.forEach(k -> k.uncordon(first, size, now));
      }
      case 8 -> {
        long job = pick(running(m), a);
        return job < 0 ? ks -> ks.forEach(k -> k.schedule(now)) : ks -> ks.forEach(k -> k.jobFailed(job, now));
      }
      case 9 -> {
        long job = pick(interrupted(m), a);
        return job < 0 ? ks -> ks.forEach(k -> k.schedule(now)) : ks -> ks.forEach(k -> k.recover(job, now));
      }
      case 10 -> {
        if (cuts.length == 0) {
          return ks -> ks.forEach(k -> k.schedule(now));
        }
        int link = a % cuts.length;
        if (cuts[link] > 0 && b % 2 == 0) {
          cuts[link]--;
          return ks -> ks.forEach(k -> k.wanRestored(link, now));
        }
        cuts[link]++;
        return ks -> ks.forEach(k -> k.wanCut(link, now));
      }
      case 11 -> {
        int tenant = a % (m.tenantCount() + 1);
        int limit = Math.max(1, b % fleet.totalGpus());
        Tenant updated = new Tenant("t" + tenant, "T", limit,
            new Contract(Math.min(limit, b % 17), 0, limit, b % 2 == 0, b % 100, true, -1L, 1 + b % 3, 2, 3, false));
        return ks -> ks.forEach(k -> k.changeContract(tenant, updated, now));
      }
      default -> {
        return ks -> ks.forEach(k -> k.schedule(now));
      }
    }
  }

  private static long pick(long[] jobs, int a) {
    return jobs.length == 0 ? -1 : jobs[a % jobs.length];
  }

  static long[] running(Scheduler k) {
    LongArrayList out = new LongArrayList();
    k.forEachRunning(out::add);
    return out.toLongArray();
  }

  static long[] interrupted(Scheduler k) {
    LongArrayList out = new LongArrayList();
    k.forEachRunning(j -> {
      if (k.state(j) == Scheduler.JobState.INTERRUPTED) {
        out.add(j);
      }
    });
    return out.toLongArray();
  }
}
