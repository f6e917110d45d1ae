package dev.superfactory.sched;

/**
 * Decides which pending jobs to start, in what order. A policy sees the pass through a read-only
 * {@link PassView} and hands its {@link Decision}s, one at a time, to the kernel, which validates
 * and applies each and answers with its {@link Outcome}; only the kernel changes the fleet.
 * Implementations are small final classes registered by name in {@link QueuePolicies}.
 */
public interface QueuePolicy {
  /** The name used in scenario files ({@code fifo-backfill}). */
  String name();

  /** One scheduling pass. */
  void schedule(PassView view, Decisions decisions);

  /** The kernel's side of a pass: applies one decision now and says what happened. */
  @FunctionalInterface
  interface Decisions {
    Outcome apply(Decision decision);
  }
}
