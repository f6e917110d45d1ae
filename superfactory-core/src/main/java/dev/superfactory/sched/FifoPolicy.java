package dev.superfactory.sched;

/**
 * First come, first served, strictly: the first job that cannot be placed blocks every job behind
 * it. Jobs whose tenant is at its limit are not eligible and block no one.
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
      pass.forEachArrival(j -> {
        pass.defer(j, PendingReason.BEHIND_HEAD);
        return true;
      });
    }
  }

  /** Returns false (stop) once a job blocks the queue. */
  private static boolean startOrBlock(SchedulingPass pass, int job) {
    Outcome o = pass.tryStart(job, true);
    if (o == Outcome.NO_FIT) {
      pass.reserve(job); // marks the blocked head; FIFO never backfills
      return false;
    }
    return true;
  }
}
