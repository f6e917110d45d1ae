package dev.superfactory.workload.openb;

import java.util.Locale;

/**
 * The Kubernetes QoS class of an openb pod ({@code qos} column). The trace has no user or tenant
 * column; by default each class becomes one Superfactory tenant, named {@link #tenantName()}.
 */
public enum Qos {
  LS("LS", "ls", "LS (latency-sensitive)"),
  BE("BE", "be", "BE (best-effort)"),
  BURSTABLE("Burstable", "burstable", "Burstable"),
  GUARANTEED("Guaranteed", "guaranteed", "Guaranteed");

  private final String traceName;
  private final String tenantName;
  private final String displayName;

  Qos(String traceName, String tenantName, String displayName) {
    this.traceName = traceName;
    this.tenantName = tenantName;
    this.displayName = displayName;
  }

  /** As the trace writes it: {@code LS}, {@code Burstable}. */
  public String traceName() {
    return traceName;
  }

  /** The tenant this class becomes: {@code ls}, {@code burstable}. */
  public String tenantName() {
    return tenantName;
  }

  public String displayName() {
    return displayName;
  }

  /** The class written {@code text} (any case), or null. */
  static Qos parse(String text) {
    for (Qos q : values()) {
      if (q.traceName.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
        return q;
      }
    }
    return null;
  }
}
