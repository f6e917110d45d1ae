package dev.superfactory.server.live;

import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.sched.SchedulerListener;
import dev.superfactory.server.store.JobState;
import dev.superfactory.server.store.PassStep;
import it.unimi.dsi.fastutil.longs.Long2ObjectMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the kernel's decisions during one pass into the store changes that pass commits
 * ({@link PassStep}), and keeps each {@link LiveJob}'s committed state in step. Legal job
 * transitions only (the store checks them again): a failed or lost run makes its job lost, and
 * the kernel's recovery, in the same pass, requeues it or restarts it on a new run.
 *
 * <p>Cost: O(domains of the allocation) per start (its placement), O(1) otherwise.
 */
final class PassRecorder implements SchedulerListener {

    private final Fleet fleet;
    private final Long2ObjectMap<LiveJob> jobs;
    private final List<PassStep> steps = new ArrayList<>();
    private final List<LiveJob> started = new ArrayList<>();
    private final List<LiveJob> finishedByShrink = new ArrayList<>();
    private static final String SHRUNK = "shrunk to one site: a WAN link is cut";
    /** While set, an interrupted run ends as lost for this reason (its site's agent fell silent). */
    String lostBecause;
    /** While set, an interrupted run ends as failed for this reason (e.g. its two-phase start timed out). */
    String failedBecause;
    /** While set, a cancelled job ends failed for this reason: the scheduler gave it up (runs it could not prepare). */
    String abandonedBecause;
    /**
     * While set, the agent's report that ends a job's run: its run.ended event names the shard
     * (site, state, reason); another job's end never carries it.
     */
    ShardEnd endedByShard;

    /** A shard report that ends job {@code job}'s run, as its events name it. */
    record ShardEnd(long job, Map<String, String> detail) {
    }

    PassRecorder(Fleet fleet, Long2ObjectMap<LiveJob> jobs) {
        this.fleet = fleet;
        this.jobs = jobs;
    }

    /** The steps recorded since the last {@link #clear}, in order. */
    List<PassStep> steps() {
        return steps;
    }

    /** The jobs given a new run, in the order of their {@link PassStep.StartRun} steps. */
    List<LiveJob> started() {
        return started;
    }

    void clear() {
        steps.clear();
        started.clear();
        finishedByShrink.clear();
    }

    void add(PassStep step) {
        steps.add(step);
    }

    @Override
    public boolean wantsDeferrals() {
        return false;
    }

    @Override
    public void queued(long job, boolean withinReservation, long now) {
        move(jobs.get(job), JobState.QUEUED, Map.of());
    }

    @Override
    public void rejected(long job, PendingReason reason, long now) {
        LiveJob j = jobs.remove(job);
        move(j, JobState.FAILED, Map.of("reason", reason.name(), "message", reason.text()));
    }

    @Override
    public void started(long job, Allocation allocation, long now) {
        LiveJob j = jobs.get(job);
        if (j.state == JobState.LOST) {
            move(j, JobState.QUEUED, Map.of());
        }
        startRun(j, allocation); // first, so the admitted event names the new run
        move(j, JobState.ADMITTED, Map.of("gpus", allocation.gpus(), "sites", sites(allocation)));
    }

    @Override
    public void preempted(long job, Allocation allocation, long byJob, long now) {
        LiveJob j = jobs.get(job);
        endRun(j, "preempted", true, "preempted for job " + byJob);
        if (j.state == JobState.RUNNING) {
            move(j, JobState.PREEMPTING, Map.of("byJob", byJob));
            move(j, JobState.QUEUED, Map.of());
        } else {
            move(j, JobState.QUEUED, Map.of("byJob", byJob)); // admitted, not yet running everywhere
        }
    }

    @Override
    public void interrupted(long job, Allocation allocation, Interruption why, boolean wasStalled, long now) {
        LiveJob j = jobs.get(job);
        if (j.run != 0 || !j.shards.isEmpty()) {
            if (lostBecause != null) {
                endRun(j, "lost", true, lostBecause);
            } else {
                endRun(j, "failed", true, failedBecause != null ? failedBecause
                        : why.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        Map<String, String> ended = endedBy(job);
        String said = ended.getOrDefault("reason", "");
        move(j, JobState.LOST, said.isEmpty() ? Map.of("reason", why.name()) : Map.of("reason", why.name(), "message",
                "its shard on " + ended.get("site") + " " + ended.get("state") + ": " + said));
    }

    /** The shard report that ends this job's run, if one does in the input being applied. */
    private Map<String, String> endedBy(long job) {
        return endedByShard != null && endedByShard.job() == job ? endedByShard.detail() : Map.of();
    }

    @Override
    public void swapped(long job, Allocation before, Allocation after, long now) {
        interrupted(job, before, Interruption.FAILURE, false, now);
    }

    @Override
    public void restarted(long job, Allocation before, Allocation after, long now) {
        started(job, after, now);
    }

    @Override
    public void requeued(long job, Allocation released, long now) {
        LiveJob j = jobs.get(job);
        if (!j.shards.isEmpty()) {
            endRun(j, "failed", true, "requeued");
        }
        if (j.state == JobState.RUNNING) {
            move(j, JobState.PREEMPTING, Map.of("reason", "requeued"));
        }
        if (j.state != JobState.QUEUED) {
            move(j, JobState.QUEUED, Map.of());
        }
    }

    /** A WAN cut stalls the gang: it keeps its GPUs and shards (its agents' work waits on the link); an event says so. */
    @Override
    public void stalled(long job, Allocation allocation, long now) {
        LiveJob j = jobs.get(job);
        steps.add(new PassStep.RunEvent(j.id, j.tenant, "run.stalled", Map.of("reason", "a WAN link its sites use is cut")));
    }

    @Override
    public void resumed(long job, Allocation allocation, long now) {
        LiveJob j = jobs.get(job);
        steps.add(new PassStep.RunEvent(j.id, j.tenant, "run.resumed", Map.of()));
    }

    /**
     * A WAN cut shrinks the gang to its largest site: the shards on the other sites are stopped and
     * leave the run, which goes on with the kept ones (and regrows across sites once every link is up).
     */
    @Override
    public void shrunk(long job, Allocation before, Allocation kept, Allocation released, long now) {
        LiveJob j = jobs.get(job);
        List<String> stopped = sites(released);
        stopped.removeAll(sites(kept));
        int start = startInThisPass(j);
        if (start >= 0) { // restarted earlier in this pass: the run starts on the kept sites only, nothing to stop
            steps.set(start, newRun(j, kept));
            steps.add(new PassStep.RunEvent(j.id, j.tenant, "run.shrunk", Map.of("stopped", List.of(), "kept",
                    sites(kept), "reason", SHRUNK + " (before its run started: it starts there)")));
            return;
        }
        stopped.forEach(j.shards::remove);
        steps.add(new PassStep.StopShards(j.id, j.tenant, stopped, sites(kept), SHRUNK));
        PassStep.Go go = j.goIfReady(); // the shards left may all have been waiting for the stopped ones
        if (go != null) {
            steps.add(go);
        }
        if (j.state == JobState.ADMITTED && j.runningEverywhere()) { // no later report would say so
            move(j, JobState.RUNNING, Map.of());
        }
        if (j.allShards("finished")) {
            finishedByShrink.add(j); // the scheduler tells the kernel (a recorded input): the run succeeded
        }
    }

    /** Jobs whose run a shrink left with finished shards only, since the last {@link #clear}. */
    List<LiveJob> finishedByShrink() {
        return finishedByShrink;
    }

    /** The index of the job's StartRun among this pass's steps if its live run starts in this pass, else -1. */
    private int startInThisPass(LiveJob j) {
        if (j.run != 0) {
            return -1; // committed before this pass
        }
        for (int i = steps.size() - 1; i >= 0; i--) {
            PassStep step = steps.get(i);
            if (step instanceof PassStep.StartRun s && s.job() == j.id) {
                return i;
            }
            if (step instanceof PassStep.EndRun e && e.job() == j.id) {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public void finished(long job, Allocation allocation, long now) {
        LiveJob j = jobs.remove(job);
        endRun(j, "succeeded", false, "finished");
        if (j.state == JobState.ADMITTED) {
            move(j, JobState.RUNNING, Map.of());
        }
        move(j, JobState.SUCCEEDED, Map.of());
    }

    @Override
    public void cancelled(long job, Allocation released, long now) {
        LiveJob j = jobs.remove(job);
        if (abandonedBecause != null) { // the scheduler gives the job up: it ends failed, not cancelled
            if (!j.shards.isEmpty()) {
                endRun(j, "failed", true, abandonedBecause);
            }
            move(j, JobState.FAILED, Map.of("reason", "NOT_PREPARED", "message", abandonedBecause));
            return;
        }
        if (!j.shards.isEmpty()) {
            endRun(j, "cancelled", true, "cancelled");
        }
        move(j, j.holding ? JobState.HELD : JobState.CANCELLED, Map.of());
    }

    private void move(LiveJob j, JobState to, Map<String, ?> detail) {
        steps.add(new PassStep.Transition(j.id, j.tenant, j.state, to, detail));
        j.state = to;
    }

    private void startRun(LiveJob j, Allocation allocation) {
        steps.add(newRun(j, allocation));
        started.add(j);
    }

    /** A new run of the job on {@code allocation} (its id comes with the commit); the job's shards are its. */
    private PassStep.StartRun newRun(LiveJob j, Allocation allocation) {
        List<PassStep.Shard> shards = new ArrayList<>();
        j.shards.clear();
        for (Map.Entry<String, String> site : placements(allocation).entrySet()) {
            shards.add(new PassStep.Shard(site.getKey(), site.getValue()));
            j.shards.put(site.getKey(), "assigned");
        }
        j.run = 0;
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("gpus", allocation.gpus());
        command.put("expectedSeconds", j.request.expectedSeconds());
        command.put("durationSeconds", j.durationSeconds);
        command.put("resumeSeconds", j.resumeSeconds);
        PassStep.StartRun start = new PassStep.StartRun(j.id, j.tenant, shards, command);
        j.twoPhase = start.twoPhase();
        j.goSent = false;
        return start;
    }

    private void endRun(LiveJob j, String runState, boolean stop, String reason) {
        steps.add(new PassStep.EndRun(j.id, j.tenant, runState, stop, reason, endedBy(j.id)));
        j.run = 0;
        j.shards.clear();
    }

    private List<String> sites(Allocation a) {
        List<String> names = new ArrayList<>();
        for (int s = 0; s < fleet.siteCount(); s++) {
            if (a.gpusOnSite(s) > 0) {
                names.add(fleet.site(s).name());
            }
        }
        return names;
    }

    /**
     * Each site's part of an allocation as placement JSON: {@code {"gpus": n, "domains": [[domain,
     * gpus, [[offset, count], …]], …]}} with fleet-wide domain indices and, per domain, the runs of
     * GPUs held, by offset within the domain (an executor maps offsets to its nodes, so a shard runs
     * on exactly the GPUs the kernel holds for it, and a node reported down maps back to the same
     * GPUs). Cost O(domains + GPUs of the domains held in part).
     */
    private Map<String, String> placements(Allocation a) {
        Map<Integer, StringBuilder> bySite = new LinkedHashMap<>();
        Map<Integer, Integer> gpus = new LinkedHashMap<>();
        for (int i = 0; i < a.domainCount(); i++) {
            int d = a.domain(i);
            int site = fleet.domainSite(d);
            StringBuilder domains = bySite.computeIfAbsent(site, s -> new StringBuilder());
            if (domains.length() > 0) {
                domains.append(',');
            }
            domains.append('[').append(d).append(',').append(a.gpusInDomain(i)).append(',');
            appendRanges(domains, a, i, fleet.domainSize(d));
            domains.append(']');
            gpus.merge(site, a.gpusInDomain(i), Integer::sum);
        }
        Map<String, String> out = new java.util.TreeMap<>();
        bySite.forEach((site, domains) -> out.put(fleet.site(site).name(),
                "{\"gpus\":" + gpus.get(site) + ",\"domains\":[" + domains + "]}"));
        return out;
    }

    /** {@code [[offset, count], …]}: the runs of GPUs the allocation holds in its i-th domain, in order. */
    private static void appendRanges(StringBuilder out, Allocation a, int i, int size) {
        if (a.isWhole(i)) {
            out.append("[[0,").append(size).append("]]");
            return;
        }
        out.append('[');
        int start = -1;
        boolean first = true;
        for (int g = 0; g <= size; g++) {
            boolean held = g < size && (a.mask(i, g >>> 6) & (1L << g)) != 0;
            if (held && start < 0) {
                start = g;
            } else if (!held && start >= 0) {
                out.append(first ? "" : ",").append('[').append(start).append(',').append(g - start).append(']');
                first = false;
                start = -1;
            }
        }
        out.append(']');
    }
}
