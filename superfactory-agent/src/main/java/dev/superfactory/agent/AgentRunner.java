package dev.superfactory.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.agent.ControlPlaneClient.Command;
import dev.superfactory.agent.ControlPlaneClient.LiveShard;
import dev.superfactory.agent.ControlPlaneClient.Refused;
import dev.superfactory.agent.ControlPlaneClient.Report;
import dev.superfactory.agent.ControlPlaneClient.ShardList;
import dev.superfactory.agent.ControlPlaneClient.Unreachable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A site agent as its own process (issue 12 items 1 and 5): it speaks the control plane's agent
 * protocol over HTTP ({@link ControlPlaneClient}) and drives its site's cluster through a
 * {@link SiteBackend}, with the duties {@code SimulatedAgent} models in-process: commands leased
 * after a cursor and fenced by term (a command of a term older than the highest seen is ignored),
 * reports numbered per (run, site) and retried until acknowledged, two-phase start
 * (prepare → ready → go), reconciliation. Unlike the simulated agent it keeps the cluster's shards
 * across its own restarts: on start, and after the control plane was unreachable, it compares what
 * the control plane believes ({@code GET …/shards}) with what the cluster runs: a shard the control
 * plane does not know is stopped; one it believes live that the cluster does not have is reported
 * failed (lost); the others have their current state reported, so nothing runs twice.
 *
 * <p>One thread; each poll is one command lease, one {@link SiteBackend#shards()} and one report
 * request when there is something to report, and one {@link SiteBackend#nodes()} (shared by the poll's
 * starts and its node report). After
 * a failure the next poll waits poll × 2^failures, at most {@link Settings#maxBackoff}.
 */
public final class AgentRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentRunner.class);
    private static final int LEASE = 500;
    /** The name a domain's GPUs without a node go by in the nodes-out report: {@code unmapped-DOMAIN}. */
    static final String UNMAPPED = "unmapped-";

    private final String site;
    private final ControlPlaneClient client;
    private final SiteBackend backend;
    private final NodeMap map;
    private final Settings settings;
    private final ShardEnvironment environment;
    private final ScheduledExecutorService thread;
    private final Map<Long, Tracked> tracked = new LinkedHashMap<>();
    /** The highest seq used per run (the control plane's, then ours); a report takes the next. */
    private final Map<Long, Integer> seqs = new HashMap<>();
    private final Deque<Report> unsent = new ArrayDeque<>();
    /** Shards found on the cluster that nobody owns, stopped once each. */
    private final Set<String> orphansStopped = new HashSet<>();
    /** Orphans stopped and not yet told to the control plane ({shard, cluster id, why}), retried each poll. */
    private final Deque<String[]> orphansToTell = new ArrayDeque<>();
    private long cursor;
    private long highestTerm;
    private boolean reconciled;
    /** The cluster's nodes as read in this poll (null: not read yet). */
    private Map<String, NodeStatus> nodesThisPoll;
    /** The nodes out last told to the control plane (null: not told since the last reconciliation). */
    private List<ControlPlaneClient.NodeOut> healthSent;
    /** The other sites this one cannot reach now, site → why ({@link WanProbe#verdict}); null: not probed. */
    private final java.util.function.Supplier<Map<String, String>> wanCuts;
    /** The cut links last told to the control plane (null: not told since the last reconciliation). */
    private Map<String, String> linksSent;
    /**
     * Starts whose GPUs are still held by shards this agent is stopping (the control plane freed them
     * at the stop; the cluster frees them at the kill, up to a notice grace later): retried each
     * poll, in order, until they fit or {@link #waitLimit} passes.
     */
    private final Map<Long, Waiting> waiting = new LinkedHashMap<>();

    private record Waiting(Command command, boolean prepare, long sinceNanos) {
    }

    /** The site's GPUs no node of the map holds, as nodes out, from the last reconciliation's domains. */
    private List<ControlPlaneClient.NodeOut> unmapped = List.of();
    private boolean fresh = true;
    private int failures;
    private long retryAtNanos;
    private volatile boolean connected;

    /**
     * How the agent runs.
     *
     * @param timeScale a shard runs its job's declared seconds divided by this (1: real time)
     * @param poll how often it leases commands and reads the cluster
     * @param noticeGrace the grace between a stop's notice and its kill, when the command gives none
     * @param maxBackoff the longest wait between attempts while the control plane or cluster fails
     * @param checkpointRoot where shards write checkpoints: {@code <root>/<tenant>/<job>}
     * @param noticeSignal the signal a shard gets as its stop notice
     */
    public record Settings(double timeScale, Duration poll, Duration noticeGrace, Duration maxBackoff,
                           String checkpointRoot, String noticeSignal) {
        public Settings {
            if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
                throw new IllegalArgumentException("timeScale must be a positive number, got " + timeScale);
            }
            if (poll.isNegative() || poll.isZero() || noticeGrace.isNegative() || maxBackoff.compareTo(poll) < 0) {
                throw new IllegalArgumentException("poll " + poll + " must be > 0, noticeGrace " + noticeGrace
                        + " >= 0 and maxBackoff " + maxBackoff + " >= poll");
            }
        }

        public static Settings defaults() {
            return new Settings(1, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30),
                    "/var/lib/superfactory/checkpoints", "USR1");
        }
    }

    /** A shard this agent owns: started by it, or found on the cluster and known to the control plane. */
    private static final class Tracked {
        final String name;
        String id;
        final List<ShardLaunch.NodeGpus> nodes;
        final long resumeSeconds;
        ShardStatus.State last;
        boolean seen;
        boolean stopRequested;
        boolean stopPending;

        Tracked(String name, String id, List<ShardLaunch.NodeGpus> nodes, long resumeSeconds, ShardStatus.State last) {
            this.name = name;
            this.id = id;
            this.nodes = nodes;
            this.resumeSeconds = resumeSeconds;
            this.last = last;
        }
    }

    private AgentRunner(ControlPlaneClient client, SiteBackend backend, NodeMap map, Settings settings,
                        java.util.function.Supplier<Map<String, String>> wanCuts) {
        this.site = map.site();
        this.wanCuts = wanCuts;
        this.client = client;
        this.backend = backend;
        this.map = map;
        this.settings = settings;
        this.environment = new ShardEnvironment(site, settings);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-" + site);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the agent's thread: it reconciles, then polls every {@code settings.poll()}. */
    public static AgentRunner start(ControlPlaneClient client, SiteBackend backend, NodeMap map, Settings settings) {
        return start(client, backend, map, settings, null);
    }

    /**
     * As above; {@code wanCuts} (null: none) says which other sites this one cannot reach over the
     * WAN now, site → why, or null while it does not know yet ({@link WanProbe#verdict}): the agent
     * reports each change of that set.
     */
    public static AgentRunner start(ControlPlaneClient client, SiteBackend backend, NodeMap map, Settings settings,
                                    java.util.function.Supplier<Map<String, String>> wanCuts) {
        AgentRunner agent = new AgentRunner(client, backend, map, settings, wanCuts);
        long poll = settings.poll().toMillis();
        agent.thread.scheduleWithFixedDelay(agent::step, 0, Math.max(1, poll), TimeUnit.MILLISECONDS);
        return agent;
    }

    /** Whether the last poll reached the control plane and the cluster, after a reconciliation. */
    public boolean connected() {
        return connected;
    }

    private void step() {
        if (System.nanoTime() - retryAtNanos < 0) {
            return;
        }
        nodesThisPoll = null;
        try {
            if (!reconciled) {
                reconcile();
            }
            flush();
            leaseOnce();
            observe();
            retryWaiting();
            flush();
            reportHealth();
            reportLinks();
            tellOrphans();
            failures = 0;
            connected = true;
        } catch (Unreachable e) {
            reconciled = false;
            backOff("control plane unreachable: " + e.getMessage());
        } catch (BackendException e) {
            backOff("cluster call failed: " + e.getMessage());
        } catch (Refused e) {
            backOff("control plane refused: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("agent {}: poll failed", site, e);
            backOff("error: " + e);
        }
    }

    private void backOff(String why) {
        connected = false;
        failures = Math.min(failures + 1, 30);
        long maxNanos = settings.maxBackoff().toNanos();
        long delay = Math.min(maxNanos, settings.poll().toNanos() << Math.min(failures, 20));
        retryAtNanos = System.nanoTime() + delay;
        LOG.warn("agent {}: {}; retrying in {} ms", site, why, delay / 1_000_000);
    }

    // ---- reconciliation ----

    /**
     * Compares the control plane's belief with the cluster and settles every difference. At the
     * first start the cursor jumps to the site's newest command (the reconciliation stands for
     * every older one); after a reconnect the agent first reads the commands it missed.
     */
    private void reconcile() throws Unreachable, Refused, BackendException {
        flush();
        ShardList believed = client.shards();
        for (int round = 0; !fresh && believed.newestCommand() > cursor && round < 10; round++) {
            leaseOnce();
            flush();
            believed = client.shards();
        }
        cursor = Math.max(cursor, believed.newestCommand());
        unmapped = map.unmapped(believed.domains()).stream().map(u -> new ControlPlaneClient.NodeOut(UNMAPPED + u[0], u[0],
                u[1], u[2], "no node of the agent's node map")).toList();
        String misfit = map.misfit(believed.domains());
        if (misfit != null) {
            LOG.error("agent {}: the node map does not fit the site: {}", site, misfit);
        }
        highestTerm = Math.max(highestTerm, believed.term());
        Map<Long, ShardStatus> cluster = byRun(backend.shards());
        Set<Long> known = new HashSet<>();
        for (LiveShard s : believed.items()) {
            known.add(s.run());
            seqs.merge(s.run(), s.seq(), Math::max);
            settle(s, cluster.get(s.run()));
        }
        waiting.keySet().retainAll(known); // a start the control plane no longer believes live never launches
        for (Map.Entry<Long, ShardStatus> c : cluster.entrySet()) {
            if (!known.contains(c.getKey()) && !c.getValue().state().ended()) {
                tracked.remove(c.getKey());
                stopOrphan(c.getValue(), "the control plane does not believe it live");
            }
        }
        fresh = false;
        reconciled = true;
        healthSent = null; // the control plane may have restarted: tell it the nodes out again
        linksSent = null;
        LOG.info("agent {}: reconciled with the control plane: {} shard(s) live there, {} on the cluster, cursor {}",
                site, believed.items().size(), cluster.size(), cursor);
    }

    /** One shard the control plane believes live, against what the cluster has under its name. */
    private void settle(LiveShard s, ShardStatus c) throws BackendException {
        Tracked t = tracked.get(s.run());
        if (c == null && waiting.containsKey(s.run())) {
            if (s.state().equals("stopping")) { // stopped before it reached the cluster
                waiting.remove(s.run());
                send(s.run(), "stopped", 0);
            }
            return; // else its start waits for shards being stopped on its nodes
        }
        if (c == null) {
            tracked.remove(s.run());
            if (s.state().equals("stopping")) {
                send(s.run(), "stopped", 0);
            } else {
                LOG.warn("agent {}: run {} ({}) is not on the cluster: reported failed (lost)", site, s.run(), s.state());
                send(s.run(), "failed", 0, "not on the cluster when the agent reconciled");
            }
            return;
        }
        if (t == null) { // found after a restart (its nodes count as wholly held): report what the control plane lacks
            t = new Tracked(c.name(), c.id(), c.nodes().stream().map(n -> new ShardLaunch.NodeGpus(n, Integer.MAX_VALUE))
                    .toList(), 0, stateOf(s.state()));
            tracked.put(s.run(), t);
        }
        t.seen = true;
        if (s.state().equals("stopping") && !t.stopRequested) {
            t.stopRequested = true;
            t.stopPending = true;
        }
        if (c.state() == ShardStatus.State.READY && s.state().equals("ready") && s.go()) {
            LOG.info("agent {}: run {} is ready and its go was written: go", site, s.run());
            backend.go(c.id());
        }
    }

    private static ShardStatus.State stateOf(String believed) {
        return switch (believed) {
            case "ready" -> ShardStatus.State.READY;
            case "running" -> ShardStatus.State.RUNNING;
            default -> ShardStatus.State.PENDING;
        };
    }

    private void stopOrphan(ShardStatus c, String why) throws BackendException {
        if (orphansStopped.add(c.id())) {
            LOG.warn("agent {}: shard {} ({}) runs on the cluster but {}: stopped", site, c.name(), c.id(), why);
            backend.stop(c.id(), settings.noticeGrace());
            orphansToTell.add(new String[] {c.name(), c.id(), why});
        }
    }

    /** This site's shards on the cluster by run; of several with one name, a live one wins. */
    private Map<Long, ShardStatus> byRun(List<ShardStatus> shards) {
        Map<Long, ShardStatus> byRun = new LinkedHashMap<>();
        String suffix = "-" + site;
        for (ShardStatus s : shards) {
            if (!s.name().startsWith("sf-") || !s.name().endsWith(suffix)) {
                continue;
            }
            long run;
            try {
                run = Long.parseLong(s.name().substring(3, s.name().length() - suffix.length()));
            } catch (NumberFormatException e) {
                continue;
            }
            ShardStatus before = byRun.get(run);
            if (before == null || before.state().ended()) {
                byRun.put(run, s);
            }
        }
        return byRun;
    }

    // ---- commands ----

    private void leaseOnce() throws Unreachable, Refused, BackendException {
        ControlPlaneClient.CommandPage page = client.commands(cursor, LEASE);
        for (Command c : page.items()) {
            if (c.term() < highestTerm) {
                LOG.warn("agent {}: command {} ({} run {}) of term {} ignored: term {} is newer", site, c.id(), c.kind(),
                        c.run(), c.term(), highestTerm);
            } else {
                highestTerm = c.term();
                execute(c);
            }
            cursor = c.id();
        }
    }

    private void execute(Command c) throws BackendException {
        switch (c.kind()) {
            case "start" -> start(c, false);
            case "prepare" -> start(c, true);
            case "go" -> go(c.run());
            case "stop" -> stop(c.run(), c.payload());
            default -> LOG.warn("agent {}: command {} of unknown kind '{}' ignored", site, c.id(), c.kind());
        }
    }

    private void start(Command c, boolean prepare) throws BackendException {
        if (tracked.containsKey(c.run())) {
            LOG.info("agent {}: run {} is started already: {} ignored", site, c.run(), c.kind());
            return;
        }
        JsonNode p = c.payload();
        List<NodeMap.Part> parts = parts(p.path("placement"));
        NodeMap.Pick pick = map.pickParts(parts, freeGpus(false));
        if (!pick.ok() && map.pickParts(parts, freeGpus(true)).ok()) {
            Waiting w = waiting.get(c.run());
            long since = w == null ? System.nanoTime() : w.sinceNanos();
            if (System.nanoTime() - since < waitLimit().toNanos()) {
                if (w == null) {
                    LOG.info("agent {}: run {} waits for shards being stopped on its nodes: {}", site, c.run(), pick.failure());
                }
                waiting.put(c.run(), new Waiting(c, prepare, since));
                return;
            }
        }
        waiting.remove(c.run());
        if (!pick.ok()) {
            LOG.warn("agent {}: run {} cannot start on its placement {}: {}; reported failed", site, c.run(),
                    p.path("placement"), pick.failure());
            send(c.run(), "failed", 0, "cannot start on its placement: " + pick.failure());
            return;
        }
        long resume = p.path("resumeSeconds").asLong(0);
        double runSeconds = Math.max(0, p.path("durationSeconds").asLong(0) - resume) / settings.timeScale();
        ShardLaunch launch = new ShardLaunch(ShardLaunch.nameOf(c.run(), site), c.run(), p.path("job").asLong(),
                p.path("tenant").asText(), pick.nodes(), environment.of(c.run(), p, pick.nodes()), runSeconds, prepare);
        String id;
        try {
            id = backend.start(launch);
        } catch (BackendException e) {
            LOG.warn("agent {}: run {} failed to start on {}: {}; reported failed", site, c.run(), pick.nodes(), e.getMessage());
            send(c.run(), "failed", resume, "the cluster refused its start: " + e.getMessage());
            return;
        }
        tracked.put(c.run(), new Tracked(launch.name(), id, pick.nodes(), resume, ShardStatus.State.PENDING));
        LOG.info("agent {}: run {} {} as {} on {}", site, c.run(), prepare ? "prepared" : "started", id, pick.nodes());
    }

    /** The placement's {@code [domain, gpus, [[offset, count], …]]} items (ranges absent from an older control plane). */
    private static List<NodeMap.Part> parts(JsonNode placement) {
        List<NodeMap.Part> parts = new ArrayList<>();
        for (JsonNode item : placement.path("domains")) {
            List<int[]> ranges = new ArrayList<>();
            for (JsonNode range : item.path(2)) {
                ranges.add(new int[] {range.path(0).asInt(), range.path(1).asInt()});
            }
            parts.add(new NodeMap.Part(item.path(0).asInt(), item.path(1).asInt(), ranges));
        }
        return parts;
    }

    /** The cluster's nodes by name, read once per poll (the starts of a poll and its health report share it). */
    private Map<String, NodeStatus> clusterNodes() throws BackendException {
        if (nodesThisPoll == null) {
            Map<String, NodeStatus> byName = new HashMap<>();
            backend.nodes().forEach(n -> byName.put(n.name(), n));
            nodesThisPoll = byName;
        }
        return nodesThisPoll;
    }

    /**
     * Retries the starts waiting for shards being stopped; one that still does not fit after
     * {@link #waitLimit} is reported failed. O(waiting × nodes of the map).
     */
    private void retryWaiting() throws BackendException {
        for (Waiting w : List.copyOf(waiting.values())) {
            start(w.command(), w.prepare());
        }
    }

    /** How long a start waits for shards being stopped on its nodes: their notice grace, plus time for the kill. */
    private Duration waitLimit() {
        return settings.noticeGrace().plus(Duration.ofSeconds(30)).plus(settings.poll().multipliedBy(3));
    }

    /**
     * GPUs free per node of the map: 0 on nodes down or missing from the cluster, less what tracked
     * shards hold; {@code stoppingFree}: as if the shards being stopped had let theirs go.
     */
    private Map<String, Integer> freeGpus(boolean stoppingFree) throws BackendException {
        Map<String, Integer> free = new HashMap<>();
        Map<String, NodeStatus> cluster = clusterNodes();
        for (NodeMap.Node n : map.nodes()) {
            NodeStatus status = cluster.get(n.name());
            free.put(n.name(), status == null || !status.up() ? 0 : Math.min(n.gpus(), status.gpus()));
        }
        for (Tracked t : tracked.values()) {
            if (!(stoppingFree && t.stopRequested)) {
                t.nodes.forEach(g -> free.computeIfPresent(g.node(), (k, v) -> Math.max(0, v - g.gpus())));
            }
        }
        return free;
    }

    private void go(long run) throws BackendException {
        Tracked t = tracked.get(run);
        if (t == null) {
            waiting.remove(run);
            LOG.warn("agent {}: go for run {}, which this agent has not prepared: reported failed", site, run);
            send(run, "failed", 0, "a go for a run this agent has not prepared");
            return;
        }
        backend.go(t.id);
    }

    private void stop(long run, JsonNode payload) throws BackendException {
        waiting.remove(run); // a start still waiting for its nodes never reaches the cluster
        Tracked t = tracked.get(run);
        if (t == null) {
            send(run, "stopped", 0);
            return;
        }
        t.stopRequested = true;
        t.stopPending = true;
        stopNow(t, payload.has("graceSeconds") ? Duration.ofSeconds(payload.get("graceSeconds").asLong()) : settings.noticeGrace());
    }

    private void stopNow(Tracked t, Duration grace) throws BackendException {
        backend.stop(t.id, grace);
        t.stopPending = false;
    }

    // ---- the cluster's state changes ----

    /**
     * Tells the control plane which mapped nodes the cluster has out (down, drained, or missing
     * from it), when that set changed or after a reconciliation: their GPUs leave service there,
     * so it places nothing on them. One {@link SiteBackend#nodes()} call per poll, one request per change.
     */
    private void reportHealth() throws BackendException, Unreachable, Refused {
        Map<String, NodeStatus> cluster = clusterNodes();
        List<ControlPlaneClient.NodeOut> out = new ArrayList<>(unmapped); // capacity no node holds: never placed on
        for (NodeMap.Node n : map.nodes()) {
            NodeStatus status = cluster.get(n.name());
            if (status == null || !status.up()) {
                out.add(new ControlPlaneClient.NodeOut(n.name(), n.domain(), map.offsetOf(n), n.gpus(),
                        status == null ? "not in the cluster" : status.reason()));
            }
        }
        if (!out.equals(healthSent)) {
            try {
                int[] changed = client.nodesOut(out);
                if (changed[0] + changed[1] > 0) {
                    LOG.warn("agent {}: nodes out of service now {}; {} newly out, {} back", site,
                            describe(out), changed[0], changed[1]);
                }
            } catch (Refused e) {
                if (e.status() != 400 && e.status() != 422) {
                    throw e; // a token or the control plane's state: retried with backoff
                }
                // the same set would be refused again (e.g. a node map of another site's domains): say so once
                LOG.error("agent {}: the control plane refused the nodes out {}: {}; not resent until they change", site,
                        describe(out), e.getMessage());
            }
            healthSent = out;
        }
    }

    /**
     * Tells the control plane which other sites this one cannot reach over the WAN, when that set
     * changed or after a reconciliation (the control plane then stalls or shrinks the gangs across
     * those links, as the scenario says). A refusal for bad input (a site with no link to this one)
     * is logged once per set.
     */
    private void reportLinks() throws Unreachable, Refused {
        if (wanCuts == null) {
            return;
        }
        Map<String, String> cut = wanCuts.get();
        if (cut == null) {
            return; // no verdict yet
        }
        if (linksSent != null && cut.keySet().equals(linksSent.keySet())) {
            return;
        }
        try {
            int[] changed = client.linksCut(cut);
            if (changed[0] + changed[1] > 0) {
                LOG.warn("agent {}: WAN links cut now {}; {} newly cut, {} restored", site, cut, changed[0], changed[1]);
            }
        } catch (Refused e) {
            if (e.status() != 400 && e.status() != 422) {
                throw e;
            }
            LOG.error("agent {}: the control plane refused the WAN cuts {}: {}; not resent until they change", site,
                    cut.keySet(), e.getMessage());
        }
        linksSent = cut;
    }

    /** Tells the control plane of each orphan stopped (its event log keeps them); one refused for its content is dropped. */
    private void tellOrphans() throws Unreachable, Refused {
        while (!orphansToTell.isEmpty()) {
            String[] o = orphansToTell.peek();
            try {
                client.orphanStopped(o[0], o[1], o[2]);
            } catch (Refused e) {
                if (e.status() != 400 && e.status() != 404 && e.status() != 422) {
                    throw e; // a token or the control plane's state: retried with backoff
                }
                LOG.error("agent {}: the control plane refused the notice of orphan {}: {}", site, o[0], e.getMessage());
            }
            orphansToTell.poll();
        }
    }

    /** The nodes out by name, and the domains with unmapped GPUs as a count (a site may have thousands). */
    private static String describe(List<ControlPlaneClient.NodeOut> out) {
        List<String> nodes = out.stream().map(ControlPlaneClient.NodeOut::node).filter(n -> !n.startsWith(UNMAPPED)).toList();
        long unmapped = out.size() - nodes.size();
        return nodes + (unmapped == 0 ? "" : " and the unmapped GPUs of " + unmapped + " domain(s)");
    }

    /** Reads the cluster once and reports each tracked shard's change of state once. */
    private void observe() throws BackendException {
        Map<Long, ShardStatus> cluster = byRun(backend.shards());
        for (var it = tracked.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Tracked> e = it.next();
            Tracked t = e.getValue();
            ShardStatus c = cluster.get(e.getKey());
            if (t.stopPending) {
                stopNow(t, settings.noticeGrace());
            }
            if (c == null) {
                if (t.seen) {
                    LOG.warn("agent {}: shard {} ({}) is gone from the cluster: reported failed (lost)", site, t.name, t.id);
                    send(e.getKey(), t.stopRequested ? "stopped" : "failed", t.resumeSeconds,
                            t.stopRequested ? "" : "gone from the cluster");
                    it.remove();
                }
                continue;
            }
            t.seen = true;
            if (c.state() != t.last) {
                t.last = c.state();
                String state = reportOf(c.state(), t.stopRequested);
                if (state != null) {
                    boolean ended = state.equals("failed") || state.equals("stopped");
                    send(e.getKey(), state, ended ? t.resumeSeconds : 0, ended ? c.reason() : "");
                }
            }
            if (c.state().ended()) {
                if (c.state() == ShardStatus.State.FAILED && !c.reason().isEmpty()) {
                    LOG.warn("agent {}: shard {} failed: {}", site, t.name, c.reason());
                }
                it.remove();
            }
        }
        for (Map.Entry<Long, ShardStatus> c : cluster.entrySet()) {
            if (!tracked.containsKey(c.getKey()) && !c.getValue().state().ended()) {
                stopOrphan(c.getValue(), "this agent does not own it");
            }
        }
    }

    private static String reportOf(ShardStatus.State state, boolean stopRequested) {
        return switch (state) {
            case PENDING -> null;
            case READY -> "ready";
            case RUNNING -> "running";
            case SUCCEEDED -> "finished";
            case FAILED -> stopRequested ? "stopped" : "failed";
            case STOPPED -> "stopped";
        };
    }

    // ---- reports ----

    private void send(long run, String state, long checkpointSeconds) {
        send(run, state, checkpointSeconds, "");
    }

    /** Queues the shard's next report; {@code reason}: why it ended, in the cluster's words ("" if none). */
    private void send(long run, String state, long checkpointSeconds, String reason) {
        int seq = seqs.merge(run, 1, Integer::sum);
        unsent.add(new Report(run, seq, state, checkpointSeconds, reason));
    }

    /**
     * Sends every report not yet acknowledged, in order, in one request. A refused batch (4xx) is
     * sent report by report so only the refused ones are dropped (logged); a report refused for its
     * reason (a control plane older than the field: "unknown field", naming {@code reports[0].reason})
     * is sent once more without it, so its state is not lost for its reason. Unreachable: kept for
     * the next poll.
     */
    private void flush() throws Unreachable {
        if (unsent.isEmpty()) {
            return;
        }
        List<Report> batch = new ArrayList<>(unsent);
        try {
            client.report(batch);
            unsent.clear();
        } catch (Refused e) {
            for (Report r : batch) {
                sendAlone(r);
                unsent.remove();
            }
        }
    }

    private void sendAlone(Report r) throws Unreachable {
        try {
            client.report(List.of(r));
        } catch (Refused one) {
            if (!r.reason().isEmpty() && one.field().endsWith(".reason")) {
                LOG.warn("agent {}: report {} refused ({}); sent again without its reason", site, r, one.getMessage());
                sendAlone(r.withoutReason());
            } else {
                LOG.warn("agent {}: report {} dropped: {}", site, r, one.getMessage());
            }
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

    @Override
    public String toString() {
        return "agent of site " + site + " (" + backend.kind() + ") on " + client;
    }
}
