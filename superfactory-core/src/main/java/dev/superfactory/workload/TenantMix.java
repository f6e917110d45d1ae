package dev.superfactory.workload;

/**
 * One tenant's part of the synthetic workload.
 *
 * @param tenant index into the scenario's tenants
 * @param loadShare fraction of the offered load this tenant submits (shares are normalised)
 * @param classWeights relative job counts per class, indexed like {@link WorkloadSpec#classes()}
 */
public record TenantMix(int tenant, double loadShare, double[] classWeights) {
  public TenantMix {
    classWeights = classWeights.clone();
  }

  @Override
  public double[] classWeights() {
    return classWeights.clone();
  }

  double weight(int c) {
    return classWeights[c];
  }
}
