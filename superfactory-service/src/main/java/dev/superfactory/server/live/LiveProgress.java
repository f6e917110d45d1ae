package dev.superfactory.server.live;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.sched.JobProgress;
import dev.superfactory.sched.SchedulerListener;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * What the live kernel knows of its running jobs' progress ({@link JobProgress}), derived from its
 * own decisions at kernel times, so a rebuild by replay restores it exactly: when each job's
 * current run started and how long it held GPUs before. The kernel asks it which victims lose
 * least when preempted, and how much service a job attained (the {@code las} policy).
 *
 * <p>ASSUMPTION: agents send no checkpoint telemetry for stopped runs, so all work since a run
 * started is lost if it is preempted (as the simulated agent does: only a failed shard reports its
 * last checkpoint, and a preempted job runs its whole remaining duration again;
 * the twin with reliability off, which writes no checkpoint, computes the same). Before this, the
 * live kernel had no progress at all: every victim looked equally cheap to preempt, and every job
 * had attained nothing.
 *
 * <p>Cost: O(1) per kernel report and per question; one small record per job the kernel holds.
 */
final class LiveProgress implements JobProgress, SchedulerListener {

    /** A job's GPUs, the kernel second its current run started (-1: not running) and its seconds held before. */
    private static final class Held {
        int gpus;
        long runStart = -1;
        long heldSeconds;
    }

    private final Long2ObjectOpenHashMap<Held> jobs = new Long2ObjectOpenHashMap<>();

    /**
     * A copy that no later report changes, for a kernel fork read on another thread (a forecast):
     * it answers as this one does now. It is not told of the fork's own starts and stops, so jobs
     * the fork starts look as if they had run nothing (ASSUMPTION, for forecasts: cheap victims
     * for preemption, no service attained). O(jobs held).
     */
    LiveProgress copy() {
        LiveProgress c = new LiveProgress();
        jobs.long2ObjectEntrySet().fastForEach(e -> {
            Held h = new Held();
            h.gpus = e.getValue().gpus;
            h.runStart = e.getValue().runStart;
            h.heldSeconds = e.getValue().heldSeconds;
            c.jobs.put(e.getLongKey(), h);
        });
        return c;
    }

    @Override
    public double lostGpuSecondsIfStopped(long job, long now) {
        Held h = jobs.get(job);
        return h == null || h.runStart < 0 ? 0 : (double) h.gpus * (now - h.runStart);
    }

    @Override
    public double attainedGpuSeconds(long job, long now) {
        Held h = jobs.get(job);
        if (h == null) {
            return 0;
        }
        return (double) h.gpus * (h.heldSeconds + (h.runStart < 0 ? 0 : now - h.runStart));
    }

    @Override
    public boolean wantsDeferrals() {
        return false;
    }

    @Override
    public void started(long job, Allocation allocation, long now) {
        Held h = jobs.computeIfAbsent(job, j -> new Held());
        h.gpus = allocation.gpus();
        h.runStart = now;
    }

    @Override
    public void restarted(long job, Allocation before, Allocation after, long now) {
        started(job, after, now);
    }

    @Override
    public void preempted(long job, Allocation allocation, long byJob, long now) {
        stop(job, now);
    }

    @Override
    public void interrupted(long job, Allocation allocation, Interruption why, boolean wasStalled, long now) {
        stop(job, now);
    }

    @Override
    public void finished(long job, Allocation allocation, long now) {
        jobs.remove(job);
    }

    @Override
    public void cancelled(long job, Allocation released, long now) {
        jobs.remove(job);
    }

    private void stop(long job, long now) {
        Held h = jobs.get(job);
        if (h != null && h.runStart >= 0) {
            h.heldSeconds += now - h.runStart;
            h.runStart = -1;
        }
    }
}
