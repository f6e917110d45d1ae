package dev.superfactory.workload;

import java.util.SplittableRandom;

/** A random quantity drawn from one named stream. Implementations are immutable. */
public interface Distribution {
  double sample(SplittableRandom random);

  /** The exact (or numerically integrated) mean. */
  double mean();
}
