package dev.superfactory.cli;

import dev.superfactory.agent.BackendException;
import dev.superfactory.agent.NodeStatus;
import dev.superfactory.agent.ShardLaunch;
import dev.superfactory.agent.ShardStatus;
import dev.superfactory.agent.SiteBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a site's cluster manager in the agent tests (a mock: the real ones, Slurm and
 * Kubernetes, have their own tests): nodes with GPUs that can go down, shards that take
 * {@code startDelay} to get their nodes, run {@code runSeconds} and end by themselves. It refuses a
 * start on a node it does not have, that is down, or without the GPUs free (so an agent that picks
 * wrong nodes fails loudly), keeps every launch it was given and every stop, and can lose a shard
 * (it vanishes from the listing) or drop a node (its shards fail). State advances on each call, by
 * the real clock. Thread-safe (one lock).
 */
final class InMemoryCluster implements SiteBackend {

    private final Map<String, NodeStatus> nodes = new LinkedHashMap<>();
    private final Map<String, Shard> shards = new LinkedHashMap<>();
    private final List<ShardLaunch> launches = new ArrayList<>();
    private final List<String> stops = new ArrayList<>();
    private final Duration startDelay;
    private int nextId = 1;
    /** Whether a stopped shard keeps its nodes for its notice grace (as Slurm and Kubernetes do) or ends at once. */
    private boolean keepsNodesForGrace;

    private static final class Shard {
        final String id;
        final ShardLaunch launch;
        ShardStatus.State state = ShardStatus.State.PENDING;
        long heldAtNanos;
        long endsAtNanos = Long.MAX_VALUE;
        long stopsAtNanos = Long.MAX_VALUE;
        String reason = "";

        Shard(String id, ShardLaunch launch, long now, Duration startDelay) {
            this.id = id;
            this.launch = launch;
            this.heldAtNanos = now + startDelay.toNanos();
        }
    }

    InMemoryCluster(Map<String, Integer> gpusByNode, Duration startDelay) {
        gpusByNode.forEach((name, gpus) -> nodes.put(name, new NodeStatus(name, gpus, true, "")));
        this.startDelay = startDelay;
    }

    @Override
    public String kind() {
        return "in-memory";
    }

    @Override
    public synchronized List<NodeStatus> nodes() {
        return List.copyOf(nodes.values());
    }

    @Override
    public synchronized String start(ShardLaunch launch) throws BackendException {
        advance();
        for (Shard s : shards.values()) {
            if (s.launch.name().equals(launch.name()) && !s.state.ended()) {
                return s.id;
            }
        }
        for (ShardLaunch.NodeGpus n : launch.nodes()) {
            NodeStatus node = nodes.get(n.node());
            if (node == null || !node.up() || n.gpus() > node.gpus() - used(n.node())) {
                throw new BackendException("start " + launch.name() + ": node " + n.node() + " cannot take " + n.gpus()
                        + " GPUs (" + (node == null ? "no such node" : node.up() ? used(n.node()) + " in use" : "down") + ")");
            }
        }
        Shard s = new Shard("job-" + nextId++, launch, System.nanoTime(), startDelay);
        shards.put(s.id, s);
        launches.add(launch);
        return s.id;
    }

    private int used(String node) {
        return shards.values().stream().filter(s -> !s.state.ended()).flatMap(s -> s.launch.nodes().stream())
                .filter(n -> n.node().equals(node)).mapToInt(ShardLaunch.NodeGpus::gpus).sum();
    }

    @Override
    public synchronized void go(String id) throws BackendException {
        advance();
        Shard s = shards.get(id);
        if (s == null) {
            throw new BackendException("go " + id + ": no such shard");
        }
        if (s.state == ShardStatus.State.READY) {
            run(s, System.nanoTime());
        }
    }

    @Override
    public synchronized void stop(String id, Duration grace) {
        advance();
        stops.add(id);
        Shard s = shards.get(id);
        if (s != null && !s.state.ended()) {
            s.reason = "stopped with a notice of " + grace.toSeconds() + " s";
            if (keepsNodesForGrace) {
                s.stopsAtNanos = Math.min(s.stopsAtNanos, System.nanoTime() + grace.toNanos());
            } else {
                s.state = ShardStatus.State.STOPPED;
            }
        }
    }

    /** From now on a stopped shard holds its nodes until its notice grace has passed. */
    synchronized InMemoryCluster keepingNodesForGrace() {
        keepsNodesForGrace = true;
        return this;
    }

    @Override
    public synchronized List<ShardStatus> shards() {
        advance();
        List<ShardStatus> out = new ArrayList<>();
        for (Shard s : shards.values()) {
            List<String> held = s.state == ShardStatus.State.PENDING ? List.of()
                    : s.launch.nodes().stream().map(ShardLaunch.NodeGpus::node).toList();
            out.add(new ShardStatus(s.id, s.launch.name(), s.state, held, s.reason));
        }
        return out;
    }

    private void advance() {
        long now = System.nanoTime();
        for (Shard s : shards.values()) {
            if (s.state == ShardStatus.State.PENDING && now - s.heldAtNanos >= 0) {
                if (s.launch.waitForGo()) {
                    s.state = ShardStatus.State.READY;
                } else {
                    run(s, s.heldAtNanos);
                }
            }
            if (!s.state.ended() && now - s.stopsAtNanos >= 0) {
                s.state = ShardStatus.State.STOPPED;
            }
            if (s.state == ShardStatus.State.RUNNING && now - s.endsAtNanos >= 0) {
                s.state = ShardStatus.State.SUCCEEDED;
            }
        }
    }

    private static void run(Shard s, long from) {
        s.state = ShardStatus.State.RUNNING;
        s.endsAtNanos = from + Math.round(s.launch.runSeconds() * 1e9);
    }

    /** The shard vanishes from the cluster's listing (a job the cluster forgot). */
    synchronized void lose(String name) {
        shards.values().removeIf(s -> s.launch.name().equals(name));
    }

    /** The node goes down: its live shards fail. */
    synchronized void dropNode(String node) {
        nodes.put(node, new NodeStatus(node, nodes.get(node).gpus(), false, "test: node down"));
        for (Shard s : shards.values()) {
            if (!s.state.ended() && s.launch.nodes().stream().anyMatch(n -> n.node().equals(node))) {
                s.state = ShardStatus.State.FAILED;
                s.reason = "node " + node + " went down";
            }
        }
    }

    /** The node is back up. */
    synchronized void restoreNode(String node) {
        nodes.put(node, new NodeStatus(node, nodes.get(node).gpus(), true, ""));
    }

    /** Starts a shard behind the agent's back (a leftover of an earlier agent, say). */
    synchronized String startUnknown(ShardLaunch launch) throws BackendException {
        return start(launch);
    }

    synchronized List<ShardLaunch> launches() {
        return List.copyOf(launches);
    }

    synchronized List<String> stops() {
        return List.copyOf(stops);
    }

    /** Launches of run {@code run}'s shard so far. */
    synchronized long launchesOf(long run) {
        return launches.stream().filter(l -> l.run() == run).count();
    }

    /** The state of the newest shard named {@code name}, or null. */
    synchronized ShardStatus.State stateOf(String name) {
        advance();
        ShardStatus.State state = null;
        for (Shard s : shards.values()) {
            if (s.launch.name().equals(name)) {
                state = s.state;
            }
        }
        return state;
    }

    @Override
    public void close() {
    }
}
