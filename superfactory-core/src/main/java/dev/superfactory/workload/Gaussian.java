package dev.superfactory.workload;

import java.util.SplittableRandom;

/** Standard normal draws by the Box–Muller transform (one of the pair is used: simple, stateless). */
final class Gaussian {
  private Gaussian() {}

  static double next(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble(); // (0, 1]
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
