package dev.superfactory.workload.openb;

import java.util.Locale;

/**
 * A pod's Kubernetes phase when the trace was collected ({@code pod_phase} column). {@code Running}
 * is the phase at deletion or trace end and does not mean the pod outlived the trace; a
 * {@code Pending} pod was never bound to a node and has no {@code scheduled_time}.
 */
public enum PodPhase {
  RUNNING("Running"),
  SUCCEEDED("Succeeded"),
  FAILED("Failed"),
  PENDING("Pending");

  private final String traceName;

  PodPhase(String traceName) {
    this.traceName = traceName;
  }

  /** As the trace writes it: {@code Running}. */
  public String traceName() {
    return traceName;
  }

  /** The phase written {@code text} (any case), or null. */
  static PodPhase parse(String text) {
    for (PodPhase p : values()) {
      if (p.traceName.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    return null;
  }
}
