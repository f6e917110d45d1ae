package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.Fleets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A fork for a forecast ({@link Scheduler#forkForForecast}), whose passes stop walking the queue
 * once nothing more can start, takes exactly the decisions of a plain fork that walks it whole:
 * after a random history, both driven by the same random commands (every kind, every live policy,
 * both WAN-cut responses and site choices, spares or not) report the same starts, preemptions,
 * interruptions, restarts, requeues, ends; the forecast's fork reports no deferral; the invariants
 * hold on both after every command. The early exit is taken in some tries of the first property
 * and many of the second (a full fleet of gangs), as the coverage checks say.
 */
class ForecastForkProperties {
  @Provide
  Arbitrary<List<KernelDriver.Op>> ops() {
    return KernelDriver.ops(90);
  }

  @Provide
  Arbitrary<Fleet> fleets() {
    return KernelDriver.fleets();
  }

  @Provide
  Arbitrary<String> policies() {
    return Arbitraries.of(QueuePolicies.liveNames());
  }

  @Property(tries = 1000)
  void theForecastsForkDecidesAsAForkThatWalksTheWholeQueue(@ForAll("fleets") Fleet fleet,
      @ForAll("policies") String policy, @ForAll boolean shrink, @ForAll boolean leastLoaded, @ForAll boolean spares,
      @ForAll("ops") List<KernelDriver.Op> before, @ForAll("ops") List<KernelDriver.Op> after) {
    KernelDriver driver = new KernelDriver(fleet);
    Scheduler original = new Scheduler(fleet, KernelDriver.tenants(fleet), QueuePolicies.create(policy, null),
        new Scheduler.Options(shrink, leastLoaded ? SiteChoice.LEAST_LOADED : SiteChoice.BEST_FIT),
        new KernelDriver.Recorder());
    original.progress(KernelDriver.PROGRESS);
    if (spares) {
      original.holdSpares(1, 0);
    }
    for (KernelDriver.Op op : before) {
      driver.step(op, original, List.of(original));
    }
    KernelDriver.Recorder wholeLog = new KernelDriver.Recorder();
    KernelDriver.Recorder fastLog = new KernelDriver.Recorder();
    Scheduler whole = original.fork(wholeLog);
    Scheduler fast = original.forkForForecast(fastLog);
    for (KernelDriver.Op op : after) {
      driver.step(op, whole, List.of(whole, fast));
      whole.checkInvariants();
      fast.checkInvariants();
    }
    assertThat(fastLog.lines).as("%s: decisions", policy).isEqualTo(decisions(wholeLog.lines));
    assertThat(fast.reservation()).isEqualTo(whole.reservation());
    boolean stopped = fast.walksStopped() > 0;
    Statistics.label("a walk stopped early").collect(stopped);
    Statistics.label("policy stopping early").collect(stopped ? policy : "-");
    Statistics.label("a walk stopped early").coverage(c -> c.check(true).percentage(p -> p >= 4));
  }

  /** A gang command: submit (8–48 GPUs), finish the first to end or any, cancel, fail, recover; a pass after each. */
  record GangOp(int kind, int a, int b, int dt) {}

  @Provide
  Arbitrary<List<GangOp>> gangOps() {
    return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 1 << 20),
        Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 900)).as(GangOp::new)
        .list().ofMinSize(1).ofMaxSize(120);
  }

  /**
   * The same on a queue of gangs of 8 to 48 GPUs on 96 to 128 GPUs, with a pass after every
   * command, as a forecast's trajectory runs: fleets stay full, so most passes stop early.
   */
  @Property(tries = 1000)
  void onAFullFleetOfGangsTheForecastsForkDecidesAsAForkThatWalksTheWholeQueue(@ForAll("policies") String policy,
      @ForAll boolean leastLoaded, @ForAll("gangOps") List<GangOp> before, @ForAll("gangOps") List<GangOp> after) {
    Fleet fleet = leastLoaded ? Fleets.sites(2, 2, 3, 8) : Fleets.sites(2, 1, 8, 8);
    Scheduler original = new Scheduler(fleet, KernelDriver.tenants(fleet), QueuePolicies.create(policy, null),
        new Scheduler.Options(false, leastLoaded ? SiteChoice.LEAST_LOADED : SiteChoice.BEST_FIT),
        new KernelDriver.Recorder());
    original.progress(KernelDriver.PROGRESS);
    long[] clock = {0, 0}; // time, next job id
    for (GangOp op : before) {
      gangStep(op, original, List.of(original), clock);
    }
    KernelDriver.Recorder wholeLog = new KernelDriver.Recorder();
    KernelDriver.Recorder fastLog = new KernelDriver.Recorder();
    Scheduler whole = original.fork(wholeLog);
    Scheduler fast = original.forkForForecast(fastLog);
    for (GangOp op : after) {
      gangStep(op, whole, List.of(whole, fast), clock);
      fast.checkInvariants();
    }
    whole.checkInvariants();
    assertThat(fastLog.lines).as("%s: decisions", policy).isEqualTo(decisions(wholeLog.lines));
    assertThat(fast.reservation()).isEqualTo(whole.reservation());
    boolean stopped = fast.walksStopped() > 0;
    Statistics.label("a walk stopped early").collect(stopped);
    Statistics.label("policy stopping early").collect(stopped ? policy : "-");
    Statistics.label("a walk stopped early").coverage(c -> c.check(true).percentage(p -> p >= 15));
  }

  private static void gangStep(GangOp op, Scheduler model, List<Scheduler> kernels, long[] clock) {
    long now = clock[0] += op.dt();
    long[] running = KernelDriver.running(model);
    switch (op.kind()) {
      case 0, 1, 2, 3 -> {
        long job = clock[1]++;
        JobRequest r = new JobRequest(op.a() % 3, 8 * (1 + op.a() % 6), op.b() % 2 == 0 ? 8 : 4, false,
            600 + (op.b() % 20) * 300L);
        kernels.forEach(k -> k.submit(job, r, now));
      }
      case 4, 5 -> {
        long job = running.length == 0 ? -1 : op.kind() == 4 ? running[0] : running[op.a() % running.length];
        if (job >= 0 && model.state(job) != Scheduler.JobState.INTERRUPTED) {
          kernels.forEach(k -> k.finish(job, now));
        }
      }
      case 6 -> kernels.forEach(k -> k.cancel(op.a() % Math.max(1, clock[1]), now));
      case 7 -> {
        if (running.length > 0) {
          kernels.forEach(k -> k.jobFailed(running[op.a() % running.length], now));
        }
      }
      case 8 -> {
        long[] interrupted = KernelDriver.interrupted(model);
        if (interrupted.length > 0) {
          kernels.forEach(k -> k.recover(interrupted[op.a() % interrupted.length], now));
        }
      }
      default -> { }
    }
    kernels.forEach(k -> k.schedule(now));
  }

  /** The reports but deferrals, which the forecast's fork does not make. */
  private static List<String> decisions(List<String> lines) {
    return lines.stream().filter(l -> !l.startsWith("deferred ")).toList();
  }
}
