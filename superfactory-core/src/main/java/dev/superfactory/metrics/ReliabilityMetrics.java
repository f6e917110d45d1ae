package dev.superfactory.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Failures and what they cost, by cause: failure events, job interruptions, and GPU-seconds
 * booked to useful work, lost work, restart overhead, checkpoint writes, failure detection, WAN
 * stalls and (outside the allocation) waiting in the queue after an interruption. Also per tenant
 * useful and allocated GPU-seconds for goodput, and failure events per day for the timeline.
 * O(1) per event.
 */
public final class ReliabilityMetrics {
  /** Ledger names, in the order of the GPU-second ledgers the simulation books. */
  public static final List<String> LEDGERS =
      List.of("useful", "lostWork", "restart", "checkpoint", "detection", "wanStall");

  private final List<String> causes;
  private final long[] events;
  private final long[] interruptions;
  private final double[][] lostByCause; // [ledger][cause]
  private final double[] requeueWait;
  private final double[] ledger = new double[LEDGERS.size()];
  private final double[] tenantUseful;
  private final double[] tenantProviderDowntime;
  private boolean[] providerCause;
  private final double[] tenantAllocated;
  private final long horizonDays;
  private final int[][] eventsPerDay; // [cause][day]
  private boolean measuring;
  private long windowStart;

  public ReliabilityMetrics(List<String> causes, int tenants, long horizonSeconds) {
    this.causes = List.copyOf(causes);
    int n = causes.size();
    events = new long[n];
    interruptions = new long[n];
    lostByCause = new double[LEDGERS.size()][n];
    requeueWait = new double[n];
    tenantUseful = new double[tenants];
    tenantProviderDowntime = new double[tenants];
    providerCause = new boolean[n];
    java.util.Arrays.fill(providerCause, true);
    tenantAllocated = new double[tenants];
    horizonDays = Math.max(1, (horizonSeconds + 86399) / 86400);
    eventsPerDay = new int[n][(int) horizonDays];
  }

  public void startMeasuring(long t) {
    measuring = true;
    windowStart = t;
  }

  /**
   * The share of the span [{@code from}, {@code to}] inside the measured window (0 before it
   * opens): a run segment or a hold that began in the warm-up is booked only for its part in the
   * window, so no ledger can exceed the GPU-hours allocated in the window.
   */
  public double windowShare(double from, long to) {
    if (!measuring || to <= windowStart) {
      return 0;
    }
    return from >= windowStart || to <= from ? 1.0 : (to - windowStart) / (to - from);
  }

  public List<String> causes() {
    return causes;
  }

  public void failureEvent(int cause, long t) {
    if (measuring) {
      events[cause]++;
      int day = (int) ((t - windowStart) / 86400);
      if (day >= 0 && day < horizonDays) {
        eventsPerDay[cause][day]++;
      }
    }
  }

  public void interruption(int cause) {
    if (measuring) {
      interruptions[cause]++;
    }
  }

  /**
   * Books a segment's ledger deltas (GPU-seconds), attributing the losses to {@code cause}
   * (-1: none, e.g. a clean finish: only useful time and checkpoint writes can be non-zero).
   */
  public void book(double[] delta, int cause, int tenant) {
    if (!measuring) {
      return;
    }
    double allocated = 0;
    for (int i = 0; i < delta.length; i++) {
      ledger[i] += delta[i];
      allocated += delta[i];
      if (cause >= 0 && i > 0) {
        lostByCause[i][cause] += delta[i];
      }
    }
    tenantUseful[tenant] += delta[0];
    tenantAllocated[tenant] += allocated;
    if (cause >= 0 && providerCause[cause]) {
      for (int i : PROVIDER_LEDGERS) {
        tenantProviderDowntime[tenant] += delta[i];
      }
    }
  }

  /** Ledgers that a failure or maintenance (not the tenant) causes: lost work, restart, detection, WAN stall. */
  private static final int[] PROVIDER_LEDGERS = {
    LEDGERS.indexOf("lostWork"), LEDGERS.indexOf("restart"), LEDGERS.indexOf("detection"), LEDGERS.indexOf("wanStall")
  };

  /** Which causes (by index) the provider is answerable for; by default all. */
  public void providerCauses(boolean[] provider) {
    if (provider.length != providerCause.length) {
      throw new IllegalArgumentException(provider.length + " flags for " + providerCause.length + " causes");
    }
    providerCause = provider.clone();
  }

  /**
   * Allocated GPU-seconds of tenant {@code t} lost to the provider's failures and maintenance over
   * the window: work redone since the last checkpoint, restarts, detection and WAN stalls (not
   * checkpoint writes, not preemptions).
   */
  public double tenantProviderDowntimeGpuSeconds(int t) {
    return tenantProviderDowntime[t];
  }

  /** {@code gpuSeconds} waited in the queue after an interruption, the part in the window already taken. */
  public void requeueWait(int cause, double gpuSeconds) {
    if (measuring && cause >= 0) {
      requeueWait[cause] += gpuSeconds;
    }
  }

  public long events(int cause) {
    return events[cause];
  }

  public long interruptions(int cause) {
    return interruptions[cause];
  }

  public long totalInterruptions() {
    return Arrays.stream(interruptions).sum();
  }

  public double ledger(int i) {
    return ledger[i];
  }

  public double lost(int ledgerIndex, int cause) {
    return lostByCause[ledgerIndex][cause];
  }

  public double requeueWaitGpuSeconds(int cause) {
    return requeueWait[cause];
  }

  /** Useful ÷ allocated GPU-seconds over the measured window; NaN if nothing ran. */
  public double goodput() {
    double allocated = Arrays.stream(ledger).sum();
    return allocated > 0 ? ledger[0] / allocated : Double.NaN;
  }

  public double tenantGoodput(int t) {
    return tenantAllocated[t] > 0 ? tenantUseful[t] / tenantAllocated[t] : Double.NaN;
  }

  public int[] eventsPerDay(int cause) {
    return eventsPerDay[cause].clone();
  }
}
