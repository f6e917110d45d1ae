package dev.superfactory.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether this site reaches the other sites over the AI WAN (issue 12 item 4): every interval it
 * opens a TCP connection to one endpoint per other site ({@code --wan-probe SITE=HOST:PORT}: any
 * service there that accepts connections, e.g. that site's slurmrestd, API server or agent host)
 * and closes it at once. A link is cut after {@link #FAILURES_TO_CUT} failed probes in a row and up
 * again after {@link #SUCCESSES_TO_RESTORE} good ones, so one lost probe is no cut and a flapping
 * link does not restart gangs each time. The agent reports {@link #verdict()} with
 * {@code PUT /v1/agents/SITE/links}.
 *
 * <p>Its own thread: a probe blocks for at most the timeout, never the agent's poll. Cost per
 * interval: one connection attempt per target.
 */
public final class WanProbe implements AutoCloseable {

    static final int FAILURES_TO_CUT = 3;
    static final int SUCCESSES_TO_RESTORE = 2;

    /** One other site and the endpoint there that answers a TCP connection. */
    public record Target(String site, String host, int port) {

        /** {@code SITE=HOST:PORT}; a malformed one is an {@link IllegalArgumentException} saying so. */
        public static Target parse(String text) {
            int eq = text.indexOf('=');
            int colon = text.lastIndexOf(':');
            if (eq <= 0 || colon <= eq + 1 || colon == text.length() - 1) {
                throw new IllegalArgumentException("'" + text + "' is not SITE=HOST:PORT");
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + text + "': the port must be 1..65535");
            }
            String host = text.substring(eq + 1, colon);
            if (host.startsWith("[") && host.endsWith("]")) { // an IPv6 literal
                host = host.substring(1, host.length() - 1);
            }
            return new Target(text.substring(0, eq), host, port);
        }
    }

    private final List<Target> targets;
    private final Duration timeout;
    private final ScheduledExecutorService thread;
    private final Map<String, Integer> streak = new ConcurrentHashMap<>(); // > 0: good probes in a row; < 0: failed
    private final Map<String, String> cut = new ConcurrentHashMap<>();
    /** Sites with a verdict: a streak long enough to cut or to restore has been seen. */
    private final java.util.Set<String> decided = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> probes = new ConcurrentHashMap<>();
    private final int sites;

    private WanProbe(List<Target> targets, Duration timeout) {
        this.targets = List.copyOf(targets);
        this.sites = (int) targets.stream().map(Target::site).distinct().count();
        this.timeout = timeout;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wan-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** Probes every {@code interval}, each attempt waiting at most {@code timeout}. */
    public static WanProbe start(List<Target> targets, Duration interval, Duration timeout) {
        WanProbe probe = new WanProbe(targets, timeout);
        probe.thread.scheduleWithFixedDelay(probe::probeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    /** A probe of these targets that probes nothing by itself: {@link #record} is fed by hand (tests). */
    static WanProbe idle(List<Target> targets) {
        return new WanProbe(targets, Duration.ofSeconds(1));
    }

    /** The sites cut off now, each with why (the last failure). */
    public Map<String, String> cut() {
        return new TreeMap<>(cut);
    }

    /**
     * {@link #cut()} once every target has a verdict (cut, or up by enough good probes), else null:
     * an agent just started reports nothing yet, so it never restores a link another incarnation of
     * it reported cut, only to cut it again a few probes later.
     */
    public Map<String, String> verdict() {
        return decided.size() < sites ? null : cut();
    }

    private void probeAll() {
        for (Target t : targets) {
            String failure = probe(t);
            record(t.site(), failure);
        }
    }

    /** Null if the connection opened, else why not. */
    private String probe(Target t) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(t.host(), t.port()), (int) Math.max(1, timeout.toMillis()));
            return null;
        } catch (IOException e) {
            return "no TCP connection to " + t.host() + ":" + t.port() + " (" + e.getMessage() + ")";
        }
    }

    /** Counts the probe into the site's streak and moves the cut when a streak is long enough. */
    void record(String site, String failure) {
        int s = streak.getOrDefault(site, 0);
        s = failure == null ? Math.max(s, 0) + 1 : Math.min(s, 0) - 1;
        streak.put(site, Math.max(-1000, Math.min(1000, s)));
        if (probes.merge(site, 1, Integer::sum) >= FAILURES_TO_CUT + SUCCESSES_TO_RESTORE) {
            decided.add(site); // a flapping link has a verdict too (up, unless 3 failures in a row cut it)
        }
        if (failure != null && s <= -FAILURES_TO_CUT) {
            cut.put(site, FAILURES_TO_CUT + " probes in a row failed: " + failure);
            decided.add(site);
        } else if (failure == null && s >= SUCCESSES_TO_RESTORE) {
            cut.remove(site);
            decided.add(site);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
