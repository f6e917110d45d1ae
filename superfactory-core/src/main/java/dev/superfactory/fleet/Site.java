package dev.superfactory.fleet;

import java.util.List;
import java.util.Objects;

/**
 * One datacenter site.
 *
 * @param name unique short name, e.g. {@code wisconsin}
 * @param location human-readable place
 * @param latitude degrees north, NaN if not given
 * @param longitude degrees east, NaN if not given
 * @param scaleOutBandwidthBytesPerSecond scale-out (backend network) bandwidth per GPU
 * @param powerCapacityMw IT power the site can deliver
 * @param pue power usage effectiveness (facility power ÷ IT power), ≥ 1
 * @param electricityUsdPerMwh price of electricity
 * @param groups the site's block groups, in order
 */
public record Site(
    String name,
    String location,
    double latitude,
    double longitude,
    double scaleOutBandwidthBytesPerSecond,
    double powerCapacityMw,
    double pue,
    double electricityUsdPerMwh,
    List<BlockGroup> groups) {

  public Site {
    Objects.requireNonNull(name, "name");
    groups = List.copyOf(groups);
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("site " + name + " has no blocks");
    }
    if (!(scaleOutBandwidthBytesPerSecond > 0) || !(powerCapacityMw > 0) || electricityUsdPerMwh < 0) {
      throw new IllegalArgumentException("site " + name + " has a non-positive bandwidth, power or price");
    }
    if (!(pue >= 1.0)) {
      throw new IllegalArgumentException("site " + name + ": pue must be >= 1, got " + pue);
    }
  }

  public long gpus() {
    return groups.stream().mapToLong(BlockGroup::gpus).sum();
  }

  public double itPowerMw() {
    return groups.stream().mapToDouble(BlockGroup::itPowerMw).sum();
  }
}
