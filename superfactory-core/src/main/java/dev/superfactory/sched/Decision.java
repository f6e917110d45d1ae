package dev.superfactory.sched;

import java.util.Objects;

/**
 * One decision of a policy about one pending job, for the kernel to validate and apply:
 * <ul>
 *   <li>{@link #start}: start it if its tenant has headroom and the gang can be placed; then,
 *       optionally and in this order, {@link #reclaiming()} (if it fits within its tenant's
 *       reservation, preempt other tenants' borrowed jobs to make room), {@link #preempting}
 *       (preempt running jobs the rule allows), {@link #reservingIfBlocked()} (if it still cannot
 *       start, it gets the EASY reservation);
 *   <li>{@link #backfill}: start it only if it does not delay {@code reservation};
 *   <li>{@link #defer}: leave it pending, for a reason a person can read.
 * </ul>
 * Immutable; the builders return new values.
 */
public record Decision(Kind kind, int job, boolean reclaim, VictimRule victims, boolean reserve,
    Reservation against, PendingReason reason) {
  /** What the decision asks. */
  public enum Kind { START, BACKFILL, DEFER }

  public Decision {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.BACKFILL) {
      Objects.requireNonNull(against, "a backfill needs the reservation it must not delay");
    }
    if (kind == Kind.DEFER) {
      Objects.requireNonNull(reason, "a deferral needs a reason");
    }
  }

  public static Decision start(int job) {
    return new Decision(Kind.START, job, false, null, false, null, null);
  }

  public static Decision backfill(int job, Reservation reservation) {
    return new Decision(Kind.BACKFILL, job, false, null, false, reservation, null);
  }

  public static Decision defer(int job, PendingReason reason) {
    return new Decision(Kind.DEFER, job, false, null, false, null, reason);
  }

  /** Within its tenant's reservation, it may take back GPUs other tenants borrowed. */
  public Decision reclaiming() {
    return new Decision(kind, job, true, victims, reserve, against, reason);
  }

  /** If it does not fit, it may preempt running jobs that {@code rule} allows. */
  public Decision preempting(VictimRule rule) {
    return new Decision(kind, job, reclaim, Objects.requireNonNull(rule, "rule"), reserve, against, reason);
  }

  /** If it still cannot start, it becomes the head of the queue with the EASY reservation. */
  public Decision reservingIfBlocked() {
    return new Decision(kind, job, reclaim, victims, true, against, reason);
  }
}
