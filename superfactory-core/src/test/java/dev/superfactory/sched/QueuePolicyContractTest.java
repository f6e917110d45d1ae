package dev.superfactory.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.fleet.Fleets;
import dev.superfactory.input.InputException;
import dev.superfactory.workload.Tenant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every registered queue policy must do, driven through the kernel with no simulation. Fleet:
 * one site of 4 HGX servers (32 GPUs); tenants a (limit 32) and b (limit 16).
 */
class QueuePolicyContractTest {
  static Stream<String> policies() {
    return QueuePolicies.names().stream();
  }

  private static QueuePolicy create(String name) {
    return QueuePolicies.create(name, job -> 100 + job); // true run times, for the oracle policies
  }

  private static Scheduler kernel(String policy, KernelLog log) {
    return new Scheduler(Fleets.uniform(1, 4, 8), List.of(new Tenant("a", "A", 32), new Tenant("b", "B", 16)),
        create(policy), Scheduler.Options.DEFAULT, log);
  }

  private static JobRequest job(int tenant, int gpus) {
    return new JobRequest(tenant, gpus, Math.min(gpus, 8), false, 100);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void itIsRegisteredUnderItsOwnName(String name) {
    assertThat(create(name).name()).isEqualTo(name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void onlyOraclePoliciesNeedTrueRunTimesAndTheyAreRefusedLive(String name) {
    if (QueuePolicies.needsOracle(name)) {
      assertThat(name).contains("oracle");
      assertThatThrownBy(() -> QueuePolicies.create(name, null)).isInstanceOf(InputException.class)
          .hasMessageContaining("cannot run live");
    } else {
      assertThat(QueuePolicies.create(name, null).name()).isEqualTo(name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void anEmptyQueueDecidesNothing(String name) {
    KernelLog log = new KernelLog(0);
    Scheduler k = kernel(name, log);
    k.schedule(0);
    k.schedule(10);
    assertThat(log.take()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void aLoneJobThatFitsStartsInTheFirstPass(String name) {
    KernelLog log = new KernelLog(0);
    Scheduler k = kernel(name, log);
    k.submit(1, job(0, 16), 0);
    k.schedule(0);
    assertThat(log.take()).containsExactly("queued 1 @+0", "started 1 s0=16 @+0");
  }

  /** Three whole-fleet jobs: each starts when the one before it finishes; none starves, none runs early. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void everyJobStartsOnceTheFleetIsFreeForIt(String name) {
    KernelLog log = new KernelLog(0);
    Scheduler k = kernel(name, log);
    for (int j = 1; j <= 3; j++) {
      k.submit(j, job(0, 32), 0);
    }
    k.schedule(0);
    for (int round = 1; round <= 3; round++) {
      assertThat(k.runningCount()).isEqualTo(1);
      assertThat(k.pendingCount()).isEqualTo(3 - round);
      long[] running = new long[1];
      k.forEachRunning(id -> running[0] = id);
      k.finish(running[0], round * 100L);
      k.schedule(round * 100L);
      k.checkInvariants();
    }
    assertThat(k.runningCount() + k.pendingCount()).isZero();
    assertThat(log.take()).filteredOn(l -> l.startsWith("started")).hasSize(3);
  }

  /** Tenant b (limit 16) asks for 3 × 8 GPUs on an idle fleet: two start, the third waits for its tenant, not the fleet. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void noPolicyTakesATenantOverItsLimit(String name) {
    KernelLog log = new KernelLog(0);
    Scheduler k = kernel(name, log);
    for (int j = 1; j <= 3; j++) {
      k.submit(j, job(1, 8), 0);
    }
    k.schedule(0);
    k.checkInvariants();
    assertThat(k.tenantGpus(1)).isEqualTo(16);
    assertThat(k.pendingCount()).isEqualTo(1);
    assertThat(k.pendingReason(3)).isEqualTo(PendingReason.TENANT_LIMIT);
  }

  /** The same commands give the same decisions, report for report. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void itIsDeterministic(String name) {
    assertThat(busyDay(name)).isEqualTo(busyDay(name)).isNotEmpty();
  }

  private static List<String> busyDay(String name) {
    KernelLog log = new KernelLog(0);
    Scheduler k = kernel(name, log);
    long id = 0;
    for (long t = 0; t < 2000; t += 37) {
      k.submit(id++, job((int) (t % 2), 8 << (t % 3)), t);
      if (id % 3 == 0) { // the running job expected to end first finishes
        long[] first = {-1};
        k.forEachRunning(j -> first[0] = first[0] < 0 ? j : first[0]);
        if (first[0] >= 0) {
          k.finish(first[0], t);
        }
      }
      k.schedule(t);
      k.checkInvariants();
    }
    return log.take();
  }
}
