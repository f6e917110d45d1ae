package dev.superfactory.fleet;

import java.util.Objects;

/**
 * A dedicated wide-area link between two sites.
 *
 * <p>Latency defaults to the propagation delay of light in fiber, 5 µs per km one way
 * (refractive index ≈ 1.47; REFERENCE.md "Cross-site training": 4.9–5.0 µs/km), so 1,130 km gives
 * 5.65 ms one way.
 *
 * @param siteA one end (site name)
 * @param siteB the other end
 * @param distanceKm fiber route length
 * @param bandwidthBytesPerSecond capacity in each direction
 * @param latencySeconds one-way latency
 */
public record WanLink(String siteA, String siteB, double distanceKm, double bandwidthBytesPerSecond, double latencySeconds) {
  public static final double FIBER_SECONDS_PER_KM = 5e-6;

  public WanLink {
    Objects.requireNonNull(siteA, "siteA");
    Objects.requireNonNull(siteB, "siteB");
    if (!(distanceKm > 0) || !(bandwidthBytesPerSecond > 0) || !(latencySeconds > 0)) {
      throw new IllegalArgumentException(String.format(
          "WAN link %s-%s: distanceKm=%s, bandwidth=%s, latency=%s must all be > 0",
          siteA, siteB, distanceKm, bandwidthBytesPerSecond, latencySeconds));
    }
  }

  /** A link whose latency follows from its distance. */
  public static WanLink ofDistance(String siteA, String siteB, double distanceKm, double bandwidthBytesPerSecond) {
    return new WanLink(siteA, siteB, distanceKm, bandwidthBytesPerSecond, distanceKm * FIBER_SECONDS_PER_KM);
  }

  public boolean connects(String a, String b) {
    return (siteA.equals(a) && siteB.equals(b)) || (siteA.equals(b) && siteB.equals(a));
  }
}
