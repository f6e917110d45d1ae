package dev.superfactory.reliability;

import java.util.List;

/**
 * The {@code reliability:} section: failure processes, planned maintenance, restart costs,
 * checkpointing, hot spares and what multi-site jobs do when the WAN is cut.
 *
 * @param enabled false turns every failure process off ({@code --no-failures})
 * @param gpusPerHost GPUs per host (compute tray or server), the unit a host-scope failure takes down
 * @param causes failure processes
 * @param planned rolling maintenance
 * @param restart restart costs
 * @param checkpoint checkpoint policy
 * @param sparesPerDomain GPUs per scale-up domain held back as hot spares
 * @param shrinkOnWanCut true: a job spanning a cut link drops to its largest site and continues at
 *     reduced speed until the link returns; false: it stalls
 */
public record ReliabilitySpec(
    boolean enabled,
    int gpusPerHost,
    List<FailureCause> causes,
    List<PlannedMaintenance> planned,
    RestartCosts restart,
    CheckpointPolicy checkpoint,
    int sparesPerDomain,
    boolean shrinkOnWanCut) {
  public ReliabilitySpec {
    causes = List.copyOf(causes);
    planned = List.copyOf(planned);
    if (gpusPerHost <= 0 || sparesPerDomain < 0) {
      throw new IllegalArgumentException("gpusPerHost must be > 0 and sparesPerDomain >= 0");
    }
  }

  /** No failures, no maintenance: the twin of issue 3. Checkpoint and restart defaults still apply. */
  public static ReliabilitySpec off() {
    return new ReliabilitySpec(false, 8, List.of(), List.of(), ReliabilityReader.defaultRestart(),
        ReliabilityReader.defaultCheckpoint(), 0, false);
  }

  public ReliabilitySpec withEnabled(boolean on) {
    return new ReliabilitySpec(on, gpusPerHost, causes, planned, restart, checkpoint, sparesPerDomain, shrinkOnWanCut);
  }

  /** Whether anything can interrupt a job. */
  public boolean active() {
    return enabled && (!causes.isEmpty() || !planned.isEmpty());
  }
}
