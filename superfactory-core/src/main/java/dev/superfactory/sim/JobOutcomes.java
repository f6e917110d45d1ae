package dev.superfactory.sim;

/**
 * Per-job reliability outcome, indexed by job id: interruptions, wall seconds holding GPUs, and
 * of those the seconds that did no useful work. A job's goodput is 1 − lost ÷ allocated.
 */
public final class JobOutcomes {
  private final int[] interruptions;
  private final double[] allocatedSeconds;
  private final double[] lostSeconds;

  JobOutcomes(int[] interruptions, double[] allocatedSeconds, double[] lostSeconds) {
    this.interruptions = interruptions;
    this.allocatedSeconds = allocatedSeconds;
    this.lostSeconds = lostSeconds;
  }

  public int interruptions(int job) {
    return interruptions[job];
  }

  public double allocatedSeconds(int job) {
    return allocatedSeconds[job];
  }

  public double lostSeconds(int job) {
    return lostSeconds[job];
  }

  /** Useful ÷ allocated time of one job; NaN if it never held GPUs. */
  public double goodput(int job) {
    return allocatedSeconds[job] <= 0 ? Double.NaN : 1 - lostSeconds[job] / allocatedSeconds[job];
  }
}
