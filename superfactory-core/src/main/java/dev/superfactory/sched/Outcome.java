package dev.superfactory.sched;

/** What happened when the kernel applied a policy's decision ({@link QueuePolicy.Decisions}). */
public enum Outcome {
  STARTED,
  /** Its tenant is at its limit; the job is not eligible now (it does not block others). */
  TENANT_LIMIT,
  /** Not enough GPUs in the right shape now. */
  NO_FIT,
  /** It would fit, but starting it would delay the reservation (backfill only). */
  RESERVED,
  /** The policy deferred it. */
  DEFERRED
}
