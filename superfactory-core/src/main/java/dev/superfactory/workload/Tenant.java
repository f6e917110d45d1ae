package dev.superfactory.workload;

import java.util.Objects;

/**
 * A lab renting part of the fleet, with its contract. Its running GPUs never exceed
 * {@code gpuLimit} = reserved GPUs + borrowing limit.
 *
 * @param name short unique name ({@code openai})
 * @param displayName human name ({@code OpenAI})
 * @param gpuLimit most GPUs the tenant may hold at once
 * @param contract reservation, borrowing, lending, priority, preemption, sites, weight, prices
 */
public record Tenant(String name, String displayName, int gpuLimit, Contract contract) {
  public Tenant {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(contract, "contract");
    if (gpuLimit <= 0) {
      throw new IllegalArgumentException("tenant " + name + ": gpuLimit must be > 0, got " + gpuLimit);
    }
  }

  /** A tenant without a reservation: on-demand use up to {@code gpuLimit}. */
  public Tenant(String name, String displayName, int gpuLimit) {
    this(name, displayName, gpuLimit, Contract.onDemand(gpuLimit));
  }

  public int reservedGpus() {
    return contract.reservedGpus();
  }
}
