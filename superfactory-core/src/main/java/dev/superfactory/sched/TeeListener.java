package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;

/**
 * Two listeners in one ({@link SchedulerListener#andThen}): each report goes to {@code first},
 * then to {@code then}, so a caller can watch the kernel's decisions next to the listener that
 * books them (a test comparing the twin with the live service). Deferrals are reported if either
 * wants them. Cost: one extra virtual call per report.
 */
final class TeeListener implements SchedulerListener {
  private final SchedulerListener first;
  private final SchedulerListener then;

  TeeListener(SchedulerListener first, SchedulerListener then) {
    this.first = java.util.Objects.requireNonNull(first, "first");
    this.then = java.util.Objects.requireNonNull(then, "then");
  }

  @Override
  public boolean wantsDeferrals() {
    return first.wantsDeferrals() || then.wantsDeferrals();
  }

  @Override
  public void queued(long job, boolean withinReservation, long now) {
    first.queued(job, withinReservation, now);
    then.queued(job, withinReservation, now);
  }

  @Override
  public void rejected(long job, PendingReason reason, long now) {
    first.rejected(job, reason, now);
    then.rejected(job, reason, now);
  }

  @Override
  public void deferred(long job, PendingReason reason, long now) {
    first.deferred(job, reason, now);
    then.deferred(job, reason, now);
  }

  @Override
  public void started(long job, Allocation allocation, long now) {
    first.started(job, allocation, now);
    then.started(job, allocation, now);
  }

  @Override
  public void preempted(long job, Allocation allocation, long byJob, long now) {
    first.preempted(job, allocation, byJob, now);
    then.preempted(job, allocation, byJob, now);
  }

  @Override
  public void interrupted(long job, Allocation allocation, Interruption why, boolean wasStalled, long now) {
    first.interrupted(job, allocation, why, wasStalled, now);
    then.interrupted(job, allocation, why, wasStalled, now);
  }

  @Override
  public void swapped(long job, Allocation before, Allocation after, long now) {
    first.swapped(job, before, after, now);
    then.swapped(job, before, after, now);
  }

  @Override
  public void restarted(long job, Allocation before, Allocation after, long now) {
    first.restarted(job, before, after, now);
    then.restarted(job, before, after, now);
  }

  @Override
  public void requeued(long job, Allocation released, long now) {
    first.requeued(job, released, now);
    then.requeued(job, released, now);
  }

  @Override
  public void stalled(long job, Allocation allocation, long now) {
    first.stalled(job, allocation, now);
    then.stalled(job, allocation, now);
  }

  @Override
  public void resumed(long job, Allocation allocation, long now) {
    first.resumed(job, allocation, now);
    then.resumed(job, allocation, now);
  }

  @Override
  public void shrunk(long job, Allocation before, Allocation kept, Allocation released, long now) {
    first.shrunk(job, before, kept, released, now);
    then.shrunk(job, before, kept, released, now);
  }

  @Override
  public void finished(long job, Allocation allocation, long now) {
    first.finished(job, allocation, now);
    then.finished(job, allocation, now);
  }

  @Override
  public void cancelled(long job, Allocation released, long now) {
    first.cancelled(job, released, now);
    then.cancelled(job, released, now);
  }
}
