package dev.superfactory.sched;

import java.util.Objects;

/**
 * How a policy asks the kernel to start a pending job: start it if its tenant has headroom and
 * the gang can be placed; then, if it does not fit, in this order: with {@code reclaim}, take
 * back GPUs other tenants borrowed from its tenant's reservation (if it fits within it); with
 * {@code victims}, preempt running jobs the rule allows; with {@code reserveIfBlocked}, make it
 * the head of the queue with the EASY reservation. Immutable; the common ones are constants, so
 * a pass allocates nothing per job (a victim rule that reads the job's own priority is one object).
 */
public record Start(boolean reclaim, VictimRule victims, boolean reserveIfBlocked) {
  /** Start if it fits, nothing more. */
  public static final Start IF_IT_FITS = new Start(false, null, false);
  /** Start if it fits, reclaiming its tenant's reservation if needed. */
  public static final Start RECLAIMING = new Start(true, null, false);
  /** Start if it fits, reclaiming if needed; if it still cannot, it holds the EASY reservation. */
  public static final Start RECLAIMING_ELSE_RESERVE = new Start(true, null, true);

  /** The same, and if it does not fit, it may preempt running jobs that {@code rule} allows. */
  public Start preempting(VictimRule rule) {
    return new Start(reclaim, Objects.requireNonNull(rule, "rule"), reserveIfBlocked);
  }
}
