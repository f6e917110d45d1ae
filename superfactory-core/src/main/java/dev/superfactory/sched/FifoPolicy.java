package dev.superfactory.sched;

/**
 * First come, first served, strictly: the first job that cannot be placed blocks every job behind
 * it, except jobs within their own tenant's reservation (a reservation never waits behind another
 * tenant's queue). Jobs whose tenant is at its limit are not eligible and block no one.
 */
public final class FifoPolicy implements QueuePolicy {
  @Override
  public String name() {
    return "fifo";
  }

  @Override
  public void schedule(SchedulingPass pass) {
    if (pass.full()) {
      pass.forEachPending(j -> startOrBlock(pass, j));
    } else if (pass.reservation() == null) {
      pass.forEachArrival(j -> startOrBlock(pass, j));
    } else {
      pass.forEachArrival(j -> behindHead(pass, j));
    }
  }

  /** Behind a blocked head only jobs within their tenant's reservation may start. */
  private static boolean behindHead(SchedulingPass pass, int job) {
    Reservation head = pass.reservation();
    if (head != null && pass.withinReservation(job) && pass.jobTenant(job) != pass.jobTenant(head.job())) {
      pass.tryStart(job, true);
    } else {
      pass.defer(job, PendingReason.BEHIND_HEAD);
    }
    return true;
  }

  /** Once a job blocks the queue, later jobs only start within their reservation. */
  private static boolean startOrBlock(SchedulingPass pass, int job) {
    if (pass.reservation() != null) {
      return behindHead(pass, job);
    }
    Outcome o = pass.tryStart(job, true);
    if (o == Outcome.NO_FIT) {
      pass.reserve(job); // marks the blocked head; FIFO never backfills
    }
    return true;
  }
}
