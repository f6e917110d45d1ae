package dev.superfactory.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.server.store.SchedulerStore.AgentCommand;
import dev.superfactory.server.store.SchedulerStore.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-only site agent for every site at once, driven by the test thread and a {@link FakeClock}
 * instead of wall time (the built-in {@link SimulatedAgent} runs shards on its own thread for
 * {@code durationSeconds / timeScale} of wall time, so its reports land at times no test can
 * fix). It speaks the {@link AgentGateway} protocol as the HTTP routes do: commands read after a
 * cursor (fenced by term), {@code ready} when told to prepare a shard of a run across sites (the
 * shard starts on {@code go}), a {@code running} report when a shard starts, {@code stopped} when told
 * to stop, and {@code finished} exactly when the clock reaches the shard's start plus the job's
 * true run time ({@code durationSeconds} of the start command). Like the simulated agent, a
 * restarted job runs its whole duration again: no checkpoint survives a preemption.
 */
final class ClockDrivenAgent {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A shard running on a site until {@code finishAt} (epoch seconds). */
    private record Shard(long run, String site, long job, long finishAt) {
    }

    private final AgentGateway gateway;
    private final FakeClock clock;
    private final List<String> sites;
    private final Map<String, Long> cursors = new HashMap<>();
    private final Map<String, Shard> running = new HashMap<>(); // by run + "@" + site
    private final Map<String, JsonNode> prepared = new HashMap<>(); // start payloads waiting for go, by run + "@" + site
    private final Map<String, Integer> seqs = new HashMap<>();
    private long highestTerm;

    ClockDrivenAgent(AgentGateway gateway, FakeClock clock, List<String> sites) {
        this.gateway = gateway;
        this.clock = clock;
        this.sites = List.copyOf(sites);
    }

    /** Reads every site's new commands and reports what they cause; the number of reports sent. */
    int poll() {
        int sent = 0;
        for (String site : sites) {
            List<AgentCommand> commands = gateway.commands(site, cursors.getOrDefault(site, 0L), 500);
            for (AgentCommand c : commands) {
                if (c.term() >= highestTerm) {
                    highestTerm = c.term();
                    sent += execute(site, c);
                }
                cursors.put(site, c.id());
            }
        }
        return sent;
    }

    private int execute(String site, AgentCommand c) {
        switch (c.kind()) {
            case "start" -> start(site, c.run(), payload(c));
            case "prepare" -> {
                prepared.put(key(c.run(), site), payload(c));
                send(c.run(), site, "ready");
            }
            case "go" -> start(site, c.run(), prepared.remove(key(c.run(), site)));
            default -> {
                running.remove(key(c.run(), site));
                prepared.remove(key(c.run(), site));
                send(c.run(), site, "stopped");
            }
        }
        return 1;
    }

    private void start(String site, long run, JsonNode payload) {
        long finishAt = clock.seconds() + payload.get("durationSeconds").asLong() - payload.path("resumeSeconds").asLong();
        running.put(key(run, site), new Shard(run, site, payload.get("job").asLong(), finishAt));
        send(run, site, "running");
    }

    /** The earliest time a running shard finishes; {@link Long#MAX_VALUE} if none runs. */
    long nextFinish() {
        return running.values().stream().mapToLong(Shard::finishAt).min().orElse(Long.MAX_VALUE);
    }

    boolean idle() {
        return running.isEmpty() && prepared.isEmpty();
    }

    /** Reports {@code finished} for every shard due at {@code t}, in job order (as the twin handles its job ends). */
    void finishDue(long t) {
        List<Shard> due = new ArrayList<>();
        for (Shard s : running.values()) {
            if (s.finishAt() < t) {
                throw new IllegalStateException("shard of job " + s.job() + " was due at " + s.finishAt()
                        + ", the clock is at " + t + " already");
            }
            if (s.finishAt() == t) {
                due.add(s);
            }
        }
        due.sort(Comparator.comparingLong(Shard::job).thenComparing(Shard::site));
        for (Shard s : due) {
            running.remove(key(s.run(), s.site()));
            send(s.run(), s.site(), "finished");
        }
    }

    private void send(long run, String site, String state) {
        int seq = seqs.merge(key(run, site), 1, Integer::sum);
        gateway.report(new Report(run, site, seq, state));
    }

    private static String key(long run, String site) {
        return run + "@" + site;
    }

    private static JsonNode payload(AgentCommand c) {
        try {
            return JSON.readTree(c.payloadJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
