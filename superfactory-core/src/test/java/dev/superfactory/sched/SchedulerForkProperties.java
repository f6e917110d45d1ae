package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.fleet.Fleet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A fork is a deep copy: after a random history (every kind of command, under every live policy,
 * both WAN-cut responses and both site choices, with hot spares or not), the fork and the
 * original driven by the same random commands report exactly the same decisions and end in the
 * same state; and driving only the fork leaves the original's full digest ({@link KernelDigest})
 * exactly as it was. The invariants hold on both after every command.
 */
class SchedulerForkProperties {
  @Provide
  Arbitrary<List<KernelDriver.Op>> ops() {
    return KernelDriver.ops(70);
  }

  @Provide
  Arbitrary<Fleet> fleets() {
    return KernelDriver.fleets();
  }

  @Provide
  Arbitrary<String> policies() {
    return Arbitraries.of(QueuePolicies.liveNames());
  }

  @Property(tries = 300)
  void theForkAndTheOriginalTakeTheSameDecisions(@ForAll("fleets") Fleet fleet, @ForAll("policies") String policy,
      @ForAll boolean shrink, @ForAll boolean leastLoaded, @ForAll boolean spares,
      @ForAll("ops") List<KernelDriver.Op> before, @ForAll("ops") List<KernelDriver.Op> after) {
    KernelDriver driver = new KernelDriver(fleet);
    KernelDriver.Recorder originalLog = new KernelDriver.Recorder();
    Scheduler original = afterHistory(driver, kernel(fleet, policy, shrink, leastLoaded, spares, originalLog), before);
    KernelDriver.Recorder forkLog = new KernelDriver.Recorder();
    Scheduler fork = original.fork(forkLog);
    assertThat(fork.digest().firstDifference(original.digest())).as("a fresh fork differs").isNull();
    originalLog.lines.clear();
    for (KernelDriver.Op op : after) {
      driver.step(op, original, List.of(original, fork));
      original.checkInvariants();
      fork.checkInvariants();
    }
    assertThat(forkLog.lines).isEqualTo(originalLog.lines);
    assertThat(fork.digest().firstDifference(original.digest())).as("the fork ended elsewhere").isNull();
  }

  @Property(tries = 300)
  void drivingTheForkLeavesTheOriginalAsItWas(@ForAll("fleets") Fleet fleet, @ForAll("policies") String policy,
      @ForAll boolean shrink, @ForAll boolean leastLoaded, @ForAll boolean spares,
      @ForAll("ops") List<KernelDriver.Op> before, @ForAll("ops") List<KernelDriver.Op> after) {
    KernelDriver driver = new KernelDriver(fleet);
    KernelDriver.Recorder originalLog = new KernelDriver.Recorder();
    Scheduler original = afterHistory(driver, kernel(fleet, policy, shrink, leastLoaded, spares, originalLog), before);
    KernelDigest digest = original.digest();
    int reports = originalLog.lines.size();
    Scheduler fork = original.fork(new KernelDriver.Recorder());
    for (KernelDriver.Op op : after) {
      driver.step(op, fork, List.of(fork));
      fork.checkInvariants();
    }
    assertThat(original.digest().firstDifference(digest)).as("the original moved").isNull();
    assertThat(originalLog.lines).as("the original's listener heard the fork").hasSize(reports);
    original.checkInvariants();
  }

  private static Scheduler afterHistory(KernelDriver driver, Scheduler k, List<KernelDriver.Op> history) {
    for (KernelDriver.Op op : history) {
      driver.step(op, k, List.of(k));
    }
    return k;
  }

  private static Scheduler kernel(Fleet fleet, String policy, boolean shrink, boolean leastLoaded, boolean spares,
      SchedulerListener listener) {
    Scheduler k = new Scheduler(fleet, KernelDriver.tenants(fleet), QueuePolicies.create(policy, null),
        new Scheduler.Options(shrink, leastLoaded ? SiteChoice.LEAST_LOADED : SiteChoice.BEST_FIT), listener);
    k.progress(KernelDriver.PROGRESS);
    if (spares) {
      k.holdSpares(1, 0);
    }
    return k;
  }
}
