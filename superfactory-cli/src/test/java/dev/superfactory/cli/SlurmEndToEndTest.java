package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.agent.NodeMap;
import dev.superfactory.agent.slurm.SlurmClusters;
import dev.superfactory.input.YamlDocuments;
import dev.superfactory.scenario.Scenario;
import dev.superfactory.scenario.ScenarioReader;
import dev.superfactory.server.ControlPlane;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 end to end: two real Slurm 22.05 clusters (wisconsin, atlanta: 4 nodes of 8 fake GPUs each,
 * started by {@code scripts/slurm.sh} through the agent module's {@link SlurmClusters}), a control plane
 * ({@link LiveServer} over the embedded PostgreSQL, no simulated agents) on
 * {@code docs/examples/slurm-two-sites.yaml}, and two {@code superfactory agent --backend slurm} commands
 * in threads with the node maps {@code docs/examples/slurm-*-nodes.yaml}. What Slurm does is read with
 * {@code scontrol} as root through each site's SLURM_CONF, never through the agent.
 */
class SlurmEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LiveHarness LIVE = new LiveHarness(() -> SlurmEndToEndTest.server);
    private static final List<String> SITES = List.of("wisconsin", "atlanta");
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Duration NOTICE_GRACE = Duration.ofSeconds(2);
    private static final int GPUS_PER_NODE = 8;

    @TempDir static Path data;
    private static SlurmClusters clusters;
    private static LiveServer server;
    private static String operator;
    private static String alpha;
    private static final Map<String, NodeMap> MAPS = new LinkedHashMap<>();
    private static final Map<String, Thread> AGENTS = new ConcurrentHashMap<>();
    private static final Map<String, CliRun> ENDED = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        clusters = SlurmClusters.up(4, GPUS_PER_NODE, SITES.toArray(String[]::new));
        System.out.printf("slurm.sh install %d ms, up (2 sites) %d ms%n", clusters.installMillis, clusters.upMillis);
        long started = System.nanoTime();
        StoreOptions store = new StoreOptions();
        store.data = data;
        server = LiveServer.start(scenario(), store, new ControlPlane.Settings(0, 1, false, Duration.ofMillis(20),
                Duration.ofMillis(50), Duration.ofSeconds(5)), Clock.systemUTC());
        operator = token("--operator");
        alpha = token("--tenant", "alpha");
        for (String site : SITES) {
            MAPS.put(site, NodeMap.read(nodeMap(site)));
            Files.writeString(data.resolve(site + ".jwt"), clusters.site(site).jwt() + "\n");
        }
        System.out.printf("control plane up %d ms%n", (System.nanoTime() - started) / 1_000_000);
        started = System.nanoTime();
        SITES.forEach(SlurmEndToEndTest::startAgent);
        awaitAgentsUp();
        System.out.printf("agents up %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void stop() throws Exception {
        long started = System.nanoTime();
        for (String site : SITES) {
            stopAgent(site);
        }
        if (server != null) {
            server.close();
        }
        System.out.printf("agents and control plane stopped %d ms%n", (System.nanoTime() - started) / 1_000_000);
        started = System.nanoTime();
        if (clusters != null) {
            clusters.down();
        }
        System.out.printf("slurm.sh down %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    /** Cancels what a test left running, then waits until neither cluster runs a job (the next test finds all free). */
    @AfterEach
    void cancelWhatIsLeft() throws Exception {
        for (long job : LIVE.numbers("SELECT id FROM jobs WHERE state NOT IN ('succeeded', 'failed', 'cancelled')")) {
            LIVE.call("POST", "/v1/jobs/" + job + "/cancel", operator, null, true);
        }
        await("every shard ended", () -> LIVE.number("SELECT count(*) FROM shards WHERE state IN "
                + "('assigned', 'ready', 'running', 'stopping')") == 0);
        for (String site : SITES) {
            await(site + " runs no job", () -> slurmJobs(site).stream().allMatch(j -> ended(j.get("JobState"))));
        }
    }

    @Test
    void aJobSubmittedThroughTheApiRunsInSlurmOnExactlyTheNodesOfItsPlacement() throws Exception {
        long job = submit(16, 16, 3600, false);
        Shard shard = awaitOneShardRunning(job);
        Map<String, String> slurm = awaitSlurmJob(shard, "RUNNING");

        assertThat(slurm.get("JobName")).isEqualTo("sf-" + shard.run + "-" + shard.site);
        assertThat(shard.placement.get("domains").get(0).has(2)).as("GPU ranges in %s", shard.placement).isTrue();
        assertNodesOfPlacement(shard, slurm);
        assertThat(hostnames(shard.site, slurm.get("NodeList"))).hasSize(2);
        assertThat(slurmJobsNamed(shard.site, slurm.get("JobName"))).as("Slurm jobs of the shard").hasSize(1);
        assertThat(job(job).get("state").asText()).isEqualTo("running");
    }

    @Test
    void aDrainedNodeIsReportedOutAndTheJobRestartsInSlurmOnAnotherNodeAndTheResumedNodeComesBack() throws Exception {
        long job = submit(8, 8, 3600, false);
        Shard first = awaitOneShardRunning(job);
        Map<String, String> before = awaitSlurmJob(first, "RUNNING");
        List<String> nodes = hostnames(first.site, before.get("NodeList"));
        assertThat(nodes).hasSize(1);
        String node = nodes.get(0);

        clusters.scontrol(first.site, "update", "NodeName=" + node, "State=DRAIN", "Reason=e2e: gpu3 ecc errors");
        try {
            await("node.down of " + node, () -> events("node.down", node) == 1);
            await("a second run", () -> LIVE.number("SELECT count(*) FROM runs WHERE job = " + job) == 2);
            Shard second = awaitOneShardRunning(job);
            assertThat(second.run).isGreaterThan(first.run);
            Map<String, String> after = awaitSlurmJob(second, "RUNNING");
            assertThat(hostnames(second.site, after.get("NodeList"))).doesNotContain(node);
            assertNodesOfPlacement(second, after);
            await("the first Slurm job ended", () -> ended(slurmJob(first.site, before.get("JobId")).get("JobState")));
            assertThat(LIVE.text("SELECT state FROM runs WHERE id = " + first.run)).isNotIn("running", "assigned");
        } finally {
            clusters.scontrol(first.site, "update", "NodeName=" + node, "State=RESUME");
        }
        await("node.up of " + node, () -> events("node.up", node) == 1);
    }

    @Test
    void aJobCancelledThroughTheApiGetsTheNoticeInSlurmAndEndsCancelledWithinTheGrace() throws Exception {
        long job = submit(8, 8, 3600, false);
        Shard shard = awaitOneShardRunning(job);
        Map<String, String> running = awaitSlurmJob(shard, "RUNNING");

        LIVE.call("POST", "/v1/jobs/" + job + "/cancel", alpha, null);
        Map<String, String> ended = awaitSlurmJob(shard, "CANCELLED");

        Map<String, Long> log = scriptLog(shard.site, running.get("JobName"), running.get("JobId"));
        assertThat(log).containsKeys("start", "work", "notice", "term").doesNotContainKey("done");
        assertThat(log.get("term") - log.get("notice")).as("notice to kill, µs")
                .isBetween(NOTICE_GRACE.toNanos() / 1000 - 500_000, NOTICE_GRACE.toNanos() / 1000 + 3_000_000);
        assertThat(ended.get("JobState")).isEqualTo("CANCELLED");
        awaitJob(job, "cancelled");
    }

    @Test
    void aGangAcrossBothClustersRunsOneSlurmJobPerSiteStartedTogetherByTheGoAndBothComplete() throws Exception {
        double runSeconds = 3;
        long job = submit(48, 16, (long) runSeconds, true); // a site has 32 GPUs: the gang must span both
        awaitJob(job, "running");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        List<Shard> shards = new ArrayList<>();
        for (String site : SITES) {
            shards.add(shard(run, site));
        }
        await("both Slurm jobs RUNNING at once", () -> shards.stream().allMatch(s -> {
            List<Map<String, String>> of = slurmJobsNamed(s.site, "sf-" + s.run + "-" + s.site);
            return of.size() == 1 && of.get(0).get("JobState").equals("RUNNING");
        }));
        for (Shard s : shards) {
            assertNodesOfPlacement(s, slurmJobsNamed(s.site, "sf-" + s.run + "-" + s.site).get(0));
        }
        int gpus = 0;
        for (Shard s : shards) {
            gpus += hostnames(s.site, slurmJobsNamed(s.site, "sf-" + s.run + "-" + s.site).get(0).get("NodeList")).size()
                    * GPUS_PER_NODE;
        }
        assertThat(gpus).isEqualTo(48);

        awaitJob(job, "succeeded");
        long[] goMicros = new long[shards.size()];
        for (int i = 0; i < shards.size(); i++) {
            Shard s = shards.get(i);
            Map<String, String> slurm = awaitSlurmJob(s, "COMPLETED");
            assertThat(slurm.get("Comment")).isEqualTo("sf:go:0");
            Map<String, Long> log = scriptLog(s.site, slurm.get("JobName"), slurm.get("JobId"));
            assertThat(log.keySet()).containsExactly("start", "ready", "go", "work", "done");
            assertThat(log.get("done") - log.get("work")).isGreaterThanOrEqualTo((long) (runSeconds * 1_000_000));
            goMicros[i] = log.get("go");
        }
        assertThat(Math.abs(goMicros[0] - goMicros[1])).as("between the two sites' go, µs").isLessThan(2_000_000);
        assertThat(LIVE.number("SELECT count(*) FROM event_log WHERE type = 'run.go' AND run = " + run)).isEqualTo(1);
        assertThat(LIVE.number("SELECT count(*) FROM runs WHERE job = " + job)).isEqualTo(1);
    }

    @Test
    void anAgentRestartedWhileItsShardRunsFindsItInSlurmAndStartsNothingTwice() throws Exception {
        long job = submit(8, 8, 6, false);
        Shard shard = awaitOneShardRunning(job);
        Map<String, String> running = awaitSlurmJob(shard, "RUNNING");

        stopAgent(shard.site);
        assertThat(ENDED.get(shard.site).status()).as(ENDED.get(shard.site).err()).isZero();
        startAgent(shard.site);
        awaitJob(job, "succeeded");

        List<Map<String, String>> slurm = slurmJobsNamed(shard.site, running.get("JobName"));
        assertThat(slurm).as("Slurm jobs of the shard").hasSize(1);
        assertThat(slurm.get(0)).containsEntry("JobId", running.get("JobId")).containsEntry("JobState", "COMPLETED");
        assertThat(slurmJobsNamed(other(shard.site), "sf-" + shard.run + "-" + other(shard.site))).isEmpty();
        assertThat(LIVE.number("SELECT count(*) FROM runs WHERE job = " + job)).isEqualTo(1);
        assertThat(LIVE.states(job, operator)).containsExactly("queued", "admitted", "running", "succeeded");
    }

    // ---- the control plane's side ----

    /** A run's shard on a site, with the placement the control plane gave it. */
    private record Shard(long run, String site, JsonNode placement) {
    }

    private static Shard awaitOneShardRunning(long job) throws Exception {
        awaitJob(job, "running");
        long run = LIVE.number("SELECT max(id) FROM runs WHERE job = " + job);
        List<String> sites = LIVE.texts("SELECT site FROM shards WHERE run = " + run);
        assertThat(sites).as("shards of run %d", run).hasSize(1);
        return shard(run, sites.get(0));
    }

    private static Shard shard(long run, String site) throws Exception {
        return new Shard(run, site, JSON.readTree(LIVE.text("SELECT placement::text FROM shards WHERE run = " + run
                + " AND site = '" + site + "'")));
    }

    /**
     * The Slurm job's nodes are the ones the site's node map gives for the placement: with GPU ranges
     * ({@code [domain, gpus, [[offset, count], …]]}) exactly the nodes covering them; without, as many nodes
     * as the placement has GPUs, all of its domains.
     */
    private static void assertNodesOfPlacement(Shard shard, Map<String, String> slurm) throws Exception {
        NodeMap map = MAPS.get(shard.site);
        TreeSet<String> expected = new TreeSet<>();
        TreeSet<String> ofDomains = new TreeSet<>();
        int gpus = 0;
        boolean ranged = false;
        for (JsonNode domain : shard.placement.get("domains")) {
            gpus += domain.get(1).asInt();
            for (NodeMap.Node node : map.nodes()) {
                if (node.domain() != domain.get(0).asInt()) {
                    continue;
                }
                ofDomains.add(node.name());
                for (JsonNode range : domain.path(2)) {
                    ranged = true;
                    int offset = map.offsetOf(node);
                    if (offset < range.get(0).asInt() + range.get(1).asInt() && range.get(0).asInt() < offset + node.gpus()) {
                        expected.add(node.name());
                    }
                }
            }
        }
        List<String> actual = hostnames(shard.site, slurm.get("NodeList"));
        if (ranged) {
            assertThat(new TreeSet<>(actual)).as("NodeList of %s for %s", slurm.get("JobName"), shard.placement)
                    .isEqualTo(expected);
        } else {
            assertThat(ofDomains).as("NodeList of %s for %s", slurm.get("JobName"), shard.placement).containsAll(actual);
            assertThat(actual).hasSize(gpus / GPUS_PER_NODE);
        }
    }

    private static long events(String type, String node) {
        return LIVE.number("SELECT count(*) FROM event_log WHERE type = '" + type + "' AND payload->>'node' = '" + node + "'");
    }

    // ---- Slurm's side (scontrol as root through the site's SLURM_CONF) ----

    /** Every job the site's slurmctld keeps (MinJobAge: an hour), one map of {@code scontrol -o} fields each. */
    private static List<Map<String, String>> slurmJobs(String site) {
        String out = scontrol(site, "-o", "show", "job");
        List<Map<String, String>> jobs = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("JobId=")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String field : line.split(" ")) {
                    int eq = field.indexOf('=');
                    if (eq > 0) {
                        fields.putIfAbsent(field.substring(0, eq), field.substring(eq + 1));
                    }
                }
                jobs.add(fields);
            }
        }
        return jobs;
    }

    private static List<Map<String, String>> slurmJobsNamed(String site, String name) {
        return slurmJobs(site).stream().filter(j -> name.equals(j.get("JobName"))).toList();
    }

    private static Map<String, String> slurmJob(String site, String id) {
        return slurmJobs(site).stream().filter(j -> id.equals(j.get("JobId"))).findFirst().orElseThrow();
    }

    /** Waits until the shard's one Slurm job is in {@code state}; its fields then. */
    private static Map<String, String> awaitSlurmJob(Shard shard, String state) {
        String name = "sf-" + shard.run + "-" + shard.site;
        await("Slurm job " + name + " " + state, () -> {
            List<Map<String, String>> of = slurmJobsNamed(shard.site, name);
            return of.size() == 1 && of.get(0).get("JobState").equals(state);
        });
        return slurmJobsNamed(shard.site, name).get(0);
    }

    private static boolean ended(String slurmState) {
        return !List.of("PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED").contains(slurmState);
    }

    private static List<String> hostnames(String site, String hostlist) {
        return Arrays.asList(scontrol(site, "show", "hostnames", hostlist).strip().split("\n"));
    }

    /** The shard script's log in the site's working directory: event → epoch µs (the first of each). */
    private static Map<String, Long> scriptLog(String site, String name, String id) throws Exception {
        Map<String, Long> log = new LinkedHashMap<>();
        for (String line : Files.readAllLines(clusters.site(site).workDir().resolve(name + "." + id + ".events"))) {
            String[] parts = line.split(" ");
            log.putIfAbsent(parts[0], Long.parseLong(parts[1]));
        }
        return log;
    }

    private static String scontrol(String site, String... args) {
        try {
            return clusters.scontrol(site, args);
        } catch (Exception e) {
            throw new IllegalStateException("scontrol " + String.join(" ", args) + " on " + site, e);
        }
    }

    private static String other(String site) {
        return site.equals("wisconsin") ? "atlanta" : "wisconsin";
    }

    // ---- the agents: `superfactory agent --backend slurm` in threads ----

    private static void startAgent(String site) {
        SlurmClusters.Site s = clusters.site(site);
        String[] args = {"agent", "--site", site, "--control-plane", server.url(), "--token", operator,
            "--nodes", nodeMap(site).toString(), "--backend", "slurm", "--slurm-rest", s.restUrl().toString(),
            "--slurm-user", s.user(), "--slurm-token-file", data.resolve(site + ".jwt").toString(),
            "--checkpoint-root", s.workDir().toString(), "--poll-interval", "200ms",
            "--notice-grace", NOTICE_GRACE.toMillis() + "ms"};
        ENDED.remove(site);
        Thread t = new Thread(() -> ENDED.put(site, CliRun.of(args)), "cli-agent-" + site);
        t.start();
        AGENTS.put(site, t);
    }

    private static void stopAgent(String site) throws InterruptedException {
        Thread t = AGENTS.remove(site);
        if (t != null) {
            t.interrupt();
            t.join(20_000);
            assertThat(t.isAlive()).as("agent of %s still runs", site).isFalse();
        }
    }

    private static void awaitAgentsUp() {
        await("both agents lease", () -> LIVE.number("SELECT count(*) FROM agents WHERE "
                + "last_heartbeat > now() - interval '500 milliseconds'") == SITES.size());
        LiveHarness.sleep(600); // a few polls: each has reconciled with its cluster
    }

    private static Path nodeMap(String site) {
        return repoRoot().resolve("docs/examples/slurm-" + site + "-nodes.yaml");
    }

    private static Scenario scenario() throws Exception {
        Path file = repoRoot().resolve("docs/examples/slurm-two-sites.yaml");
        return ScenarioReader.read(YamlDocuments.parse(Files.readString(file), file.toString()), file.toString());
    }

    private static Path repoRoot() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/examples/slurm-two-sites.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("docs/examples/slurm-two-sites.yaml not found above " + Paths.get("").toAbsolutePath());
    }

    // ---- the API and the store ----

    private static long submit(int gpus, int scaleUpGroup, long seconds, boolean spanSites) throws Exception {
        return LIVE.call("POST", "/v1/jobs", alpha, "{\"gpus\":" + gpus + ",\"scaleUpGroup\":" + scaleUpGroup
                + ",\"spanSites\":" + spanSites + ",\"durationSeconds\":" + seconds + "}").get("id").asLong();
    }

    private static JsonNode job(long job) throws Exception {
        return LIVE.call("GET", "/v1/jobs/" + job, alpha, null);
    }

    private static void awaitJob(long job, String state) {
        await("job " + job + " " + state, () -> {
            try {
                return job(job).get("state").asText().equals(state);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void await(String what, BooleanSupplier done) {
        LiveHarness.await(what, WAIT, 100, done);
    }

    private static String token(String... who) {
        return LiveHarness.token(data, who);
    }
}
