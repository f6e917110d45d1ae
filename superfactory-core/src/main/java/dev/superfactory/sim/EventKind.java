package dev.superfactory.sim;

/**
 * What a queued event of the twin is, in the order events at the same second are handled: job
 * ends first (their GPUs are free for what follows), then repairs, restarts after a hot-spare
 * swap, restarts after a detected failure, new failures, maintenance starts. The payload is a job
 * id, a repair slot, a failure cause or a maintenance plan, as the kind says.
 */
enum EventKind {
  /** A job's current run segment ends: it completed (payload: job). */
  FINISH,
  /** A failed component or cut WAN link is repaired (payload: repair slot). */
  REPAIR,
  /** A job that swapped in hot spares is ready to restart (payload: job). */
  SWAPPED,
  /** A job's failure or drain has been handled: it restarts or requeues (payload: job). */
  DETECTED,
  /** The next event of a failure process (payload: cause index). */
  FAILURE,
  /** The next unit of a maintenance rollout goes down (payload: plan index). */
  MAINT_START;

  private static final EventKind[] VALUES = values();

  static EventKind of(int ordinal) {
    return VALUES[ordinal];
  }
}
