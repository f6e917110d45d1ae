package dev.superfactory.workload;

import java.util.SplittableRandom;

/**
 * A positive quantity (a job's run time in seconds, its training tokens, a repair time):
 * log-normal with a given median and 90th percentile, clamped to [min, max]. Heavy-tailed like the
 * run times of real GPU clusters (Philly: median ≈ 1,186 s, p90 ≈ 12,858 s;
 * reference-stats/philly_runtime.csv).
 *
 * <p>σ = ln(p90 / median) / z₀.₉ with z₀.₉ = 1.2815516; μ = ln(median). The mean of the clamped
 * variable is integrated numerically once at construction.
 */
public record LogNormal(double median, double p90, double min, double max)
    implements Distribution {
  static final double Z90 = 1.2815515655446004;

  public LogNormal {
    if (!(median > 0) || !(p90 >= median) || !(min > 0) || !(max >= min)) {
      throw new IllegalArgumentException(String.format(
          "need 0 < median (%s) <= p90 (%s) and 0 < min (%s) <= max (%s)", median, p90, min, max));
    }
  }

  double sigma() {
    return Math.log(p90 / median) / Z90;
  }

  @Override
  public double sample(SplittableRandom random) {
    double z = Gaussian.next(random);
    double x = median * Math.exp(sigma() * z);
    return Math.min(max, Math.max(min, x));
  }

  @Override
  public double mean() {
    // midpoint rule over z in [-9, 9]; the clamped integrand is bounded, so this is exact to ~1e-9
    double sigma = sigma();
    int n = 20_000;
    double lo = -9;
    double h = 18.0 / n;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double z = lo + (i + 0.5) * h;
      double x = Math.min(max, Math.max(min, median * Math.exp(sigma * z)));
      sum += x * Math.exp(-0.5 * z * z);
    }
    return sum * h / Math.sqrt(2 * Math.PI);
  }
}
