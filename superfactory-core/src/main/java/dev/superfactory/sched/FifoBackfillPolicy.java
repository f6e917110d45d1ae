package dev.superfactory.sched;

/**
 * FIFO with EASY backfilling (Lifka, "The ANL/IBM SP scheduling system", JSSPP 1995; Mu'alem and
 * Feitelson, IEEE TPDS 2001): the first job that cannot start gets a reservation at the earliest
 * time enough GPUs will be free; a later job may start now only if it does not delay that
 * reservation, judged by the jobs' declared run times. Cost per pass: O(pending) decisions in a
 * full pass, O(arrivals) otherwise.
 */
public final class FifoBackfillPolicy implements QueuePolicy {
  @Override
  public String name() {
    return "fifo-backfill";
  }

  @Override
  public void schedule(PassView view, Decisions decisions) {
    if (view.full()) {
      Reservation[] head = {null};
      view.forEachPending(j -> {
        if (head[0] != null) {
          decisions.backfill(j, head[0]);
        } else if (decisions.start(j, Start.RECLAIMING_ELSE_RESERVE) == Outcome.NO_FIT) {
          head[0] = view.reservation();
        }
        return true;
      });
    } else {
      view.forEachArrival(j -> {
        Reservation r = view.reservation();
        if (r == null) {
          decisions.start(j, Start.RECLAIMING_ELSE_RESERVE);
        } else {
          decisions.backfill(j, r);
        }
        return true;
      });
    }
  }
}
