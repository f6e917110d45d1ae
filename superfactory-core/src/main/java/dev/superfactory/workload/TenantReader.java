package dev.superfactory.workload;

import dev.superfactory.input.ConfigNode;
import dev.superfactory.input.Suggest;
import dev.superfactory.input.Units;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the {@code tenants:} list of a scenario, each tenant with its contract. Defaults: no
 * reservation (everything on demand), borrowing unlimited up to {@code gpuLimit} (or the whole
 * fleet), lends its idle reservation, priority normal, preemptible, all sites, weight 1, prices
 * $2.00 reserved and $3.00 on demand per GPU-hour (ASSUMPTION: 2025 market rates for H100-class
 * capacity). Reservations must fit in the fleet.
 */
public final class TenantReader {
  private static final List<String> KEYS = List.of("name", "displayName", "gpuLimit", "reservedGpus", "reclaimWithin",
      "borrowLimit", "lends", "priority", "preemptible", "sites", "weight", "prices");
  static final double DEFAULT_RESERVED_PRICE = Contract.DEFAULT_RESERVED_USD_PER_GPU_HOUR;
  static final double DEFAULT_ON_DEMAND_PRICE = Contract.DEFAULT_ON_DEMAND_USD_PER_GPU_HOUR;

  private TenantReader() {}

  /** Reads tenants; {@code fleetGpus} is the default GPU limit; {@code siteNames} resolve {@code sites}. */
  public static List<Tenant> read(List<ConfigNode> nodes, int fleetGpus, List<String> siteNames) {
    List<Tenant> tenants = new ArrayList<>();
    Map<String, ConfigNode> seen = new HashMap<>();
    long reserved = 0;
    for (ConfigNode n : nodes) {
      n.requireMap().allowOnly(KEYS);
      String name = n.string("name");
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
        throw n.error("name", "must be letters, digits, '-', '_' or '.', got '" + name + "'");
      }
      ConfigNode previous = seen.put(name, n);
      if (previous != null) {
        throw n.error("name", "duplicate tenant name '" + name + "' (first defined at line "
            + previous.location().line() + ")");
      }
      Contract c = contract(n, fleetGpus, siteNames);
      reserved += c.reservedGpus();
      if (reserved > fleetGpus) {
        throw n.error("reservedGpus", "reservations add up to " + reserved + " GPUs, more than the fleet's " + fleetGpus);
      }
      tenants.add(new Tenant(name, n.string("displayName", name), c.gpuCap(), c));
    }
    return tenants;
  }

  private static Contract contract(ConfigNode n, int fleetGpus, List<String> siteNames) {
    int reservedGpus = n.nonNegativeInt("reservedGpus", 0);
    if (reservedGpus > fleetGpus) {
      throw n.error("reservedGpus", "is more than the fleet's " + fleetGpus + " GPUs");
    }
    int limit = n.positiveInt("gpuLimit", fleetGpus);
    if (n.has("gpuLimit") && limit < reservedGpus) {
      throw n.error("gpuLimit", "is below reservedGpus (" + reservedGpus + ")");
    }
    int borrow = n.has("borrowLimit") ? n.nonNegativeInt("borrowLimit", 0) : Math.max(0, limit - reservedGpus);
    if (n.has("borrowLimit") && n.has("gpuLimit") && reservedGpus + borrow != limit) {
      throw n.error("borrowLimit", "reservedGpus + borrowLimit (" + (reservedGpus + borrow)
          + ") must equal gpuLimit (" + limit + "); give one of them");
    }
    if (reservedGpus + borrow == 0) {
      throw n.error("borrowLimit", "the tenant could never run a job: give reservedGpus or a borrowLimit > 0");
    }
    long reclaim = n.has("reclaimWithin")
        ? Math.round(n.get("reclaimWithin").asQuantityOrZero(Units::parseDurationSeconds)) : 3600;
    long mask = -1L;
    if (n.has("sites")) {
      mask = 0;
      for (ConfigNode s : n.get("sites").asList()) {
        String site = s.asString();
        int i = siteNames.indexOf(site);
        if (i < 0) {
          String nearest = Suggest.nearest(site, siteNames);
          throw s.error("names site '" + site + "' which does not exist"
              + (nearest != null ? "; did you mean '" + nearest + "'?" : "") + " (sites: " + String.join(", ", siteNames) + ")");
        }
        mask |= 1L << i;
      }
      if (mask == 0) {
        throw n.error("sites", "must name at least one site");
      }
    }
    double reservedPrice = DEFAULT_RESERVED_PRICE;
    double onDemandPrice = DEFAULT_ON_DEMAND_PRICE;
    boolean billsDowntime = false;
    if (n.has("prices")) {
      ConfigNode p = n.get("prices").requireMap()
          .allowOnly("reservedUsdPerGpuHour", "onDemandUsdPerGpuHour", "providerDowntime");
      reservedPrice = p.nonNegative("reservedUsdPerGpuHour", reservedPrice);
      onDemandPrice = p.nonNegative("onDemandUsdPerGpuHour", onDemandPrice);
      billsDowntime = providerDowntimeBilled(p);
    }
    return new Contract(reservedGpus, reclaim, borrow, n.bool("lends", true), priority(n), n.bool("preemptible", true),
        mask, n.has("weight") ? n.positive("weight") : 1.0, reservedPrice, onDemandPrice, billsDowntime);
  }

  /** {@code providerDowntime: not-billed} (the default) or {@code billed}. */
  private static boolean providerDowntimeBilled(ConfigNode prices) {
    if (!prices.has("providerDowntime")) {
      return false;
    }
    ConfigNode v = prices.get("providerDowntime");
    switch (v.asString()) {
      case "not-billed":
        return false;
      case "billed":
        return true;
      default:
        throw v.error("must be not-billed or billed, got '" + v.asString() + "'");
    }
  }

  /** {@code high} = 100, {@code normal} = 50, {@code low} = 0, or a number. */
  private static int priority(ConfigNode n) {
    if (!n.has("priority")) {
      return 50;
    }
    ConfigNode p = n.get("priority");
    String s = p.asString().toLowerCase(Locale.ROOT);
    switch (s) {
      case "high":
        return 100;
      case "normal":
        return 50;
      case "low":
        return 0;
      default:
        try {
          return Integer.parseInt(s);
        } catch (NumberFormatException e) {
          throw p.error("must be high, normal, low or a whole number, got '" + p.asString() + "'");
        }
    }
  }
}
