package dev.superfactory.forecast;

/**
 * How a job's actual run time is drawn from the run time it declared, for the forecast's draws.
 * ASSUMPTION (Slurm's semantics, where the declared run time is a time limit): a job ends at or
 * before its declared limit, never after. With probability {@code atLimitShare} it runs to its
 * limit (as jobs killed at the limit, or training runs sized to it, do); otherwise it ends after
 * a share of it drawn uniformly from [{@code minFactor}, 1). The workspace's reference notes
 * (shared/REFERENCE.md) give no figure for actual ÷ requested run time; the batch-scheduling
 * literature reports users' limits to be loose (Mu'alem and Feitelson, IEEE TPDS 2001; Tsafrir,
 * Etsion and Feitelson, IEEE TPDS 2007), so the default is a wide spread: half the jobs at their
 * limit, the rest uniform over [0.3, 1) of it. A running job is drawn conditioned on what it has
 * already run: its factor is at least elapsed ÷ declared.
 *
 * @param atLimitShare share of jobs that run to their declared limit, in [0, 1]
 * @param minFactor the shortest a job that ends early runs, as a share of its limit, in (0, 1]
 */
public record RunTimeDraw(double atLimitShare, double minFactor) {
  /** Half the jobs at their limit, the rest uniform over [0.3, 1) of it. ASSUMPTION, see the class comment. */
  public static final RunTimeDraw DEFAULT = new RunTimeDraw(0.5, 0.3);
  /** Every job runs exactly its declared time: the forecast the twin would give. */
  public static final RunTimeDraw EXACT = new RunTimeDraw(1, 1);

  public RunTimeDraw {
    if (!(atLimitShare >= 0 && atLimitShare <= 1) || !(minFactor > 0 && minFactor <= 1)) {
      throw new IllegalArgumentException(String.format(
          "atLimitShare=%s must be in [0, 1] and minFactor=%s in (0, 1]", atLimitShare, minFactor));
    }
  }

  /**
   * The factor for two uniform draws {@code u} (at the limit or not) and {@code v} (how early),
   * given that the job has run {@code atLeast} of its limit already (0 for a pending job).
   */
  double factor(double u, double v, double atLeast) {
    if (u < atLimitShare) {
      return 1;
    }
    double lo = Math.max(minFactor, Math.min(1, atLeast));
    return lo + (1 - lo) * v;
  }
}
