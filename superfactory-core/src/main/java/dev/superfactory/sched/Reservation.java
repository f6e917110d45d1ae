package dev.superfactory.sched;

/**
 * EASY backfilling's promise to the head of the queue: at {@code timeSeconds} enough GPUs will
 * be free for it (assuming running jobs end at their expected end), on {@code site} (-1 = counted
 * over all its allowed sites, for a job that may span sites). {@code spareGpus} more than it
 * needs will be free then; a later job may start now if it ends by then, or if it uses no more
 * than the spare GPUs on the reserved site(s).
 *
 * <p>The reservation is counted in GPUs, not domains: fragmentation at that time can still delay
 * the head (a documented approximation, as in Slurm's backfill).
 */
public final class Reservation {
  // job: the handle (job-table slot) of the pending job the promise is for
  final int job;
  final long timeSeconds;
  final int site;
  int spareGpus;

  Reservation(int job, long timeSeconds, int site, int spareGpus) {
    this.job = job;
    this.timeSeconds = timeSeconds;
    this.site = site;
    this.spareGpus = spareGpus;
  }

  public int job() {
    return job;
  }

  public long timeSeconds() {
    return timeSeconds;
  }

  public int site() {
    return site;
  }

  public int spareGpus() {
    return spareGpus;
  }
}
