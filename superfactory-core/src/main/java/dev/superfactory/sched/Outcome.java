package dev.superfactory.sched;

/** What happened when a policy asked the kernel to start a job. */
public enum Outcome {
  STARTED,
  /** Its tenant is at its limit; the job is not eligible now (it does not block others). */
  TENANT_LIMIT,
  /** Not enough GPUs in the right shape now. */
  NO_FIT,
  /** It would fit, but starting it would delay the reservation (backfill only). */
  RESERVED
}
