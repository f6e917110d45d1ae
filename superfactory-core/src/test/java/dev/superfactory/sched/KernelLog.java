package dev.superfactory.sched;

import dev.superfactory.fleet.Allocation;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every report of the kernel as one line ("started 101 s0=8 s1=0 @+0"), times relative to
 * an origin, so a test can check the whole sequence of decisions.
 */
final class KernelLog implements SchedulerListener {
  private final List<String> lines = new ArrayList<>();
  private final long origin;

  KernelLog(long origin) {
    this.origin = origin;
  }

  /** The lines recorded since the last call, then forgets them. */
  List<String> take() {
    List<String> out = List.copyOf(lines);
    lines.clear();
    return out;
  }

  private void add(String what, long job, String detail, long now) {
    lines.add(what + " " + job + (detail.isEmpty() ? "" : " " + detail) + " @+" + (now - origin));
  }

  static String sites(Allocation a) {
    StringBuilder b = new StringBuilder();
    for (int s = 0; s < a.gpusBySite().length; s++) {
      b.append(s > 0 ? " " : "").append("s").append(s).append('=').append(a.gpusOnSite(s));
    }
    return b.toString();
  }

  @Override
  public void queued(long job, boolean withinReservation, long now) {
    add("queued", job, withinReservation ? "within" : "", now);
  }

  @Override
  public void rejected(long job, PendingReason reason, long now) {
    add("rejected", job, reason.name(), now);
  }

  @Override
  public void deferred(long job, PendingReason reason, long now) {
    add("deferred", job, reason.name(), now);
  }

  @Override
  public void started(long job, Allocation allocation, long now) {
    add("started", job, sites(allocation), now);
  }

  @Override
  public void preempted(long job, Allocation allocation, long byJob, long now) {
    add("preempted", job, "by " + byJob, now);
  }

  @Override
  public void interrupted(long job, Allocation allocation, Interruption why, boolean wasStalled, long now) {
    add("interrupted", job, why.name() + (wasStalled ? " stalled" : ""), now);
  }

  @Override
  public void swapped(long job, Allocation before, Allocation after, long now) {
    add("swapped", job, sites(after), now);
  }

  @Override
  public void restarted(long job, Allocation before, Allocation after, long now) {
    add("restarted", job, sites(after) + (after == before ? " same" : ""), now);
  }

  @Override
  public void requeued(long job, Allocation released, long now) {
    add("requeued", job, "released " + released.gpus(), now);
  }

  @Override
  public void stalled(long job, Allocation allocation, long now) {
    add("stalled", job, "", now);
  }

  @Override
  public void resumed(long job, Allocation allocation, long now) {
    add("resumed", job, "", now);
  }

  @Override
  public void shrunk(long job, Allocation before, Allocation kept, Allocation released, long now) {
    add("shrunk", job, sites(kept), now);
  }

  @Override
  public void finished(long job, Allocation allocation, long now) {
    add("finished", job, "", now);
  }

  @Override
  public void cancelled(long job, Allocation released, long now) {
    add("cancelled", job, released == null ? "pending" : "released " + released.gpus(), now);
  }
}
