package dev.superfactory.sweep;

import java.util.List;

/**
 * One scenario of a sweep: a value for every axis and a seed.
 *
 * @param index 0-based, in generation order (first axis slowest, seeds fastest)
 * @param id the point's folder under {@code points/}: {@code p0001}, {@code p0002}, ... (1-based, zero-padded
 *     to the width of the largest index)
 * @param labels the value of each axis as written in the sweep file or generated, in {@link SweepPlan#axes()} order
 * @param seed the scenario seed
 * @param key a digest of everything the point's result depends on (base scenario, values, seed, fixed
 *     settings, estimates): a stored result is reused only when its key matches
 */
public record SweepPoint(int index, String id, List<String> labels, long seed, String key) {
  public SweepPoint {
    labels = List.copyOf(labels);
  }
}
