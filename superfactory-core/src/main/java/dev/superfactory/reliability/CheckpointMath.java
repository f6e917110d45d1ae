package dev.superfactory.reliability;

/**
 * Progress of a checkpointing job within one run segment, as pure functions.
 *
 * <p>A segment starts with a restart overhead O (no progress), then computes at {@code speed}
 * (work-seconds per second). Synchronous checkpoints: after every τ of work the job pauses C
 * seconds to write, so one cycle is τ/speed + C and a checkpoint is durable at the end of its
 * cycle. Asynchronous: compute runs at speed·(1 − overhead) without pauses; the checkpoint taken
 * after i·τ of work is durable C seconds later.
 *
 * <p>Checkpoint interval: Young's first-order optimum √(2·C·M) and Daly's higher-order form
 * τ = √(2CM)·[1 + ⅓√(C/2M) + (1/9)(C/2M)] − C for C < 2M, else M (J. W. Young, CACM 1974;
 * J. T. Daly, FGCS 2006), with M the job's mean time between interruptions.
 */
public final class CheckpointMath {
  private CheckpointMath() {}

  /** Daly's optimal checkpoint interval (seconds of compute) for write time C and MTBF M. */
  public static double dalyInterval(double writeSeconds, double mtbfSeconds) {
    double c = writeSeconds;
    double m = mtbfSeconds;
    if (!(m > 0) || Double.isInfinite(m)) {
      return Double.POSITIVE_INFINITY;
    }
    if (c >= 2 * m) {
      return m;
    }
    double x = c / (2 * m);
    return Math.max(1.0, Math.sqrt(2 * c * m) * (1 + Math.sqrt(x) / 3 + x / 9) - c);
  }

  /** Young's first-order interval √(2·C·M). */
  public static double youngInterval(double writeSeconds, double mtbfSeconds) {
    return Math.sqrt(2 * writeSeconds * mtbfSeconds);
  }

  /** Effective compute speed: reduced by the async overhead. */
  static double computeSpeed(double speed, boolean async, double asyncOverhead) {
    return async ? speed * (1 - asyncOverhead) : speed;
  }

  /** Work done after {@code elapsed} seconds of a segment. */
  public static double workAt(double elapsed, double overhead, double speed, double tau, double write,
      boolean async, double asyncOverhead) {
    double e = elapsed - overhead;
    if (e <= 0) {
      return 0;
    }
    double v = computeSpeed(speed, async, asyncOverhead);
    if (async || Double.isInfinite(tau)) {
      return e * v;
    }
    double cycle = tau / v + write;
    double k = Math.floor(e / cycle);
    double r = e - k * cycle;
    return k * tau + Math.min(r * v, tau);
  }

  /** Work made durable by checkpoints after {@code elapsed} seconds of a segment. */
  public static double durableAt(double elapsed, double overhead, double speed, double tau, double write,
      boolean async, double asyncOverhead) {
    double e = elapsed - overhead;
    if (e <= 0 || Double.isInfinite(tau)) {
      return 0;
    }
    double v = computeSpeed(speed, async, asyncOverhead);
    if (async) {
      double k = Math.floor((e - write) * v / tau);
      return Math.max(0, k) * tau;
    }
    double cycle = tau / v + write;
    return Math.floor(e / cycle) * tau;
  }

  /**
   * Seconds a segment needs to finish {@code work}: the overhead, the compute, and (synchronous)
   * one pause per checkpoint taken before the end.
   */
  public static double wallFor(double work, double overhead, double speed, double tau, double write, boolean async,
      double asyncOverhead) {
    double v = computeSpeed(speed, async, asyncOverhead);
    double t = overhead + work / v;
    if (!async && !Double.isInfinite(tau) && work > 0) {
      t += Math.max(0, Math.ceil(work / tau) - 1) * write;
    }
    return t;
  }

  /** Seconds spent writing synchronously during {@code elapsed} seconds of a segment. */
  public static double writingAt(double elapsed, double overhead, double speed, double tau, double write,
      boolean async, double asyncOverhead) {
    if (async || Double.isInfinite(tau)) {
      return 0;
    }
    double e = elapsed - overhead;
    if (e <= 0) {
      return 0;
    }
    double v = computeSpeed(speed, async, asyncOverhead);
    double cycle = tau / v + write;
    double k = Math.floor(e / cycle);
    double r = e - k * cycle;
    return k * write + Math.max(0, r - tau / v);
  }
}
