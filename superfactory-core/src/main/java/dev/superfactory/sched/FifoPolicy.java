package dev.superfactory.sched;

/**
 * First come, first served, strictly: the first job that cannot be placed blocks every job behind
 * it, except jobs within their own tenant's reservation (a reservation never waits behind another
 * tenant's queue). Jobs whose tenant is at its limit are not eligible and block no one. Cost per
 * pass: O(pending) decisions in a full pass (in a forecast's fork, only up to where nothing more
 * can start: {@link PassView#restCannotStart}), O(arrivals) otherwise.
 */
public final class FifoPolicy implements QueuePolicy {
  @Override
  public String name() {
    return "fifo";
  }

  @Override
  public void schedule(PassView view, Decisions decisions) {
    if (view.full()) {
      for (int j = view.firstPending(), next; j >= 0; j = next) {
        next = view.nextPending(j);
        if (view.reservation() != null && view.restCannotStart()) {
          return; // the rest can only be deferred (in a forecast's fork, which keeps no reasons)
        }
        startOrBlock(view, decisions, j);
      }
      return;
    }
    boolean blocked = view.reservation() != null;
    for (int i = 0; i < view.arrivals(); i++) {
      int j = view.arrival(i);
      if (j >= 0 && blocked) {
        behindHead(view, decisions, j);
      } else if (j >= 0) {
        startOrBlock(view, decisions, j);
      }
    }
  }

  /** Behind a blocked head only jobs within their tenant's reservation may start. */
  private static void behindHead(PassView view, Decisions decisions, int job) {
    Reservation head = view.reservation();
    if (head != null && view.withinReservation(job) && view.jobTenant(job) != view.jobTenant(head.job())) {
      decisions.start(job, Start.RECLAIMING);
    } else {
      decisions.defer(job, PendingReason.BEHIND_HEAD);
    }
  }

  /** Once a job blocks the queue (it holds the reservation, FIFO never backfills), later jobs only start within their reservation. */
  private static void startOrBlock(PassView view, Decisions decisions, int job) {
    Reservation head = view.reservation();
    if (head != null && head.job() != job) {
      behindHead(view, decisions, job);
    } else {
      decisions.start(job, Start.RECLAIMING_ELSE_RESERVE); // the head itself tries again
    }
  }
}
