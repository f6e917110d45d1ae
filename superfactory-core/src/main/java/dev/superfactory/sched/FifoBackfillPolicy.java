package dev.superfactory.sched;

/**
 * FIFO with EASY backfilling (Lifka, "The ANL/IBM SP scheduling system", JSSPP 1995; Mu'alem and
 * Feitelson, IEEE TPDS 2001): the first job that cannot start gets a reservation at the earliest
 * time enough GPUs will be free; a later job may start now only if it does not delay that
 * reservation, judged by the jobs' declared run times. Cost per pass: O(pending) decisions in a
 * full pass (in a forecast's fork, only up to where no job can use the free GPUs without delaying
 * the reservation: {@link PassView#restCannotBackfill}), O(arrivals) otherwise.
 */
public final class FifoBackfillPolicy implements QueuePolicy {
  @Override
  public String name() {
    return "fifo-backfill";
  }

  @Override
  public void schedule(PassView view, Decisions decisions) {
    if (view.full()) {
      Reservation head = null;
      for (int j = view.firstPending(), next; j >= 0; j = next) {
        next = view.nextPending(j); // before deciding: a start takes j out of the queue
        if (head != null && view.restCannotBackfill(head)) {
          return; // the rest can only be deferred (in a forecast's fork, which keeps no reasons)
        }
        if (head != null) {
          decisions.backfill(j, head);
        } else if (decisions.start(j, Start.RECLAIMING_ELSE_RESERVE) == Outcome.NO_FIT) {
          head = view.reservation();
        }
      }
    } else {
      for (int i = 0; i < view.arrivals(); i++) {
        int j = view.arrival(i);
        Reservation r = view.reservation();
        if (j < 0) {
          continue;
        } else if (r == null) {
          decisions.start(j, Start.RECLAIMING_ELSE_RESERVE);
        } else {
          decisions.backfill(j, r);
        }
      }
    }
  }
}
