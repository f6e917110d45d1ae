package dev.superfactory.perf;

import java.util.Objects;

/**
 * One published failure figure of a real training run or cluster, in a form the failure model can
 * predict: the mean time to failure of a job of {@code gpus} GPUs, or the number of failures such a
 * job sees in {@code days}. A published range ("1-2 GPU failures a week") or bound ("at least 35
 * manual restarts") is {@code [publishedLow, publishedHigh]}; a single figure has low = high.
 *
 * @param study what was observed
 * @param citation paper or report, with the table, figure or section the figure is in
 * @param gpu GPU generation of the cluster
 * @param gpus GPUs of the job
 * @param kind what the figure is
 * @param days observation window for {@link Kind#FAILURES} (0 for an MTTF)
 * @param publishedLow the published figure, or the low end of its range
 * @param publishedHigh the high end of the range ({@code Double.POSITIVE_INFINITY} for "at least")
 * @param profile the failure profile this figure checks
 * @param inSample true if the profile's rate is fitted to this figure, false if it is an independent check
 * @param tolerance largest accepted relative error of the prediction against the published range
 */
public record FailureObservation(String study, String citation, String gpu, long gpus, Kind kind, double days,
    double publishedLow, double publishedHigh, String profile, boolean inSample, double tolerance) {

  /** What a published figure measures. */
  public enum Kind {
    /** Mean time to failure of one job, hours. */
    MTTF_HOURS,
    /** Failures of one job in the window. */
    FAILURES
  }

  public FailureObservation {
    Objects.requireNonNull(kind);
    if (gpus < 1 || !(publishedLow > 0) || publishedHigh < publishedLow || (kind == Kind.FAILURES && !(days > 0))) {
      throw new IllegalArgumentException(String.format(
          "%s: needs gpus >= 1, 0 < low <= high and days > 0 for a count; got %d GPUs, [%s, %s], %s days",
          study, gpus, publishedLow, publishedHigh, days));
    }
  }

  /** Failures per GPU-day the figure implies (at the low end of a range that is open above, else its middle). */
  public double impliedPerGpuDay() {
    double figure = Double.isInfinite(publishedHigh) ? publishedLow : (publishedLow + publishedHigh) / 2;
    return kind == Kind.MTTF_HOURS ? 24 / (figure * gpus) : figure / (gpus * days);
  }

  /** The model's value of the figure for a rate of {@code perGpuDay} failures per GPU-day. */
  public double predicted(double perGpuDay) {
    return kind == Kind.MTTF_HOURS ? 24 / (perGpuDay * gpus) : perGpuDay * gpus * days;
  }

  /** Relative distance of the prediction from the published range: 0 inside it. */
  public double relativeError(double perGpuDay) {
    double p = predicted(perGpuDay);
    if (p < publishedLow) {
      return p / publishedLow - 1;
    }
    return p > publishedHigh ? p / publishedHigh - 1 : 0;
  }

  public boolean withinTolerance(double perGpuDay) {
    return Math.abs(relativeError(perGpuDay)) <= tolerance;
  }
}
