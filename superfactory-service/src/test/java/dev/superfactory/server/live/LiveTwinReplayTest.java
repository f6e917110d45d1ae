package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.fleet.Allocation;
import dev.superfactory.fleet.Fleet;
import dev.superfactory.input.YamlDocuments;
import dev.superfactory.reliability.CheckpointPolicy;
import dev.superfactory.reliability.ReliabilitySpec;
import dev.superfactory.reliability.RestartCosts;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import dev.superfactory.sched.PendingReason;
import dev.superfactory.sched.SchedulerListener;
import dev.superfactory.server.ControlPlane;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.SchedulerStore;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.server.store.TokenStore;
import dev.superfactory.sim.Simulation;
import dev.superfactory.sim.SimulationResult;
import dev.superfactory.workload.TraceSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 9: a live run's event log, replayed through the twin, gives the same decisions.
 * The control plane runs on a real embedded PostgreSQL with a {@link FakeClock} the test moves
 * and a {@link ClockDrivenAgent} that reports each shard finished exactly at its start plus the
 * job's true run time. The test reads back every submit and decision from the event log, writes
 * the submits as a native trace, runs the twin ({@link Simulation}) on it with the same fleet,
 * tenants and policy, watches its kernel's decisions ({@link Simulation#watch}), and requires
 * every start (job, time, placement by site and domain), preemption (job, by whom, time) and
 * finish to be the same, in the same order.
 *
 * <p>One pass per distinct time, like the twin: live passes batch whatever commands are queued,
 * and the twin runs one pass per distinct time after handling that time's job ends and then its
 * arrivals. So the test holds the scheduler thread (a query that waits) while it moves the clock
 * and queues a time's inputs (finish reports first, in job order, then the one submit), so they
 * form exactly one pass; then it lets the agent read the commands of that pass (its running and
 * stopped reports are passes without kernel inputs). Submit times are distinct.
 */
class LiveTwinReplayTest extends LiveTestBase {

    /**
     * LiveTestBase's two sites (4 domains of 8 H100s each) with three tenants of different
     * priority classes under the priority policy, so high-priority jobs preempt lower ones.
     */
    static final Scenario PRIORITIES = ScenarioReader.read(YamlDocuments.parse("""
            name: two-sites-priorities
            fleet:
              sites:
                - name: east
                  scaleOutBandwidthPerGpu: 400Gbps
                  powerCapacityMw: 1
                  blocks:
                    - {name: east-b, gpu: h100, count: 1, domainsPerBlock: 4, gpusPerDomain: 8, domainPower: 10kW}
                - name: west
                  scaleOutBandwidthPerGpu: 400Gbps
                  powerCapacityMw: 1
                  blocks:
                    - {name: west-b, gpu: h100, count: 1, domainsPerBlock: 4, gpusPerDomain: 8, domainPower: 10kW}
              wan:
                - {between: [east, west], distance: 1000km, bandwidth: 10Tbps}
            tenants:
              - {name: alpha, gpuLimit: 48, priority: low}
              - {name: beta, gpuLimit: 32, priority: high}
              - {name: gamma, gpuLimit: 40}
            scheduler:
              policy: priority
            """, "two-sites-priorities.yaml"), "two-sites-priorities.yaml");

    static final String[] TENANTS = {"alpha", "beta", "gamma"};
    static final int JOBS = 120;

    @TempDir
    Path dir;

    /** A submit as the event log records it; {@code t} in epoch seconds. */
    record Submit(long job, long t, String tenant, int gpus, int group, boolean spanSites, long expectedSeconds,
                  long durationSeconds) {
    }

    @Test
    void aLiveRunReplayedThroughTheTwinStartsPlacesPreemptsAndFinishesEveryJobTheSame() throws Exception {
        FakeClock clock = new FakeClock(java.time.Instant.now().getEpochSecond());
        Map<String, String> tokens = startPlane(clock);
        runLive(clock, tokens);
        assertThat(count("SELECT count(*) FROM jobs WHERE state = 'succeeded'")).isEqualTo(JOBS);

        List<Submit> submits = new ArrayList<>();
        List<String> live = liveDecisions(submits);
        assertThat(submits).hasSize(JOBS);
        List<String> twin = twinDecisions(submits);

        assertThat(live).filteredOn(line -> line.contains(" preempt ")).hasSizeGreaterThan(5);
        assertThat(live).filteredOn(line -> line.contains(" start ")).hasSizeGreaterThan(JOBS);
        assertThat(live).as("gangs across both sites, started in two phases")
                .filteredOn(line -> line.contains(" start ") && line.contains("east[") && line.contains("west["))
                .hasSizeGreaterThan(3);
        assertThat(count("SELECT count(*) FROM agent_commands WHERE kind = 'go'"))
                .as("every shard prepared got its go (ready at once: no timeout)")
                .isEqualTo(count("SELECT count(*) FROM agent_commands WHERE kind = 'prepare'")).isGreaterThan(6);
        assertThat(twin).containsExactlyElementsOf(live);
    }

    // ---- the live run ----

    private Map<String, String> startPlane(FakeClock clock) {
        ControlPlane.seedTenants(new TenantStore(database.dataSource()), PRIORITIES, clock);
        TokenStore store = new TokenStore(database.dataSource(), clock);
        Map<String, String> tokens = new HashMap<>();
        for (String tenant : TENANTS) {
            tokens.put(tenant, store.create(Principal.tenant(tenant), Duration.ofDays(365), "replay").secret());
        }
        plane = ControlPlane.start(database, PRIORITIES, clock,
                new ControlPlane.Settings(0, 1, false, Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofHours(1)), null);
        return tokens;
    }

    /**
     * Submits {@link #JOBS} seeded random jobs at distinct times through the REST API and moves
     * the clock from one submit or shard end to the next until every job has finished.
     */
    private void runLive(FakeClock clock, Map<String, String> tokens) throws Exception {
        AgentGateway gateway = new AgentGateway(new SchedulerStore(database.dataSource()), plane.scheduler(), clock);
        ClockDrivenAgent agent = new ClockDrivenAgent(gateway, clock, List.of("east", "west"));
        Random random = new Random(11);
        long nextSubmit = clock.seconds() + 60;
        int submitted = 0;
        while (submitted < JOBS || !agent.idle()) {
            long submitAt = submitted < JOBS ? nextSubmit : Long.MAX_VALUE;
            long t = Math.min(submitAt, agent.nextFinish());
            boolean submits = t == submitAt;
            int n = submitted;
            onePass(clock, t, () -> {
                agent.finishDue(t);
                if (submits) {
                    submitRandomJob(random, tokens, n);
                }
            });
            if (submits) {
                submitted++;
                nextSubmit = t + 1 + random.nextInt(900);
            }
            while (agent.poll() > 0) {
                barrier(); // the agent's ready, running and stopped reports: no kernel input (ready may bring go)
            }
        }
    }

    /**
     * Submits the {@code n}th job: a random tenant, size and run time; every eighth is a gang of 40
     * GPUs across both sites (a site has 32), started in two phases, for alpha or gamma (beta may
     * hold only 32).
     */
    private void submitRandomJob(Random random, Map<String, String> tokens, int n) {
        String tenant = TENANTS[random.nextInt(TENANTS.length)];
        int gpus = 8 * (1 + random.nextInt(4));
        boolean span = gpus >= 24 && random.nextInt(3) == 0;
        if (n % 8 == 7) {
            tenant = n % 16 == 7 ? "alpha" : "gamma";
            gpus = 40;
            span = true;
        }
        long duration = 600 + 300L * random.nextInt(40);
        long expected = duration + 60L * random.nextInt(30);
        call("POST", "/v1/jobs", tokens.get(tenant), "{\"gpus\":" + gpus + ",\"scaleUpGroup\":8,\"spanSites\":" + span
                + ",\"expectedSeconds\":" + expected + ",\"durationSeconds\":" + duration + "}", 201);
    }

    /**
     * Moves the clock to {@code t} and queues {@code inputs} while the scheduler thread waits in a
     * query, so they all land in one pass at {@code t}; returns once that pass has committed.
     */
    private void onePass(FakeClock clock, long t, Runnable inputs) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> hold = plane.scheduler().query(kernel -> {
            held.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).as("the scheduler thread took the hold").isTrue();
        clock.set(t);
        inputs.run();
        CompletableFuture<Void> done = plane.scheduler().query(kernel -> {
            kernel.checkInvariants();
            return null;
        });
        release.countDown();
        assertThat(hold.get(10, TimeUnit.SECONDS)).isTrue();
        done.get(10, TimeUnit.SECONDS);
    }

    /** Returns once every command queued before has been applied and committed. */
    private void barrier() throws Exception {
        plane.scheduler().query(kernel -> null).get(10, TimeUnit.SECONDS);
    }

    // ---- the event log, read back ----

    /**
     * Every submit (into {@code submits}) and every decision as a line, from the event log in
     * order: a {@code kernel.pass} event sets the time of the events its transaction appended
     * after it (appends are serialised, so a pass's events follow it without others between).
     */
    private List<String> liveDecisions(List<Submit> submits) throws SQLException, IOException {
        Map<Long, Map<String, String>> placements = placements();
        List<String> lines = new ArrayList<>();
        long origin = -1;
        long t = 0;
        int preemptedRuns = 0;
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT type, job, run, payload::text FROM event_log "
                     + "WHERE type IN ('kernel.pass', 'run.started', 'run.ended', 'job.state') ORDER BY seq")) {
            while (rs.next()) {
                JsonNode payload = JSON.readTree(rs.getString(4));
                long job = rs.getLong(2);
                switch (rs.getString(1)) {
                    case "kernel.pass" -> {
                        t = payload.get("t").asLong();
                        for (JsonNode in : payload.get("in")) {
                            if (in.get(0).asText().equals("submit")) {
                                submits.add(new Submit(in.get(1).asLong(), t, in.get(2).asText(), in.get(3).asInt(),
                                        in.get(4).asInt(), in.get(5).asBoolean(), in.get(6).asLong(), in.get(7).asLong()));
                                origin = origin < 0 ? t : origin;
                            }
                        }
                    }
                    case "run.started" -> lines.add(line(t - origin, "start", job, placement(placements.get(rs.getLong(3)))));
                    case "run.ended" -> preemptedRuns += payload.get("state").asText().equals("preempted") ? 1 : 0;
                    default -> {
                        String to = payload.get("to").asText();
                        if (payload.has("byJob")) {
                            lines.add(line(t - origin, "preempt", job, "by " + payload.get("byJob").asLong()));
                        } else if (to.equals("succeeded")) {
                            lines.add(line(t - origin, "finish", job, ""));
                        } else if (to.equals("failed") || to.equals("lost") || to.equals("cancelled")) {
                            lines.add(line(t - origin, to, job, payload.path("reason").asText()));
                        }
                    }
                }
            }
        }
        assertThat(lines.stream().filter(l -> l.contains(" preempt ")).count())
                .as("every preempted run has its preemption in the log").isEqualTo(preemptedRuns);
        return lines;
    }

    /** Each run's placement JSON by site. */
    private Map<Long, Map<String, String>> placements() throws SQLException {
        Map<Long, Map<String, String>> byRun = new HashMap<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT run, site, placement::text FROM shards")) {
            while (rs.next()) {
                byRun.computeIfAbsent(rs.getLong(1), r -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
            }
        }
        return byRun;
    }

    /** {@code east[0x8 1x8] west[4x8]}: each site's domains with their GPUs, from the shards' placement JSON. */
    private static String placement(Map<String, String> bySite) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> site : bySite.entrySet()) {
            List<String> domains = new ArrayList<>();
            for (JsonNode d : JSON.readTree(site.getValue()).get("domains")) {
                domains.add(d.get(0).asInt() + "x" + d.get(1).asInt());
            }
            out.append(out.length() > 0 ? " " : "").append(site.getKey()).append(domains.toString().replace(",", ""));
        }
        return out.toString();
    }

    private static String line(long t, String what, long job, String detail) {
        return "+" + t + " " + what + " " + job + (detail.isEmpty() ? "" : " " + detail);
    }

    // ---- the same jobs through the twin ----

    /**
     * The twin on the same fleet, tenants and policy, replaying the submits as a native trace
     * (times relative to the first submit, true run times, declared run times), with a watcher
     * that writes its decisions as {@link #liveDecisions} does, naming jobs by their live ids.
     */
    private List<String> twinDecisions(List<Submit> submits) throws IOException {
        Path trace = dir.resolve("replay.csv");
        long origin = submits.get(0).t();
        List<String> rows = new ArrayList<>(List.of("id,tenant,submit_seconds,gpus,scale_up_group,span_sites,"
                + "duration_seconds,expected_seconds"));
        for (Submit s : submits) {
            rows.add(s.job() + "," + s.tenant() + "," + (s.t() - origin) + "," + s.gpus() + "," + s.group() + ","
                    + s.spanSites() + "," + s.durationSeconds() + "," + s.expectedSeconds());
        }
        Files.write(trace, rows);
        long lastSubmit = submits.get(submits.size() - 1).t() - origin;
        Scenario twin = PRIORITIES.withReliability(sameExecutorAsTheAgent())
                .withHorizonSeconds(lastSubmit + 30 * 86_400L)
                .withTrace(TraceSource.parse("native:" + trace));
        long[] liveIds = submits.stream().mapToLong(Submit::job).toArray();
        List<String> lines = new ArrayList<>();
        SimulationResult result = new Simulation(twin).checkInvariants(true)
                .watch(new DecisionLines(twin.fleet(), liveIds, lines)).run();
        for (int j = 0; j < liveIds.length; j++) {
            assertThat(result.jobs().name(j)).as("the twin's job %d", j).isEqualTo(Long.toString(liveIds[j]));
        }
        return lines;
    }

    /**
     * Reliability off, as the brief asks, and an executor like {@link ClockDrivenAgent}: with
     * reliability off the twin writes no checkpoint, so a preempted job redoes all its work, as
     * the agent does; but the twin also charges every restart its init time and a checkpoint load
     * (at least 30 s) that the agent does not model. Zero init, zero load floor and a 1-byte
     * checkpoint at 1 TB/s make that overhead 1e-12 s, which rounds away (run ends are whole
     * seconds), so a restarted job takes its true run time in both.
     */
    private static ReliabilitySpec sameExecutorAsTheAgent() {
        ReliabilitySpec off = ReliabilitySpec.off();
        CheckpointPolicy c = off.checkpoint();
        return new ReliabilitySpec(false, off.gpusPerHost(), List.of(), List.of(), new RestartCosts(0, 0, 0),
                new CheckpointPolicy(c.youngDaly(), c.fixedIntervalSeconds(), false, c.asyncOverhead(), 1, 1e12, 1e12),
                0, false);
    }

    /** The twin kernel's decisions as lines, jobs named by their live ids. */
    private static final class DecisionLines implements SchedulerListener {
        private final Fleet fleet;
        private final long[] liveIds;
        private final List<String> lines;

        DecisionLines(Fleet fleet, long[] liveIds, List<String> lines) {
            this.fleet = fleet;
            this.liveIds = liveIds;
            this.lines = lines;
        }

        @Override
        public boolean wantsDeferrals() {
            return false;
        }

        @Override
        public void started(long job, Allocation allocation, long now) {
            lines.add(line(now, "start", liveIds[(int) job], placement(allocation)));
        }

        @Override
        public void preempted(long job, Allocation allocation, long byJob, long now) {
            lines.add(line(now, "preempt", liveIds[(int) job], "by " + liveIds[(int) byJob]));
        }

        @Override
        public void finished(long job, Allocation allocation, long now) {
            lines.add(line(now, "finish", liveIds[(int) job], ""));
        }

        @Override
        public void rejected(long job, PendingReason reason, long now) {
            lines.add(line(now, "failed", liveIds[(int) job], reason.name()));
        }

        @Override
        public void interrupted(long job, Allocation allocation, Interruption why, boolean wasStalled, long now) {
            lines.add(line(now, "lost", liveIds[(int) job], why.name()));
        }

        @Override
        public void cancelled(long job, Allocation released, long now) {
            lines.add(line(now, "cancelled", liveIds[(int) job], ""));
        }

        private String placement(Allocation a) {
            Map<String, List<String>> bySite = new TreeMap<>();
            for (int i = 0; i < a.domainCount(); i++) {
                int d = a.domain(i);
                bySite.computeIfAbsent(fleet.site(fleet.domainSite(d)).name(), s -> new ArrayList<>())
                        .add(d + "x" + a.gpusInDomain(i));
            }
            StringBuilder out = new StringBuilder();
            bySite.forEach((site, domains) -> out.append(out.length() > 0 ? " " : "").append(site)
                    .append(domains.toString().replace(",", "")));
            return out.toString();
        }
    }
}
