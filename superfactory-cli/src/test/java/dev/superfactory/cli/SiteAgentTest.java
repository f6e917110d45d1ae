package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.agent.AgentRunner;
import dev.superfactory.agent.ControlPlaneClient;
import dev.superfactory.agent.NodeMap;
import dev.superfactory.agent.ShardLaunch;
import dev.superfactory.agent.ShardStatus;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.server.ControlPlane;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 items 1 and 5: site agents as their own "processes" ({@link AgentRunner}, over HTTP)
 * against a real control plane ({@link LiveServer} over the embedded PostgreSQL, no simulated
 * agents, a 1 s lease), each driving an {@link InMemoryCluster} (a mock cluster manager: no Slurm
 * runs in this module's tests). Two sites, east and west, each 4 domains of 8 GPUs; each site's
 * node map puts two 4-GPU nodes in each domain. Jobs run a second or two.
 */
class SiteAgentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LiveHarness LIVE = new LiveHarness(() -> SiteAgentTest.server);
    private static final Duration LEASE = Duration.ofSeconds(1);

    @TempDir static Path data;
    private static LiveServer server;
    private static int port;
    private static String operator;
    private static String alpha;

    private final Map<String, InMemoryCluster> clusters = new LinkedHashMap<>();
    private final Map<String, AgentRunner> agents = new LinkedHashMap<>();

    @BeforeAll
    static void startControlPlane() {
        server = startServer(0);
        port = URI.create(server.url()).getPort();
        operator = token("--operator");
        alpha = token("--tenant", "alpha");
    }

    @AfterAll
    static void stopControlPlane() {
        if (server != null) {
            server.close();
        }
    }

    /** Cancels what a test left running (so the next one finds the fleet free), then stops the agents. */
    @AfterEach
    void stopAgents() throws Exception {
        for (long job : LIVE.numbers("SELECT id FROM jobs WHERE state NOT IN ('succeeded', 'failed', 'cancelled')")) {
            LIVE.call("POST", "/v1/jobs/" + job + "/cancel", operator, null, true);
        }
        await("every shard ended", () -> LIVE.number("SELECT count(*) FROM shards WHERE state IN "
                + "('assigned', 'ready', 'running', 'stopping')") == 0);
        agents.values().forEach(AgentRunner::close);
    }

    private static LiveServer startServer(int onPort) {
        StoreOptions store = new StoreOptions();
        store.data = data;
        return LiveServer.start(scenario(), store, new ControlPlane.Settings(onPort, 1, false, Duration.ofMillis(5),
                Duration.ofMillis(20), LEASE), Clock.systemUTC());
    }

    /** The control plane is killed and started again on the same port and data: term + 1, passes replayed. */
    private static void restartControlPlane(Duration down) {
        server.close();
        server = null;
        LiveHarness.sleep(down.toMillis());
        server = startServer(port);
    }

    @Test
    void aJobSubmittedThroughTheApiRunsOnTheNodesTheMapGivesForItsPlacementAndSucceeds() throws Exception {
        startAgents(Duration.ofMillis(200));
        long job = submit(8, 1, false);
        awaitJob(job, "succeeded");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        String site = LIVE.text("SELECT site FROM shards WHERE run = " + run);
        JsonNode placement = JSON.readTree(LIVE.text("SELECT placement::text FROM shards WHERE run = " + run));
        int domain = placement.get("domains").get(0).get(0).asInt();
        ShardLaunch launch = only(clusters.get(site).launches(), run);
        int first = 2 * (domain - (site.equals("east") ? 0 : 4)) + 1; // two nodes a domain, in order
        assertThat(launch.nodes()).containsExactly(new ShardLaunch.NodeGpus(site + "-n" + first, 4),
                new ShardLaunch.NodeGpus(site + "-n" + (first + 1), 4));
        assertThat(launch.name()).isEqualTo("sf-" + run + "-" + site);
        assertThat(launch.waitForGo()).isFalse();
        assertThat(launch.runSeconds()).isEqualTo(1.0);
        assertThat(launch.environment()).containsEntry("SF_WORLD_SIZE", "8").containsEntry("SF_RANK_BASE", "0")
                .containsEntry("SF_NODES", site + "-n" + first + "," + site + "-n" + (first + 1))
                .containsEntry("SF_GPUS_PER_NODE", "4,4").containsEntry("SF_JOB", Long.toString(job))
                .containsEntry("SF_RENDEZVOUS_HOST", site + "-n" + first);
        assertThat(LIVE.states(job, operator)).containsExactly("queued", "admitted", "running", "succeeded");
    }

    @Test
    void aGangAcrossBothSitesIsPreparedOnBothGoesTogetherWithOneRankLayoutAndSucceeds() throws Exception {
        startAgents(Duration.ofMillis(300));
        long job = submit(40, 1, true);
        awaitJob(job, "succeeded");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        ShardLaunch east = only(clusters.get("east").launches(), run);
        ShardLaunch west = only(clusters.get("west").launches(), run);
        assertThat(east.waitForGo() && west.waitForGo()).isTrue();
        int eastGpus = Integer.parseInt(east.environment().get("SF_SITE_GPUS"));
        int westGpus = Integer.parseInt(west.environment().get("SF_SITE_GPUS"));
        assertThat(eastGpus + westGpus).isEqualTo(40);
        assertThat(east.environment()).containsEntry("SF_WORLD_SIZE", "40").containsEntry("SF_RANK_BASE", "0");
        assertThat(west.environment()).containsEntry("SF_WORLD_SIZE", "40")
                .containsEntry("SF_RANK_BASE", Integer.toString(eastGpus))
                .containsEntry("SF_RENDEZVOUS_SHARD", "sf-" + run + "-east").doesNotContainKey("SF_RENDEZVOUS_HOST");
        assertThat(LIVE.number("SELECT count(*) FROM event_log WHERE type = 'run.go' AND run = " + run)).isEqualTo(1);
    }

    @Test
    void anAgentDownBetweenReadyAndGoStartsItsPreparedShardOnReturnBecauseTheGoWasWritten() throws Exception {
        startAgents(Duration.ofMillis(100));
        agents.remove("west").close(); // west never reads the prepare: east gets ready alone
        long job = submit(40, 1, true);
        awaitJob(job, "admitted");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        await("east is ready", () -> LIVE.text("SELECT state FROM shards WHERE run = " + run + " AND site = 'east'").equals("ready"));
        agents.remove("east").close(); // down before the go exists
        assertThat(clusters.get("east").stateOf("sf-" + run + "-east")).isEqualTo(ShardStatus.State.READY);
        ControlPlaneClient west = new ControlPlaneClient(URI.create(server.url()), "west", operator, Duration.ofSeconds(5));
        west.report(List.of(new ControlPlaneClient.Report(run, 1, "ready", 0))); // west, by hand: ready
        await("the go is written", () -> LIVE.number("SELECT count(*) FROM agent_commands WHERE kind = 'go' AND run = " + run) == 2);
        agents.put("east", agent("east", clusters.get("east"))); // reconciles: ready, and its go written
        await("east runs and says so", () -> List.of("running", "finished").contains(
                LIVE.text("SELECT state FROM shards WHERE run = " + run + " AND site = 'east'")));
        assertThat(clusters.get("east").launchesOf(run)).isEqualTo(1);
        agents.put("west", agent("west", clusters.get("west"))); // reports its shard lost: the run ends, as it must
        awaitConnected();
    }

    @Test
    void anAgentRestartedMidStartFindsItsShardOnTheClusterAndNothingRunsTwice() throws Exception {
        startAgents(Duration.ofMillis(1500));
        long job = submit(8, 1, false);
        awaitJob(job, "admitted");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        String site = LIVE.text("SELECT site FROM shards WHERE run = " + run);
        await("the shard is submitted to the cluster", () -> clusters.get(site).launchesOf(run) == 1);
        agents.remove(site).close(); // killed while the cluster still gets the shard its nodes
        assertThat(clusters.get(site).stateOf("sf-" + run + "-" + site)).isEqualTo(ShardStatus.State.PENDING);
        agents.put(site, agent(site, clusters.get(site)));
        awaitJob(job, "succeeded");
        assertThat(clusters.get(site).launchesOf(run)).isEqualTo(1);
        assertThat(clusters.get(site).stops()).isEmpty();
        assertThat(LIVE.states(job, operator)).containsExactly("queued", "admitted", "running", "succeeded");
    }

    @Test
    void reportsSentAgainAndOutOfOrderAreStoredOnceAndChangeNothing() throws Exception {
        startAgents(Duration.ofMillis(100));
        long job = submit(8, 1, false);
        awaitJob(job, "succeeded");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        String site = LIVE.text("SELECT site FROM shards WHERE run = " + run);
        List<ControlPlaneClient.Report> sent = new ArrayList<>();
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, state FROM shard_reports WHERE run = " + run + " ORDER BY seq DESC")) {
            while (rs.next()) {
                sent.add(new ControlPlaneClient.Report(run, rs.getInt(1), rs.getString(2), 0));
            }
        }
        assertThat(sent).extracting(ControlPlaneClient.Report::state).containsExactly("finished", "running");
        long events = LIVE.number("SELECT count(*) FROM event_log");
        ControlPlaneClient replay = new ControlPlaneClient(URI.create(server.url()), site, operator, Duration.ofSeconds(5));
        assertThat(replay.report(sent)).as("stored now").isZero(); // newest first: reordered, and all duplicates
        assertThat(replay.report(sent.subList(1, 2))).isZero();
        LiveHarness.sleep(200);
        assertThat(LIVE.number("SELECT count(*) FROM event_log")).isEqualTo(events);
        assertThat(job(job).get("state").asText()).isEqualTo("succeeded");
    }

    @Test
    void anAgentSilentPastItsLeaseLosesItsRunAndOnReturnStopsTheShardTheControlPlaneNoLongerKnows() throws Exception {
        startAgents(Duration.ofMillis(100));
        long job = submit(8, 3600, false);
        awaitJob(job, "running");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        String site = LIVE.text("SELECT site FROM shards WHERE run = " + run);
        agents.remove(site).close(); // silent; its cluster runs on
        await("the run is lost", () -> LIVE.text("SELECT state FROM runs WHERE id = " + run).equals("lost"));
        assertThat(clusters.get(site).stateOf("sf-" + run + "-" + site)).isEqualTo(ShardStatus.State.RUNNING);
        agents.put(site, agent(site, clusters.get(site)));
        await("the lost run's shard is stopped", () -> clusters.get(site).stateOf("sf-" + run + "-" + site)
                == ShardStatus.State.STOPPED);
        awaitJob(job, "running");
        long second = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        assertThat(second).isGreaterThan(run);
        assertThat(clusters.values().stream().mapToLong(c -> c.launchesOf(run)).sum()).isEqualTo(1);
        cancel(job);
    }

    @Test
    void aShardTheClusterDoesNotKnowIsStoppedAndOneTheControlPlaneBelievesLiveButTheClusterLostIsReportedLost()
            throws Exception {
        InMemoryCluster east = cluster("east", Duration.ofMillis(100));
        clusters.put("east", east);
        String unknown = east.startUnknown(new ShardLaunch("sf-999999-east", 999_999, 1, "alpha",
                List.of(new ShardLaunch.NodeGpus("east-n8", 4)), Map.of(), 3600, false));
        clusters.put("west", cluster("west", Duration.ofMillis(100)));
        agents.put("east", agent("east", east));
        agents.put("west", agent("west", clusters.get("west")));
        awaitConnected();
        await("the unknown shard is stopped", () -> east.stateOf("sf-999999-east") == ShardStatus.State.STOPPED);
        assertThat(east.stops()).containsExactly(unknown);
        await("the control plane logs it", () -> LIVE.number("SELECT count(*) FROM event_log WHERE type = "
                + "'agent.orphan_stopped' AND payload->>'shard' = 'sf-999999-east'") == 1);
        assertThat(LIVE.text("SELECT payload->>'site' || ' ' || (payload->>'clusterId') || ' ' || (payload->>'reason') "
                + "FROM event_log WHERE type = 'agent.orphan_stopped'"))
                .isEqualTo("east " + unknown + " the control plane does not believe it live");

        long job = submit(8, 3600, false);
        awaitJob(job, "running");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        String site = LIVE.text("SELECT site FROM shards WHERE run = " + run);
        agents.remove(site).close();
        clusters.get(site).lose("sf-" + run + "-" + site); // gone while its agent was down
        agents.put(site, agent(site, clusters.get(site)));
        await("the run is reported lost", () -> LIVE.text("SELECT state FROM runs WHERE id = " + run).equals("failed")
                || LIVE.text("SELECT state FROM runs WHERE id = " + run).equals("lost"));
        assertThat(LIVE.text("SELECT state FROM shards WHERE run = " + run + " AND site = '" + site + "'")).isEqualTo("failed");
        awaitJob(job, "running");
        assertThat(LIVE.number("SELECT max(id) FROM runs WHERE job = " + job)).isGreaterThan(run);
        cancel(job);
    }

    @Test
    void aShardWhoseNodeGoesDownIsReportedFailedAndNothingStartsOnThatNodeAgainAndOneTheClusterLosesIsReportedLost()
            throws Exception {
        startAgents(Duration.ofMillis(100));
        long job = submit(8, 3600, false);
        awaitJob(job, "running");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        String site = LIVE.text("SELECT site FROM shards WHERE run = " + run);
        String node = only(clusters.get(site).launches(), run).nodes().get(0).node();
        int launched = clusters.get(site).launches().size();
        clusters.get(site).dropNode(node);
        await("the job restarts", () -> LIVE.number("SELECT max(id) FROM runs WHERE job = " + job) > run);
        assertThat(LIVE.text("SELECT state FROM shards WHERE run = " + run)).isEqualTo("failed");
        // the agent tells the control plane the node is out: its GPUs leave service, so the job's next run goes
        // elsewhere and runs (not refused again and again on a domain that lacks the node)
        await("the node is out of service", () -> LIVE.number("SELECT count(*) FROM event_log WHERE type = 'node.down'"
                + " AND payload->>'node' = '" + node + "'") == 1);
        awaitJob(job, "running");
        long runs = LIVE.number("SELECT count(*) FROM runs WHERE job = " + job);
        LiveHarness.sleep(500);
        assertThat(LIVE.number("SELECT count(*) FROM runs WHERE job = " + job)).as("no restart loop").isEqualTo(runs);
        cancel(job);
        assertThat(clusters.get(site).launches().subList(launched, clusters.get(site).launches().size()))
                .allSatisfy(l -> assertThat(l.nodes()).extracting(ShardLaunch.NodeGpus::node).doesNotContain(node));
        clusters.get(site).restoreNode(node);
        await("the node is back in service", () -> LIVE.number("SELECT count(*) FROM event_log WHERE type = 'node.up'"
                + " AND payload->>'node' = '" + node + "'") == 1);

        long other = submit(8, 3600, false);
        awaitJob(other, "running");
        long lost = LIVE.number("SELECT max(id) FROM runs WHERE job = " + other);
        String lostSite = LIVE.text("SELECT site FROM shards WHERE run = " + lost);
        clusters.get(lostSite).lose("sf-" + lost + "-" + lostSite); // while its agent runs
        await("the job restarts", () -> LIVE.number("SELECT max(id) FROM runs WHERE job = " + other) > lost);
        assertThat(LIVE.text("SELECT state FROM shards WHERE run = " + lost)).isEqualTo("failed");
    }

    @Test
    void controlPlaneRestartsWhileJobsStartLoseNothingAndStartNoRunTwiceAndAnOldTermCommandIsIgnored() throws Exception {
        startAgents(Duration.ofMillis(100));
        List<Long> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(submit(8, 2, false));
        }
        LiveHarness.sleep(150); // the first passes commit start commands; the agents may not have read them all
        long termBefore = LIVE.number("SELECT max(term) FROM agent_commands");
        restartControlPlane(Duration.ofMillis(700));
        for (long job : jobs) {
            awaitJob(job, "succeeded");
        }
        for (long run : LIVE.numbers("SELECT id FROM runs WHERE job IN (" + join(jobs) + ")")) {
            assertThat(clusters.values().stream().mapToLong(c -> c.launchesOf(run)).sum()).as("launches of run %d", run)
                    .isLessThanOrEqualTo(1);
        }

        long job = submit(8, 3600, false); // term is now termBefore + 1
        awaitJob(job, "running");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        String site = LIVE.text("SELECT site FROM shards WHERE run = " + run);
        assertThat(LIVE.number("SELECT term FROM agent_commands WHERE run = " + run + " AND kind = 'start'")).isEqualTo(termBefore + 1);
        LIVE.execute("INSERT INTO agent_commands (site, term, run, kind, payload) VALUES ('" + site + "', " + termBefore + ", "
                + run + ", 'stop', '{\"job\": " + job + ", \"reason\": \"a deposed leader\"}')");
        long stale = LIVE.number("SELECT max(id) FROM agent_commands");
        await("the agent has read past the stale stop", () -> LIVE.number("SELECT acked_command FROM agents WHERE site = '"
                + site + "'") >= stale);
        assertThat(clusters.get(site).stateOf("sf-" + run + "-" + site)).isEqualTo(ShardStatus.State.RUNNING);
        cancel(job);
        await("the cancel's stop, of this term, is obeyed", () -> clusters.get(site).stateOf("sf-" + run + "-" + site)
                == ShardStatus.State.STOPPED);
    }

    @Test
    void anAgentWhoseWanProbeOfTheOtherSiteFailsReportsTheLinkCutAndTheGangStallsUntilTheProbesAnswerAgain()
            throws Exception {
        java.net.ServerSocket westEndpoint = listening(0);
        int westPort = westEndpoint.getLocalPort();
        dev.superfactory.agent.WanProbe probe = dev.superfactory.agent.WanProbe.start(
                List.of(dev.superfactory.agent.WanProbe.Target.parse("west=127.0.0.1:" + westPort)), Duration.ofMillis(30),
                Duration.ofMillis(200));
        try {
            clusters.put("east", cluster("east", Duration.ofMillis(100)));
            clusters.put("west", cluster("west", Duration.ofMillis(100)));
            agents.put("east", agent("east", clusters.get("east"), probe::verdict));
            agents.put("west", agent("west", clusters.get("west")));
            awaitConnected();
            long job = submit(40, 3600, true);
            awaitJob(job, "running");
            long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
            assertThat(LIVE.number("SELECT count(*) FROM event_log WHERE type LIKE 'wan.%'")).isZero();

            westEndpoint.close(); // the WAN from east to west is gone
            await("east reports the link cut", () -> LIVE.number("SELECT count(*) FROM event_log WHERE type = 'wan.cut'") == 1);
            assertThat(LIVE.text("SELECT payload->>'reason' FROM event_log WHERE type = 'wan.cut'"))
                    .startsWith("3 probes in a row failed: no TCP connection to 127.0.0.1:" + westPort);
            await("the gang stalls", () -> LIVE.number("SELECT count(*) FROM event_log WHERE type = 'run.stalled' AND run = " + run) == 1);

            westEndpoint = listening(westPort);
            await("the link is restored", () -> LIVE.number("SELECT count(*) FROM event_log WHERE type = 'wan.restored'") == 1);
            await("the gang resumes", () -> LIVE.number("SELECT count(*) FROM event_log WHERE type = 'run.resumed' AND run = " + run) == 1);
            assertThat(LIVE.number("SELECT max(id) FROM runs WHERE job = " + job)).as("the same run goes on").isEqualTo(run);
            cancel(job);
        } finally {
            probe.close();
            westEndpoint.close();
        }
    }

    @Test
    void aJobPlacedOnGpusAShardStillHoldsForItsNoticeGraceWaitsForThemAndStartsOnce() throws Exception {
        for (String site : List.of("east", "west")) {
            clusters.put(site, cluster(site, Duration.ofMillis(50)).keepingNodesForGrace());
            agents.put(site, agent(site, clusters.get(site)));
        }
        awaitConnected();
        List<Long> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // alpha's 64-GPU limit is the whole fleet: every domain busy
            jobs.add(submit(8, 3600, false));
        }
        for (long job : jobs) {
            awaitJob(job, "running");
        }
        long cancelled = jobs.remove(0);
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + cancelled);
        String site = LIVE.text("SELECT site FROM shards WHERE run = " + run);
        cancel(cancelled); // the control plane frees its GPUs now; the cluster after the 5 s notice grace
        long next = submit(8, 3600, false);
        awaitJob(next, "admitted");
        long nextRun = LIVE.number("SELECT max(id) FROM runs WHERE job = " + next);
        assertThat(LIVE.text("SELECT placement::text FROM shards WHERE run = " + nextRun))
                .isEqualTo(LIVE.text("SELECT placement::text FROM shards WHERE run = " + run));
        awaitJob(next, "running"); // after the cancelled shard's 5 s grace
        assertThat(clusters.get(site).stateOf("sf-" + run + "-" + site)).isEqualTo(ShardStatus.State.STOPPED);
        assertThat(LIVE.number("SELECT count(*) FROM runs WHERE job = " + next)).as("one run: no failed start").isEqualTo(1);
        assertThat(clusters.get(site).launchesOf(nextRun)).isEqualTo(1);
        jobs.add(next);
        for (long job : jobs) {
            cancel(job);
        }
    }

    @Test
    void theGpusANodeMapLacksAreReportedOutOfServiceSoNoJobIsPlacedOnThem() throws Exception {
        clusters.put("east", cluster("east", Duration.ofMillis(100)));
        clusters.put("west", cluster("west", Duration.ofMillis(100)));
        // east's map: domains 0-2 whole, domain 3 only half (east-n7); east-n8 is not in the map
        NodeMap partial = NodeMap.parse("site: east\nranges:\n  - {nodes: \"east-n[1-7]\", gpusPerNode: 4, firstDomain: 0,"
                + " gpusPerDomain: 8}\n", "east.yaml");
        assertThat(partial.unmapped(List.<int[]>of(new int[] {0, 4, 8}))).singleElement()
                .satisfies(u -> assertThat(u).containsExactly(3, 4, 4));
        agents.put("east", AgentRunner.start(new ControlPlaneClient(URI.create("http://127.0.0.1:" + port), "east", operator,
                Duration.ofSeconds(2)), clusters.get("east"), partial, new AgentRunner.Settings(1, Duration.ofMillis(20),
                Duration.ofSeconds(5), Duration.ofMillis(200), "/tmp/checkpoints", "USR1")));
        agents.put("west", agent("west", clusters.get("west")));
        awaitConnected();
        await("the unmapped half of domain 3 is out", () -> LIVE.number("SELECT count(*) FROM event_log WHERE type = 'node.down'"
                + " AND payload->>'node' = 'unmapped-3'") == 1);
        assertThat(LIVE.text("SELECT payload::text FROM event_log WHERE type = 'node.down'")).contains("\"gpus\": 4")
                .contains("no node of the agent's node map");
        assertThat(LIVE.call("GET", "/v1/fleet", operator, null).get("down").asInt()).isEqualTo(4);
        List<Long> jobs = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // 4 + 3 whole domains are free: 7 jobs of 8 GPUs fill them
            jobs.add(submit(8, 3600, false));
        }
        for (long job : jobs) {
            awaitJob(job, "running");
        }
        assertThat(clusters.get("east").launches()).allSatisfy(l -> assertThat(l.nodes()).extracting(ShardLaunch.NodeGpus::node)
                .doesNotContain("east-n7", "east-n8"));
        long eighth = submit(8, 3600, false);
        awaitJob(eighth, "queued");
        LiveHarness.sleep(300); // a few passes more
        assertThat(job(eighth).get("state").asText()).as("no whole domain is left").isEqualTo("queued");
        for (long job : jobs) {
            cancel(job);
        }
        cancel(eighth);
    }

    @Test
    void theAgentCommandRunsAJobOnItsBackendAndSaysWhatIsWrongInOneLine(@TempDir Path dir) throws Exception {
        Map<String, InMemoryCluster> built = new java.util.concurrent.ConcurrentHashMap<>();
        AgentBackends.register("in-memory", o -> built.computeIfAbsent(o.slurmUser(), site -> cluster(site, Duration.ofMillis(100))));
        for (String site : List.of("east", "west")) {
            java.nio.file.Files.writeString(dir.resolve(site + ".yaml"), "site: " + site + "\nranges:\n  - {nodes: \"" + site
                    + "-n[1-8]\", gpusPerNode: 4, firstDomain: " + (site.equals("east") ? 0 : 4) + ", gpusPerDomain: 8}\n");
        }
        java.nio.file.Files.writeString(dir.resolve("bad.yaml"), "site: east\nnodes:\n  - {node: a, domain: 0, gpus: -8}\n");
        java.nio.file.Files.writeString(dir.resolve("west-domain.yaml"), "site: east\nnodes:\n  - {node: a, domain: 4, gpus: 8}\n");
        java.nio.file.Files.writeString(dir.resolve("too-many.yaml"), "site: east\nnodes:\n  - {node: a, domain: 1, gpus: 8}\n"
                + "  - {node: b, domain: 1, gpus: 4}\n");
        assertOneLineError(agentArgs("east", dir.resolve("bad.yaml"), operator, "in-memory"),
                dir.resolve("bad.yaml") + ":3: nodes[0].gpus: must be a positive whole number, got -8");
        assertOneLineError(agentArgs("east", dir.resolve("west-domain.yaml"), operator, "in-memory"), dir.resolve("west-domain.yaml")
                + ": node a: domain 4 is not a domain of site east (its domains are 0–3)");
        assertOneLineError(agentArgs("east", dir.resolve("too-many.yaml"), operator, "in-memory"), dir.resolve("too-many.yaml")
                + ": domain 1: the map gives it 12 GPUs, but it has 8");
        assertOneLineError(agentArgs("west", dir.resolve("east.yaml"), operator, "in-memory"),
                dir.resolve("east.yaml") + ": site: the map is of site 'east', not --site west");
        assertOneLineError(agentArgs("east", dir.resolve("east.yaml"), "sf_" + "A".repeat(43), "in-memory"),
                "--token: the control plane refused the agent: GET " + server.url() + "/v1/agents/east/shards: HTTP 401 "
                        + "the token is unknown, expired or revoked");
        assertOneLineError(agentArgs("east", dir.resolve("east.yaml"), operator, "nomad"),
                "--backend: 'nomad' is not built into this jar; the backends are [in-memory, kubernetes, slurm]");
        assertOneLineError(agentArgs("east", dir.resolve("east.yaml"), operator, "slurm"),
                "--backend slurm needs --slurm-rest URL, --slurm-user U and --slurm-token-file F");
        assertOneLineError(agentArgs("east", dir.resolve("east.yaml"), operator, "slurm", "--slurm-rest",
                "http://127.0.0.1:1", "--slurm-user", "u", "--slurm-token-file", dir.resolve("no-such-token").toString()),
                "--slurm-token-file: cannot read " + dir.resolve("no-such-token") + ": " + dir.resolve("no-such-token"));
        assertOneLineError(agentArgs("east", dir.resolve("east.yaml"), operator, "in-memory", "--poll-interval", "often"),
                "--poll-interval: 'often' is not a duration such as 500ms, 2s or 1m");
        assertOneLineError(agentArgs("east", dir.resolve("east.yaml"), operator, "in-memory", "--wan-probe", "west:6820"),
                "--wan-probe: 'west:6820' is not SITE=HOST:PORT");
        assertOneLineError(agentArgs("east", dir.resolve("east.yaml"), operator, "in-memory", "--wan-probe", "east=h:1"),
                "--wan-probe: 'east=h:1': a site does not probe itself");
        assertOneLineError(agentArgs("east", dir.resolve("east.yaml"), operator, "in-memory", "--wan-probe", "mars=h:1"),
                "--wan-probe: site mars has no WAN link to east; its linked sites are [west]");
        assertOneLineError(agentArgs("east", dir.resolve("east.yaml"), operator, "kubernetes", "--tolerate", "bad key!"),
                "--tolerate: 'bad key!' is not a taint key such as nvidia.com/gpu or node.example.com/maintenance");

        List<Thread> processes = new ArrayList<>();
        List<CliRun> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String site : List.of("east", "west")) {
            Thread t = new Thread(() -> runs.add(CliRun.of(agentArgs(site, dir.resolve(site + ".yaml"), operator, "in-memory",
                    "--slurm-user", site, "--poll-interval", "20ms"))), "cli-agent-" + site);
            t.start();
            processes.add(t);
        }
        await("both agents run", () -> built.size() == 2 && LIVE.number("SELECT count(*) FROM agents WHERE "
                + "last_heartbeat > now() - interval '200 milliseconds'") == 2);
        long job = submit(8, 1, false);
        awaitJob(job, "succeeded");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        assertThat(built.values().stream().mapToLong(c -> c.launchesOf(run)).sum()).isEqualTo(1);
        for (Thread t : processes) {
            t.interrupt();
            t.join(10_000);
        }
        assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.status()).as(r.err()).isZero());
        assertThat(runs).anySatisfy(r -> assertThat(r.out()).startsWith("agent of site east: in-memory backend, 8 nodes (32 GPUs) "
                + "in the node map, control plane " + server.url() + "\nrunning until Ctrl-C or SIGTERM"));
    }

    /** A socket on 127.0.0.1 that accepts and closes every connection (a full backlog would time probes out). */
    private static java.net.ServerSocket listening(int port) throws java.io.IOException {
        java.net.ServerSocket socket = new java.net.ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        Thread accept = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    socket.accept().close();
                } catch (java.io.IOException e) {
                    return; // closed
                }
            }
        }, "accept-" + socket.getLocalPort());
        accept.setDaemon(true);
        accept.start();
        return socket;
    }

    private static String[] agentArgs(String site, Path map, String token, String backend, String... more) {
        List<String> args = new ArrayList<>(List.of("agent", "--site", site, "--control-plane", server.url(), "--token", token,
                "--nodes", map.toString(), "--backend", backend));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static void assertOneLineError(String[] args, String message) {
        CliRun r = CliRun.of(args);
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("superfactory: " + message + "\n");
    }

    // ---- helpers ----

    private void startAgents(Duration startDelay) {
        for (String site : List.of("east", "west")) {
            clusters.put(site, cluster(site, startDelay));
            agents.put(site, agent(site, clusters.get(site)));
        }
        awaitConnected();
    }

    /** Until every agent has reconciled: a job submitted before would be reported lost by design. */
    private void awaitConnected() {
        await("the agents have reconciled", () -> agents.values().stream().allMatch(AgentRunner::connected));
    }

    private static InMemoryCluster cluster(String site, Duration startDelay) {
        Map<String, Integer> nodes = new LinkedHashMap<>();
        for (int i = 1; i <= 8; i++) {
            nodes.put(site + "-n" + i, 4);
        }
        return new InMemoryCluster(nodes, startDelay);
    }

    private static AgentRunner agent(String site, InMemoryCluster cluster) {
        return agent(site, cluster, null);
    }

    private static AgentRunner agent(String site, InMemoryCluster cluster,
                                     java.util.function.Supplier<Map<String, String>> wanCuts) {
        NodeMap map = NodeMap.parse("site: " + site + "\nranges:\n  - {nodes: \"" + site + "-n[1-8]\", gpusPerNode: 4, "
                + "firstDomain: " + (site.equals("east") ? 0 : 4) + ", gpusPerDomain: 8}\n", site + ".yaml");
        ControlPlaneClient client = new ControlPlaneClient(URI.create("http://127.0.0.1:" + port), site, operator,
                Duration.ofSeconds(2));
        return AgentRunner.start(client, cluster, map, new AgentRunner.Settings(1, Duration.ofMillis(20),
                Duration.ofSeconds(5), Duration.ofMillis(200), "/tmp/checkpoints", "USR1"), wanCuts);
    }

    private static ShardLaunch only(List<ShardLaunch> launches, long run) {
        List<ShardLaunch> of = launches.stream().filter(l -> l.run() == run).toList();
        assertThat(of).as("launches of run %d", run).hasSize(1);
        return of.get(0);
    }

    private static Scenario scenario() {
        return TwoSmallSites.scenario("agents", "{name: alpha, gpuLimit: 64}");
    }

    private static long submit(int gpus, long seconds, boolean spanSites) throws Exception {
        return LIVE.call("POST", "/v1/jobs", alpha, "{\"gpus\":" + gpus + ",\"scaleUpGroup\":8,\"spanSites\":" + spanSites
                + ",\"durationSeconds\":" + seconds + "}").get("id").asLong();
    }

    private static void cancel(long job) throws Exception {
        LIVE.call("POST", "/v1/jobs/" + job + "/cancel", alpha, null);
    }

    private static JsonNode job(long job) throws Exception {
        return LIVE.call("GET", "/v1/jobs/" + job, alpha, null);
    }

    private static void awaitJob(long job, String state) {
        await("job " + job + " " + state, () -> {
            try {
                return job(job).get("state").asText().equals(state);
            } catch (Exception e) {
                return false; // the control plane is restarting
            }
        });
    }

    private static void await(String what, BooleanSupplier done) {
        LiveHarness.await(what, Duration.ofSeconds(15), 20, done);
    }

    private static String join(List<Long> ids) {
        return String.join(",", ids.stream().map(String::valueOf).toList());
    }

    private static String token(String... who) {
        return LiveHarness.token(data, who);
    }
}
