package dev.superfactory.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/** A job's GPU count: one of a few values, with weights. Immutable; sampling O(log values). */
public final class GpuChoice implements Distribution {
  private final int[] values;
  private final double[] cumulative;
  private final double mean;

  public GpuChoice(int[] values, double[] weights) {
    if (values.length == 0 || values.length != weights.length) {
      throw new IllegalArgumentException("need as many weights as values, and at least one");
    }
    this.values = values.clone();
    this.cumulative = new double[weights.length];
    double total = 0;
    double weighted = 0;
    for (int i = 0; i < values.length; i++) {
      if (values[i] <= 0 || !(weights[i] >= 0)) {
        throw new IllegalArgumentException("GPU counts must be > 0 and weights >= 0: " + values[i] + ", " + weights[i]);
      }
      total += weights[i];
      weighted += weights[i] * values[i];
      cumulative[i] = total;
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("weights sum to zero");
    }
    for (int i = 0; i < cumulative.length; i++) {
      cumulative[i] /= total;
    }
    this.mean = weighted / total;
  }

  /** Powers of two from {@code from} to {@code to}, equally likely (log-uniform). */
  public static GpuChoice powersOfTwo(int from, int to) {
    int n = 0;
    for (long v = Integer.highestOneBit(from) == from ? from : Integer.highestOneBit(from) << 1; v <= to; v <<= 1) {
      n++;
    }
    if (n == 0) {
      throw new IllegalArgumentException("no power of two between " + from + " and " + to);
    }
    int[] values = new int[n];
    int first = Integer.highestOneBit(from) == from ? from : Integer.highestOneBit(from) << 1;
    for (int i = 0; i < n; i++) {
      values[i] = first << i;
    }
    double[] w = new double[n];
    Arrays.fill(w, 1);
    return new GpuChoice(values, w);
  }

  public int sampleInt(SplittableRandom random) {
    double u = random.nextDouble();
    int i = Arrays.binarySearch(cumulative, u);
    if (i < 0) {
      i = -i - 1;
    }
    return values[Math.min(i, values.length - 1)];
  }

  @Override
  public double sample(SplittableRandom random) {
    return sampleInt(random);
  }

  @Override
  public double mean() {
    return mean;
  }

  /** Mean after capping each value to the largest multiple of its group not above {@code cap}. */
  public double meanCapped(int cap, JobClass cls) {
    double sum = 0;
    double prev = 0;
    for (int i = 0; i < values.length; i++) {
      double p = cumulative[i] - prev;
      prev = cumulative[i];
      sum += p * SyntheticGenerator.capGpus(values[i], cap, cls);
    }
    return sum;
  }

  public int max() {
    return Arrays.stream(values).max().orElseThrow();
  }

  /** Probability of each of {@link #values()}. */
  public double[] probabilities() {
    double[] p = new double[cumulative.length];
    double prev = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = cumulative[i] - prev;
      prev = cumulative[i];
    }
    return p;
  }

  public int[] values() {
    return values.clone();
  }
}
