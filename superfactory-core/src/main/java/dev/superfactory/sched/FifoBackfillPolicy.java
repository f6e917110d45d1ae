package dev.superfactory.sched;

/**
 * FIFO with EASY backfilling (Lifka, "The ANL/IBM SP scheduling system", JSSPP 1995; Mu'alem and
 * Feitelson, IEEE TPDS 2001): the first job that cannot start gets a reservation at the earliest
 * time enough GPUs will be free; a later job may start now only if it does not delay that
 * reservation, judged by the jobs' expected durations.
 */
public final class FifoBackfillPolicy implements QueuePolicy {
  @Override
  public String name() {
    return "fifo-backfill";
  }

  @Override
  public void schedule(SchedulingPass pass) {
    if (pass.full()) {
      Reservation[] head = {null};
      pass.forEachPending(j -> {
        if (head[0] == null) {
          if (pass.tryStart(j, true) == Outcome.NO_FIT) {
            head[0] = pass.reserve(j);
          }
        } else {
          pass.tryBackfill(j, head[0]);
        }
        return true;
      });
    } else {
      pass.forEachArrival(j -> {
        Reservation r = pass.reservation();
        if (r == null) {
          if (pass.tryStart(j, true) == Outcome.NO_FIT) {
            pass.reserve(j);
          }
        } else {
          pass.tryBackfill(j, r);
        }
        return true;
      });
    }
  }
}
