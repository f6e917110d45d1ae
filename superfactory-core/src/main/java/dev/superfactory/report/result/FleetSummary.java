package dev.superfactory.report.result;

import java.util.List;

/** {@code fleet}: its GPUs in all and per site, in the fleet's site order. */
public record FleetSummary(int totalGpus, List<Site> sites) {
  /** One site and its GPUs. */
  public record Site(String name, int gpus) {}

  public FleetSummary {
    sites = Immutable.list(sites);
  }
}
