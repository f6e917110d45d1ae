package dev.superfactory.scenario;

import dev.superfactory.fleet.Fleet;
import dev.superfactory.fleet.GpuCatalog;
import dev.superfactory.workload.Tenant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a run needs, read once from a scenario file or a preset and validated. Immutable.
 *
 * @param name scenario name (used in output folder names)
 * @param description one paragraph for people
 * @param source where it was read from ({@code preset fairwater} or a path)
 * @param seed root of every random stream
 * @param gpus the GPU catalog in force (built-ins plus the scenario's own)
 * @param fleet sites, blocks, domains, WAN
 * @param tenants labs sharing the fleet
 */
public record Scenario(
    String name, String description, String source, long seed, GpuCatalog gpus, Fleet fleet, List<Tenant> tenants) {
  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(fleet, "fleet");
    tenants = List.copyOf(tenants);
  }
}
