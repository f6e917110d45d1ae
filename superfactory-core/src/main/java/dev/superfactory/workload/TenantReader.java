package dev.superfactory.workload;

import dev.superfactory.input.ConfigNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code tenants:} list of a scenario. */
public final class TenantReader {
  private static final List<String> KEYS = List.of("name", "displayName", "gpuLimit");

  private TenantReader() {}

  /** Reads tenants; {@code fleetGpus} is the default (and largest meaningful) GPU limit. */
  public static List<Tenant> read(List<ConfigNode> nodes, int fleetGpus) {
    List<Tenant> tenants = new ArrayList<>();
    Map<String, ConfigNode> seen = new HashMap<>();
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
      tenants.add(new Tenant(name, n.string("displayName", name), n.positiveInt("gpuLimit", fleetGpus)));
    }
    return tenants;
  }
}
