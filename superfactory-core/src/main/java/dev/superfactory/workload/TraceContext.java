package dev.superfactory.workload;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link TraceReader} is told besides its file.
 *
 * @param tenants the scenario's tenants, matched to the trace's by name; empty: the reader creates
 *     the tenants the trace names
 * @param newTenantGpuLimit GPU limit of each tenant a reader creates (the fleet's GPUs: no limit)
 * @param oracle run times of rows that name a model and a token count instead of a duration
 */
public record TraceContext(List<Tenant> tenants, int newTenantGpuLimit, DurationOracle oracle) {
  public TraceContext {
    tenants = List.copyOf(tenants);
    Objects.requireNonNull(oracle, "oracle");
    if (newTenantGpuLimit <= 0) {
      throw new IllegalArgumentException("newTenantGpuLimit must be > 0, got " + newTenantGpuLimit);
    }
  }

  /** A context without a performance model: rows that name a model are errors. */
  public static TraceContext of(List<Tenant> tenants, int newTenantGpuLimit) {
    return new TraceContext(tenants, newTenantGpuLimit, DurationOracle.NONE);
  }
}
