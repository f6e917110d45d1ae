package dev.superfactory.sched;

import dev.superfactory.workload.Tenant;

/** The policy's read-only window on the kernel during a pass. Every query O(1) but the visits. */
final class KernelView implements PassView {
  private final KernelState k;
  private final JobTable jobs;
  private final PassRunner pass;
  private JobProgress progress = JobProgress.NONE;

  KernelView(KernelState k, PassRunner pass) {
    this.k = k;
    this.jobs = k.jobs;
    this.pass = pass;
  }

  @Override
  public boolean restCannotStart() {
    return pass.restCannotStart();
  }

  @Override
  public boolean restCannotBackfill(Reservation reservation) {
    return pass.restCannotBackfill(reservation);
  }

  JobProgress progress() {
    return progress;
  }

  void progress(JobProgress p) {
    this.progress = p;
  }

  @Override
  public long now() {
    return k.now;
  }

  @Override
  public boolean full() {
    return k.capacityFreed;
  }

  @Override
  public int firstPending() {
    return k.queue.first();
  }

  @Override
  public int nextPending(int job) {
    return k.queue.next(job);
  }

  @Override
  public int[] pendingJobs() {
    return k.queue.toArray();
  }

  @Override
  public int arrivals() {
    return k.queue.arrivalCount();
  }

  @Override
  public int arrival(int i) {
    return k.queue.arrival(i);
  }

  @Override
  public Reservation reservation() {
    return k.easy.current();
  }

  @Override
  public long jobId(int job) {
    return jobs.id[job];
  }

  @Override
  public int jobTenant(int job) {
    return jobs.tenant(job);
  }

  @Override
  public int jobGpus(int job) {
    return jobs.gpus(job);
  }

  @Override
  public long jobArrival(int job) {
    return jobs.arrival[job];
  }

  @Override
  public long expectedSeconds(int job) {
    return jobs.expectedSeconds(job);
  }

  @Override
  public double attainedGpuSeconds(int job) {
    return progress.attainedGpuSeconds(jobs.id[job], k.now);
  }

  @Override
  public boolean isRunning(int job) {
    return jobs.holdsGpus(job);
  }

  @Override
  public boolean withinReservation(int job) {
    return k.tenants.withinReservation(jobs.tenant(job), jobs.gpus(job));
  }

  @Override
  public int tenantCount() {
    return k.tenants.count();
  }

  @Override
  public Tenant tenant(int t) {
    return k.tenants.tenant(t);
  }

  @Override
  public int tenantHeadroom(int t) {
    return k.tenants.headroom(t);
  }

  @Override
  public double weightedShare(int t) {
    return k.tenants.weightedShare(t);
  }
}
