package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;

/**
 * Everything the kernel decides, reported as it happens: the one channel through which the twin
 * books its metrics and a live service writes its event log. Jobs are named by the caller's ids;
 * times are kernel seconds. Allocations passed here are immutable; a "released" allocation's
 * GPUs are free (or out of service) once the call returns.
 *
 * <p>Callbacks run on the kernel's thread, inside the command that caused them, and must not
 * call back into the kernel's commands.
 */
public interface SchedulerListener {
  /** Accepted into the queue; {@code withinReservation}: its tenant's use plus the job fits its reservation now. */
  default void queued(long job, boolean withinReservation, long now) {}

  /** Refused forever (larger than its tenant's limit or the GPUs it may use); it left the kernel. */
  default void rejected(long job, PendingReason reason, long now) {}

  /**
   * Still pending, for a new reason (reported only when the reason changes, and only to a
   * listener that {@link #wantsDeferrals wants them}; {@code Scheduler#pendingReason} answers at
   * any time).
   */
  default void deferred(long job, PendingReason reason, long now) {}

  /**
   * Whether to report {@link #deferred} at all: reasons can change on every pass for many pending
   * jobs, and a listener that only reads them on demand spares the kernel that work.
   */
  default boolean wantsDeferrals() {
    return true;
  }

  /** This listener, then {@code then}: every report goes to both, in that order. */
  default SchedulerListener andThen(SchedulerListener then) {
    return new TeeListener(this, then);
  }

  /** Started from the queue on {@code allocation} (a first start, or again after a requeue or preemption). */
  void started(long job, Allocation allocation, long now);

  /** About to be stopped for {@code byJob} and requeued in its arrival position; its GPUs are released right after. */
  default void preempted(long job, Allocation allocation, long byJob, long now) {}

  /**
   * Its GPUs failed (or are being drained for maintenance, or it must give up a shrunk placement
   * to regrow): it holds its GPUs, makes no progress and waits for {@code Scheduler#recover}.
   *
   * @param wasStalled it was stalled on a cut WAN link when interrupted
   */
  default void interrupted(long job, Allocation allocation, Interruption why, boolean wasStalled, long now) {}

  /**
   * Hot spares of the same domains replaced its failed GPUs ({@code before} → {@code after}, same
   * count); it is interrupted until {@code Scheduler#recover}, then restarts in place.
   */
  default void swapped(long job, Allocation before, Allocation after, long now) {}

  /** Restarted in place after an interruption: {@code after} is {@code before} with failed domains replaced. */
  default void restarted(long job, Allocation before, Allocation after, long now) {}

  /** Gave up {@code released} and went back to the front of the queue (no replacement GPUs fit, or to regrow). */
  default void requeued(long job, Allocation released, long now) {}

  /** A WAN link it spans was cut: it holds its GPUs and pauses until the link returns. */
  default void stalled(long job, Allocation allocation, long now) {}

  /** The cut link returned: a stalled job computes again. */
  default void resumed(long job, Allocation allocation, long now) {}

  /** A WAN link it spans was cut: it keeps {@code kept} on one site and released {@code released}. */
  default void shrunk(long job, Allocation before, Allocation kept, Allocation released, long now) {}

  /** Completed (reported by the caller): {@code allocation} is released right after this call. */
  default void finished(long job, Allocation allocation, long now) {}

  /** Cancelled; {@code released} is its allocation if it held GPUs, else null. */
  default void cancelled(long job, Allocation released, long now) {}

  /** Why a running job was interrupted. */
  enum Interruption {
    /** GPUs under it failed (or the job itself crashed): work since its last checkpoint is lost. */
    FAILURE,
    /** Its GPUs are drained for planned maintenance: it checkpoints first, nothing is lost. */
    DRAIN,
    /** It ran shrunk to one site during a WAN cut; the link is back, so it checkpoints and requeues to regrow. */
    REGROW
  }
}
