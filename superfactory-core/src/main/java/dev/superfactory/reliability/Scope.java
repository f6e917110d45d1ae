package dev.superfactory.reliability;

/** What a failure takes out of service, and therefore which jobs it interrupts. */
public enum Scope {
  /** One GPU. */
  GPU,
  /** One host (server or compute tray): {@code gpusPerHost} GPUs. */
  HOST,
  /** One scale-up domain: an NVL72 rack, an HGX server. */
  DOMAIN,
  /** One block (scale-out unit). */
  BLOCK,
  /** A whole site. */
  SITE,
  /** A WAN link: jobs spanning its two sites stall or shrink. */
  WAN,
  /** Software (driver, collective-library hang): the job on a random GPU restarts; nothing is repaired. */
  JOB
}
