package dev.superfactory.sched;

/**
 * Decides which pending jobs to start, in what order. A policy sees the pass through a read-only
 * {@link PassView} and hands its decisions, one at a time, to the kernel ({@link Decisions}):
 * start (how: {@link Start}), backfill against a reservation, or defer with a reason. The kernel
 * validates and applies each at once and answers with its {@link Outcome}, which the view then
 * reflects; only the kernel changes the fleet. Implementations are small final classes
 * registered by name in {@link QueuePolicies}.
 */
public interface QueuePolicy {
  /** The name used in scenario files ({@code fifo-backfill}). */
  String name();

  /** One scheduling pass. */
  void schedule(PassView view, Decisions decisions);

  /**
   * The policy for a fork of the kernel ({@link Scheduler#fork}): a policy that keeps state
   * between passes returns a deep copy; a stateless one (every registered policy today) itself.
   */
  default QueuePolicy fork() {
    return this;
  }

  /**
   * The kernel's side of a pass: each call is one decision about one pending job, validated and
   * applied at once. A decision about a job that is not pending is a policy bug and throws.
   */
  interface Decisions {
    /** Start the job now, as {@code how} says. */
    Outcome start(int job, Start how);

    /** Start the job now only if it does not delay {@code reservation} (EASY backfilling). */
    Outcome backfill(int job, Reservation reservation);

    /** Leave the job pending, for a reason a person can read. */
    void defer(int job, PendingReason reason);
  }
}
