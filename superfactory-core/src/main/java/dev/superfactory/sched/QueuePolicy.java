package dev.superfactory.sched;

/**
 * Decides which pending jobs to start, in what order. A policy sees the queue through a
 * {@link SchedulingPass} and asks the kernel to start jobs; only the kernel changes the fleet.
 * Implementations are small final classes registered by name in {@link QueuePolicies}.
 */
public interface QueuePolicy {
  /** The name used in scenario files ({@code fifo-backfill}). */
  String name();

  /** One scheduling pass. */
  void schedule(SchedulingPass pass);
}
