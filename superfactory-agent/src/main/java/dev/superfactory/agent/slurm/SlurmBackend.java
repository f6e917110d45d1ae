package dev.superfactory.agent.slurm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.agent.BackendException;
import dev.superfactory.agent.NodeStatus;
import dev.superfactory.agent.ShardLaunch;
import dev.superfactory.agent.ShardStatus;
import dev.superfactory.agent.ShardStatus.State;
import dev.superfactory.agent.SiteBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A site run by Slurm 22.05, driven through slurmrestd ({@link SlurmRest}). A shard is one batch job named
 * {@link ShardLaunch#name()} on exactly the launch's nodes ({@code nodelist} and a node count) with the
 * launch's GPUs per node as {@code gres=gpu:N}; its script is {@link ShardScript}. Jobs are submitted with
 * no requeue: a node failure ends the shard NODE_FAIL (FAILED) and the control plane decides what runs next.
 *
 * <p>Two-phase start: the job's comment says where the script is (READY, go), and {@link #go} sends the go
 * signal (SIGUSR2 by default) through slurmrestd. The comment lives in slurmctld, so the backend keeps no
 * state and the agent needs no file system shared with the nodes. A go file in the job's working directory
 * would need one; a job held and released would give the nodes up while held.
 *
 * <p>Shards whose nodes have different GPU counts are refused: a v0.0.38 job takes one {@code gres} for all
 * its nodes, and a heterogeneous job would split the shard into job components that fail and end apart.
 *
 * <p>Cost: {@link #start} lists the jobs (for idempotence) and submits: two calls; {@link #shards} and
 * {@link #nodes} one call each, linear in the jobs Slurm keeps (MinJobAge) or its nodes. {@link #stop} sends
 * the notice at once and cancels from a timer thread of this backend after the grace: a kill still waiting
 * when the backend closes is dropped (the agent's reconciliation stops the shard again).
 */
public final class SlurmBackend implements SiteBackend {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SlurmBackend.class);

    private final SlurmRest rest;
    private final Options options;
    private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "slurm-kill-after-grace");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * The backend's settings.
     *
     * @param workDir the per-site checkpoint directory: each job's working directory (on the nodes),
     *     where its script writes {@code <name>.<jobid>.events}, {@code .env} and {@code .out}
     * @param partition the Slurm partition, empty for the cluster's default
     * @param path the PATH jobs get
     * @param noticeSignal the preemption notice, e.g. {@code USR1}; also in the job's {@code SF_NOTICE_SIGNAL}
     * @param goSignal the signal that starts a prepared shard's work, e.g. {@code USR2}
     */
    public record Options(Path workDir, String partition, String path, String noticeSignal, String goSignal) {

        public Options {
            if (noticeSignal.equals(goSignal)) {
                throw new IllegalArgumentException("notice and go signals must differ, both are " + goSignal);
            }
        }

        public static Options defaults(Path workDir) {
            return new Options(workDir, "", "/usr/local/bin:/usr/bin:/bin", "USR1", "USR2");
        }
    }

    public SlurmBackend(SlurmRest rest, Options options) {
        this.rest = rest;
        this.options = options;
    }

    @Override
    public String kind() {
        return "slurm";
    }

    @Override
    public List<NodeStatus> nodes() throws BackendException {
        return rest.nodes().stream().map(SlurmShardStates::nodeOf).toList();
    }

    @Override
    public String start(ShardLaunch launch) throws BackendException {
        int gpusPerNode = uniformGpus(launch);
        for (SlurmJob job : rest.jobs()) {
            if (job.name().equals(launch.name()) && !SlurmShardStates.stateOf(job).ended()) {
                return Long.toString(job.id());
            }
        }
        String script = ShardScript.of(launch.runSeconds(), launch.waitForGo(), options.noticeSignal(),
                options.goSignal());
        return Long.toString(rest.submit(script, jobOf(launch, gpusPerNode)));
    }

    private static int uniformGpus(ShardLaunch launch) throws BackendException {
        Map<Integer, List<String>> byGpus = launch.nodes().stream().collect(Collectors.groupingBy(
                ShardLaunch.NodeGpus::gpus, LinkedHashMap::new,
                Collectors.mapping(ShardLaunch.NodeGpus::node, Collectors.toList())));
        if (byGpus.size() > 1) {
            throw new BackendException("shard " + launch.name() + ": GPUs per node differ (" + byGpus
                    + " as GPUs=nodes); a Slurm job takes the same gres on every node");
        }
        return byGpus.keySet().iterator().next();
    }

    private ObjectNode jobOf(ShardLaunch launch, int gpusPerNode) {
        List<String> nodes = launch.nodes().stream().map(ShardLaunch.NodeGpus::node).toList();
        ObjectNode job = JSON.createObjectNode();
        job.put("name", launch.name());
        job.putArray("nodes").add(nodes.size()).add(nodes.size());
        job.put("nodelist", String.join(",", nodes));
        if (gpusPerNode > 0) {
            job.put("gres", "gpu:" + gpusPerNode);
        }
        if (!options.partition().isEmpty()) {
            job.put("partition", options.partition());
        }
        job.put("current_working_directory", options.workDir().toString());
        job.put("standard_output", "%x.%j.out");
        job.put("comment", ShardScript.START_MARK);
        job.put("no_requeue", true);
        ObjectNode environment = job.putObject("environment");
        environment.put("PATH", options.path());
        environment.put("SF_NOTICE_SIGNAL", options.noticeSignal());
        launch.environment().forEach(environment::put);
        return job;
    }

    @Override
    public void go(String id) throws BackendException {
        SlurmJob job = existing("go", id);
        State state = SlurmShardStates.stateOf(job);
        if (state == State.RUNNING) {
            return;
        }
        if (state != State.READY) {
            throw new BackendException("go " + job.name() + " (Slurm job " + id + "): shard is " + state
                    + " (Slurm " + job.state() + ", comment '" + job.comment() + "'), not READY");
        }
        rest.signal(job.id(), options.goSignal());
    }

    @Override
    public void stop(String id, Duration grace) throws BackendException {
        Optional<SlurmJob> found = rest.job(jobId("stop", id));
        State state = found.map(SlurmShardStates::stateOf).orElse(State.STOPPED);
        if (state.ended()) {
            return;
        }
        long jobId = found.get().id();
        // a shard its script has not marked yet (PENDING) has no trap for the notice and no work to save
        if (state == State.PENDING || grace.isZero() || grace.isNegative()) {
            rest.cancel(jobId);
            return;
        }
        rest.signal(jobId, options.noticeSignal());
        killer.schedule(() -> cancelQuietly(jobId), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelQuietly(long id) {
        try {
            rest.cancel(id);
        } catch (BackendException e) {
            // the job ended in the grace period, or slurmrestd is away: the agent's next poll sees which
            LOG.warn("kill after grace: {}", e.getMessage());
        }
    }

    @Override
    public List<ShardStatus> shards() throws BackendException {
        List<ShardStatus> shards = new ArrayList<>();
        for (SlurmJob job : rest.jobs()) {
            if (job.name().startsWith("sf-")) {
                shards.add(SlurmShardStates.shardOf(job));
            }
        }
        return shards;
    }

    private SlurmJob existing(String call, String id) throws BackendException {
        return rest.job(jobId(call, id))
                .orElseThrow(() -> new BackendException(call + ": Slurm has no job " + id));
    }

    private static long jobId(String call, String id) throws BackendException {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new BackendException(call + ": '" + id + "' is not a Slurm job id", e);
        }
    }

    @Override
    public void close() {
        killer.shutdownNow();
    }
}
