package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything a kernel holds, as lines of text, to compare two kernels or one kernel before and
 * after: every live job (its columns, state, pending reason, allocation, expected end), the queue
 * order with reasons and the arrivals, the running order, the fleet state (free, allocated and
 * down GPUs per domain, the capacity index and its bucket order), outages, cordons, spares, WAN
 * cuts, the EASY promise, the tenants' use and contracts, the repair notes, the pass memo, the
 * clock and flags. Two kernels with equal digests take the same decisions under the same
 * commands. Built by {@link Scheduler#digest}; used by the tests that check a fork is a copy and
 * that forecasts never move the live kernel.
 *
 * <p>Cost: O(GPUs / 64 + domains + live jobs) time and one line per live job and per domain not
 * wholly free: for tests and debugging, not for a hot path.
 */
public record KernelDigest(List<String> lines) {
  public KernelDigest {
    lines = List.copyOf(lines);
  }

  static KernelDigest of(KernelState k, PassRunner pass, Interruptions interruptions, UsableCapacity usable,
      QueuePolicy policy) {
    List<String> out = new ArrayList<>();
    Consumer<String> add = out::add;
    out.add("clock " + k.now + " full " + k.capacityFreed + " preemptions " + k.preemptions + " plans "
        + k.placer.plans() + " outage stamp " + interruptions.stamp() + " policy " + policy.name() + " options "
        + k.options);
    Reservation r = k.easy.current();
    out.add(r == null ? "promise none" : "promise job " + k.jobs.id[r.job] + " at " + r.timeSeconds + " site " + r.site
        + " spare " + r.spareGpus);
    k.jobs.describe(add);
    k.queue.describe(add);
    k.running.describe(add);
    k.tenants.describe(add);
    k.state.describe(add);
    k.outages.describe(add);
    k.cordons.describe(add);
    if (k.spares != null) {
      k.spares.describe(add);
    }
    k.wan.describe(add);
    k.repair.describe(add);
    pass.describe(add);
    usable.describe(add);
    return new KernelDigest(out);
  }

  /** The first line where the two digests differ, as "line N: this | other", or null if they are equal. */
  public String firstDifference(KernelDigest other) {
    int n = Math.min(lines.size(), other.lines.size());
    for (int i = 0; i < n; i++) {
      if (!lines.get(i).equals(other.lines.get(i))) {
        return "line " + (i + 1) + ": " + lines.get(i) + " | " + other.lines.get(i);
      }
    }
    return lines.size() == other.lines.size() ? null
        : "lengths differ: " + lines.size() + " lines | " + other.lines.size() + " lines";
  }

  /** An allocation's domains and masks, or "-". */
  static String text(Allocation a) {
    if (a == null) {
      return "-";
    }
    StringBuilder b = new StringBuilder().append(a.gpus()).append(':');
    for (int i = 0; i < a.domainCount(); i++) {
      b.append(' ').append(a.domain(i));
      if (!a.isWhole(i)) {
        for (int w = 0; w < a.words(i); w++) {
          b.append(w == 0 ? '/' : ',').append(Long.toHexString(a.mask(i, w)));
        }
      }
    }
    return b.toString();
  }
}
