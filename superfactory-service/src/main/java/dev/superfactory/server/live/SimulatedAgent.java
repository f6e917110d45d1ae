package dev.superfactory.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.server.store.SchedulerStore.AgentCommand;
import dev.superfactory.server.store.SchedulerStore.Report;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in site agent (issue 11 item 5): it "runs" each shard it is told to start for the
 * job's true run time divided by {@code timeScale}, then reports it finished (or failed earlier,
 * if failures are injected from the scenario's reliability model); a stop ends it at once. A shard
 * of a run across sites is first prepared: the agent reports it {@code ready} at once (a real
 * agent would reserve its nodes first) and starts it on {@code go}. It speaks the protocol of
 * {@link AgentGateway} in-process, with its rules: commands read after a cursor, fenced by term;
 * reports retried until stored.
 *
 * <p>It keeps nothing across restarts: on start it reconciles by reporting every shard the
 * control plane believes it runs or has prepared as failed (lost with the process) and every shard being stopped
 * as stopped, and reads only commands written after that. One thread per agent; each poll is one
 * store call plus one per report.
 */
public final class SimulatedAgent implements AutoCloseable {

    /** The reasons its failed reports give. */
    static final String INJECTED = "injected failure (the scenario's failure rate)";
    static final String LOST_IN_RESTART = "not running on the simulated agent: it keeps nothing across a restart";
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedAgent.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LEASE = 500;

    private final String site;
    private final AgentGateway gateway;
    private final double timeScale;
    private final double failuresPerGpuSecond;
    /** How jobs checkpoint (the scenario's policy), or null: no checkpoints. */
    private final dev.superfactory.reliability.CheckpointPolicy checkpoint;
    private final java.util.SplittableRandom random;
    private final ScheduledExecutorService thread;
    private final Long2ObjectOpenHashMap<ScheduledFuture<?>> running = new Long2ObjectOpenHashMap<>();
    /** Shards prepared (ready, or about to report ready) and waiting for go: their start payload. */
    private final Long2ObjectOpenHashMap<JsonNode> prepared = new Long2ObjectOpenHashMap<>();
    /** Delayed ready reports not yet sent (the test hook {@link #delayReady}). */
    private final Long2ObjectOpenHashMap<ScheduledFuture<?>> readying = new Long2ObjectOpenHashMap<>();
    private Duration readyDelay = Duration.ZERO;
    private int delayedPrepares;
    private final Long2IntOpenHashMap seqs = new Long2IntOpenHashMap();
    private final Deque<Report> unsent = new ArrayDeque<>();
    private long cursor;
    private long highestTerm;

    private SimulatedAgent(String site, AgentGateway gateway, double timeScale, double failuresPerGpuSecond, long seed,
                           dev.superfactory.reliability.CheckpointPolicy checkpoint) {
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("timeScale must be > 0, got " + timeScale);
        }
        this.site = site;
        this.gateway = gateway;
        this.timeScale = timeScale;
        this.failuresPerGpuSecond = failuresPerGpuSecond;
        this.checkpoint = checkpoint;
        this.random = new java.util.SplittableRandom(seed);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-" + site);
            t.setDaemon(true);
            return t;
        });
    }

    /** Reconciles, then polls for commands every {@code poll}; no failures. */
    public static SimulatedAgent start(String site, AgentGateway gateway, double timeScale, Duration poll) {
        return start(site, gateway, timeScale, poll, 0, 0);
    }

    /**
     * As {@link #start(String, AgentGateway, double, Duration)}; each shard of g GPUs also fails
     * at g × {@code failuresPerGpuSecond} (a Poisson process in the job's time, drawn from a
     * generator seeded with {@code seed}): it then reports {@code failed} instead of
     * {@code finished}, and the scheduler restarts the job. Without a checkpoint policy a restarted
     * job runs its whole time again.
     */
    public static SimulatedAgent start(String site, AgentGateway gateway, double timeScale, Duration poll,
                                       double failuresPerGpuSecond, long seed) {
        return start(site, gateway, timeScale, poll, failuresPerGpuSecond, seed, null);
    }

    /**
     * As above, with jobs checkpointing by {@code checkpoint} (the scenario's policy, the twin's):
     * every interval of job work (Daly's optimum for the job's failure rate here, g ×
     * {@code failuresPerGpuSecond} for a job of g GPUs, and its write time; or the fixed interval),
     * so a failed shard reports the work at its last checkpoint and the job's next run, told that
     * as {@code resumeSeconds}, runs only the rest. ASSUMPTION: a checkpoint write takes no job
     * time and is durable at once (the twin charges write time; here failures are the point).
     */
    public static SimulatedAgent start(String site, AgentGateway gateway, double timeScale, Duration poll,
                                       double failuresPerGpuSecond, long seed,
                                       dev.superfactory.reliability.CheckpointPolicy checkpoint) {
        SimulatedAgent agent = new SimulatedAgent(site, gateway, timeScale, failuresPerGpuSecond, seed, checkpoint);
        agent.thread.execute(agent::reconcile);
        agent.thread.scheduleWithFixedDelay(agent::poll, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
        return agent;
    }

    private void reconcile() {
        try {
            cursor = gateway.newestCommand(site);
            for (Report shard : gateway.shardsOn(site)) {
                seqs.put(shard.run(), shard.seq());
                boolean stopping = shard.state().equals("stopping");
                send(shard.run(), stopping ? "stopped" : "failed", 0, stopping ? "" : LOST_IN_RESTART);
            }
        } catch (RuntimeException e) {
            LOG.warn("agent {}: reconcile failed, retrying: {}", site, e.getMessage());
            thread.schedule(this::reconcile, 1, TimeUnit.SECONDS);
        }
    }

    private void poll() {
        try {
            flush();
            List<AgentCommand> commands = gateway.commands(site, cursor, LEASE);
            for (AgentCommand c : commands) {
                if (c.term() < highestTerm) {
                    LOG.warn("agent {}: command {} of term {} ignored: term {} is newer", site, c.id(), c.term(), highestTerm);
                } else {
                    highestTerm = c.term();
                    execute(c);
                }
                cursor = c.id();
            }
            flush();
        } catch (RuntimeException e) {
            LOG.warn("agent {}: poll failed, retrying: {}", site, e.getMessage());
        }
    }

    private void execute(AgentCommand c) {
        switch (c.kind()) {
            case "start" -> start(c.run(), payload(c));
            case "prepare" -> prepare(c.run(), payload(c));
            case "go" -> go(c.run());
            default -> stop(c.run());
        }
    }

    /** Runs the job's remaining work (its run time less {@code resumeSeconds}), or fails first. */
    private void start(long run, JsonNode payload) {
        long resume = payload.path("resumeSeconds").asLong(0);
        double seconds = Math.max(0, payload.path("durationSeconds").asLong(1) - resume);
        double rate = failuresPerGpuSecond * payload.path("placement").path("gpus").asInt(0);
        double failsAt = rate > 0 ? -Math.log(1 - random.nextDouble()) / rate : Double.POSITIVE_INFINITY;
        boolean fails = failsAt < seconds;
        long durable = fails ? resume + checkpointedSeconds(failsAt, payload.path("gpus").asInt(0)) : 0;
        long millis = Math.max(1, Math.round(Math.min(seconds, failsAt) * 1000.0 / timeScale));
        send(run, "running");
        running.put(run, thread.schedule(() -> {
            running.remove(run);
            send(run, fails ? "failed" : "finished", durable, fails ? INJECTED : "");
            flush();
        }, millis, TimeUnit.MILLISECONDS));
    }

    /** The work of a job of {@code jobGpus} GPUs checkpointed after {@code seconds} of it: whole intervals. */
    private long checkpointedSeconds(double seconds, int jobGpus) {
        if (checkpoint == null || !(failuresPerGpuSecond > 0) || jobGpus <= 0) {
            return 0;
        }
        double interval = checkpoint.youngDaly()
                ? dev.superfactory.reliability.CheckpointMath.dalyInterval(
                        checkpoint.writeSeconds(checkpoint.bytesPerGpu() * jobGpus, jobGpus),
                        1 / (failuresPerGpuSecond * jobGpus))
                : checkpoint.fixedIntervalSeconds();
        return Double.isFinite(interval) ? (long) (Math.floor(seconds / interval) * interval) : 0;
    }

    /** First phase: keeps the start payload and reports ready (at once, or after the test hook's delay). */
    private void prepare(long run, JsonNode payload) {
        prepared.put(run, payload);
        if (delayedPrepares == 0) {
            send(run, "ready");
            return;
        }
        delayedPrepares--;
        readying.put(run, thread.schedule(() -> {
            readying.remove(run);
            send(run, "ready");
            flush();
        }, readyDelay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Second phase: starts the prepared shard; one not prepared here (lost with a restart) is reported failed. */
    private void go(long run) {
        JsonNode payload = prepared.remove(run);
        if (payload == null) {
            send(run, "failed", 0, "a go for a run this agent has not prepared");
        } else {
            start(run, payload);
        }
    }

    private void stop(long run) {
        for (ScheduledFuture<?> pending : new ScheduledFuture<?>[] {running.remove(run), readying.remove(run)}) {
            if (pending != null) {
                pending.cancel(false);
            }
        }
        prepared.remove(run);
        send(run, "stopped");
    }

    private void send(long run, String state) {
        send(run, state, 0);
    }

    private void send(long run, String state, long checkpointSeconds) {
        send(run, state, checkpointSeconds, "");
    }

    private void send(long run, String state, long checkpointSeconds, String reason) {
        unsent.add(new Report(run, site, seqs.addTo(run, 1) + 1, state, checkpointSeconds, reason));
        if (!state.equals("running") && !state.equals("ready")) {
            seqs.remove(run);
        }
    }

    /**
     * Test hook: the next {@code prepares} prepare commands report ready only after {@code delay}
     * (a site slow to reserve its nodes, to test the two-phase timeout). Waits until the agent thread took it.
     */
    void delayReady(Duration delay, int prepares) {
        try {
            thread.submit(() -> {
                readyDelay = delay;
                delayedPrepares = prepares;
            }).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends every report not yet acknowledged, in order; stops at the first failure (retried next poll). */
    private void flush() {
        while (!unsent.isEmpty()) {
            try {
                gateway.report(unsent.peek());
                unsent.poll();
            } catch (dev.superfactory.server.store.NotFoundException e) {
                LOG.warn("agent {}: report dropped: {}", site, e.getMessage());
                unsent.poll();
            } catch (RuntimeException e) {
                LOG.warn("agent {}: report not acknowledged, retrying: {}", site, e.getMessage());
                return;
            }
        }
    }

    private static JsonNode payload(AgentCommand c) {
        try {
            return JSON.readTree(c.payloadJson());
        } catch (IOException e) {
            throw new IllegalStateException("command " + c.id() + " has a payload that is not JSON", e);
        }
    }

    /** Shards running now. Called on the agent thread only; for tests, through {@link #runningCount}. */
    public int runningCount() {
        try {
            return thread.submit(running::size).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
