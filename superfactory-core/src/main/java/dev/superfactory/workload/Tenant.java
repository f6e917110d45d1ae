package dev.superfactory.workload;

import java.util.Objects;

/**
 * A lab renting part of the fleet, with its contract. For now the contract is a GPU limit: the
 * tenant's running GPUs never exceed it.
 *
 * @param name short unique name ({@code openai})
 * @param displayName human name ({@code OpenAI})
 * @param gpuLimit most GPUs the tenant may hold at once
 */
public record Tenant(String name, String displayName, int gpuLimit) {
  public Tenant {
    Objects.requireNonNull(name, "name");
    if (gpuLimit <= 0) {
      throw new IllegalArgumentException("tenant " + name + ": gpuLimit must be > 0, got " + gpuLimit);
    }
  }
}
