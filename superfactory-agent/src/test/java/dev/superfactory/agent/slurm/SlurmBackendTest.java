package dev.superfactory.agent.slurm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.superfactory.agent.BackendException;
import dev.superfactory.agent.NodeStatus;
import dev.superfactory.agent.ShardLaunch;
import dev.superfactory.agent.ShardLaunch.NodeGpus;
import dev.superfactory.agent.ShardStatus;
import dev.superfactory.agent.ShardStatus.State;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The Slurm backend against real Slurm 22.05: two clusters (wisconsin, atlanta) of 4 nodes with 8 fake GPUs
 * each, started once for the class by {@code scripts/slurm.sh}. What Slurm says is checked with
 * {@code scontrol} through SLURM_CONF, not only through slurmrestd.
 */
class SlurmBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SlurmClusters clusters;
    private static long run = 100;

    private SlurmBackend wisconsin;
    private SlurmBackend atlanta;
    private long testStartNanos;

    @BeforeAll
    static void startClusters() throws Exception {
        clusters = SlurmClusters.up(4, 8, "wisconsin", "atlanta");
        System.out.printf("slurm.sh install %d ms, up (2 sites) %d ms%n", clusters.installMillis, clusters.upMillis);
    }

    @AfterAll
    static void stopClusters() throws Exception {
        if (clusters != null) {
            clusters.down();
        }
    }

    @BeforeEach
    void backends() {
        wisconsin = backendOf("wisconsin");
        atlanta = backendOf("atlanta");
        testStartNanos = System.nanoTime();
    }

    @AfterEach
    void cancelWhatTheTestStarted(TestInfo test) throws Exception {
        for (SlurmBackend backend : List.of(wisconsin, atlanta)) {
            for (ShardStatus shard : backend.shards()) {
                if (!shard.state().ended()) {
                    backend.stop(shard.id(), Duration.ZERO);
                    await(backend, shard.id(), s -> s.state().ended());
                }
            }
        }
        wisconsin.close();
        atlanta.close();
        System.out.printf("%s: %d ms%n", test.getDisplayName(), (System.nanoTime() - testStartNanos) / 1_000_000);
    }

    private static SlurmBackend backendOf(String site) {
        SlurmClusters.Site s = clusters.site(site);
        return new SlurmBackend(s.rest(), SlurmBackend.Options.defaults(s.workDir()));
    }

    @Test
    void aShardRunsOnExactlyTheChosenNodesWithItsGpusPerNodeAndItsEnvironment() throws Exception {
        ShardLaunch launch = launch("atlanta", List.of(new NodeGpus("atlanta-n2", 3), new NodeGpus("atlanta-n4", 3)),
                Map.of("MASTER_ADDR", "10.1.2.3", "WORLD_SIZE", "6", "SF_RANKS", "atlanta:0-5"), 60, false);

        String id = atlanta.start(launch);
        ShardStatus running = await(atlanta, id, s -> s.state() == State.RUNNING);

        assertThat(running.nodes()).containsExactly("atlanta-n2", "atlanta-n4");
        String shown = clusters.scontrol("atlanta", "-d", "show", "job", id);
        assertThat(shown).contains("JobName=" + launch.name(), "JobState=RUNNING", "   NodeList=atlanta-n[2,4]",
                "Nodes=atlanta-n[2,4] CPU_IDs=0 Mem=0 GRES=gpu:3(IDX:0-2)", "TresPerNode=gres:gpu:3");
        Map<String, String> env = jobEnvironment("atlanta", launch.name(), id);
        assertThat(env).containsEntry("MASTER_ADDR", "10.1.2.3").containsEntry("WORLD_SIZE", "6")
                .containsEntry("SF_RANKS", "atlanta:0-5").containsEntry("SF_NOTICE_SIGNAL", "USR1")
                .containsEntry("CUDA_VISIBLE_DEVICES", "0,1,2").containsEntry("SLURM_JOB_NUM_NODES", "2");
        atlanta.stop(id, Duration.ZERO);
    }

    @Test
    void aTwoPhaseShardIsReadyAndDoesNotWorkUntilGo() throws Exception {
        ShardLaunch launch = launch("wisconsin", List.of(new NodeGpus("wisconsin-n1", 8)), Map.of(), 0.5, true);

        String id = wisconsin.start(launch);
        await(wisconsin, id, s -> s.state() == State.READY);
        Thread.sleep(1_000);

        assertThat(status(wisconsin, id).state()).isEqualTo(State.READY);
        assertThat(events("wisconsin", launch.name(), id).keySet()).containsExactly("start", "ready");
        wisconsin.go(id);
        await(wisconsin, id, s -> s.state() == State.SUCCEEDED);
        assertThat(events("wisconsin", launch.name(), id).keySet())
                .containsExactly("start", "ready", "go", "work", "done");
    }

    @Test
    void aGangAcrossBothClustersIsPreparedOnEachAndStartedTogether() throws Exception {
        long gang = ++run;
        ShardLaunch west = new ShardLaunch(ShardLaunch.nameOf(gang, "wisconsin"), gang, gang + 1000, "acme",
                List.of(new NodeGpus("wisconsin-n3", 8), new NodeGpus("wisconsin-n4", 8)),
                Map.of("SF_SITE_RANK", "0", "WORLD_SIZE", "32"), 0.5, true);
        ShardLaunch east = new ShardLaunch(ShardLaunch.nameOf(gang, "atlanta"), gang, gang + 1000, "acme",
                List.of(new NodeGpus("atlanta-n2", 8), new NodeGpus("atlanta-n3", 8)),
                Map.of("SF_SITE_RANK", "1", "WORLD_SIZE", "32"), 0.5, true);

        String westId = wisconsin.start(west);
        String eastId = atlanta.start(east);
        await(wisconsin, westId, s -> s.state() == State.READY);
        await(atlanta, eastId, s -> s.state() == State.READY);
        wisconsin.go(westId);
        atlanta.go(eastId);

        assertThat(await(wisconsin, westId, s -> s.state().ended()).state()).isEqualTo(State.SUCCEEDED);
        assertThat(await(atlanta, eastId, s -> s.state().ended()).state()).isEqualTo(State.SUCCEEDED);
        assertThat(clusters.scontrol("wisconsin", "show", "job", westId)).contains("NodeList=wisconsin-n[3-4]");
        assertThat(clusters.scontrol("atlanta", "show", "job", eastId)).contains("NodeList=atlanta-n[2-3]");
        assertThat(jobEnvironment("atlanta", east.name(), eastId)).containsEntry("SF_SITE_RANK", "1");
    }

    @Test
    void stopDeliversTheNoticeAndKillsOnlyAfterTheGrace() throws Exception {
        ShardLaunch launch = launch("wisconsin", List.of(new NodeGpus("wisconsin-n2", 2),
                new NodeGpus("wisconsin-n3", 2)), Map.of(), 60, false);
        String id = wisconsin.start(launch);
        await(wisconsin, id, s -> s.state() == State.RUNNING);

        wisconsin.stop(id, Duration.ofSeconds(2));
        ShardStatus stopped = await(wisconsin, id, s -> s.state().ended());

        assertThat(stopped.state()).isEqualTo(State.STOPPED);
        assertThat(stopped.reason()).isEqualTo("CANCELLED");
        Map<String, Long> events = events("wisconsin", launch.name(), id);
        assertThat(events).containsKeys("notice", "term").doesNotContainKey("done");
        // the kill is sent 2 s after the notice was sent; the script logs each when it arrives
        assertThat(events.get("term") - events.get("notice")).isBetween(1_500_000L, 10_000_000L);
    }

    @Test
    void shardsMapsEndedStatesWithTheirReasons() throws Exception {
        String succeeded = wisconsin.start(launch("wisconsin", List.of(new NodeGpus("wisconsin-n4", 1)), Map.of(),
                0.2, false));
        String cancelled = wisconsin.start(launch("wisconsin", List.of(new NodeGpus("wisconsin-n4", 1)), Map.of(),
                60, false));
        String failed = Long.toString(clusters.site("wisconsin").rest().submit("#!/bin/bash\nexit 3\n",
                JSON.createObjectNode()
                        .put("name", "sf-" + (++run) + "-wisconsin").put("no_requeue", true)
                        .put("current_working_directory", clusters.site("wisconsin").workDir().toString())
                        .set("environment", JSON.createObjectNode()
                                .put("PATH", "/usr/bin:/bin"))));
        await(wisconsin, cancelled, s -> s.state() == State.RUNNING);
        wisconsin.stop(cancelled, Duration.ZERO);

        assertThat(await(wisconsin, succeeded, s -> s.state().ended()))
                .extracting(ShardStatus::state, ShardStatus::reason).containsExactly(State.SUCCEEDED, "");
        assertThat(await(wisconsin, cancelled, s -> s.state().ended()))
                .extracting(ShardStatus::state, ShardStatus::reason).containsExactly(State.STOPPED, "CANCELLED");
        assertThat(await(wisconsin, failed, s -> s.state().ended()))
                .extracting(ShardStatus::state, ShardStatus::reason)
                .containsExactly(State.FAILED, "FAILED: NonZeroExitCode, exit code 3");
        assertThatThrownBy(() -> wisconsin.go(succeeded)).isInstanceOf(BackendException.class)
                .hasMessageEndingWith("(Slurm job " + succeeded + "): shard is SUCCEEDED (Slurm COMPLETED, comment '"
                        + "sf:go:0'), not READY");
    }

    @Test
    void aDrainedNodeIsDownWithItsReason() throws Exception {
        clusters.scontrol("atlanta", "update", "nodename=atlanta-n3", "state=drain", "reason=ecc errors on gpu5");
        try {
            List<NodeStatus> nodes = atlanta.nodes();

            assertThat(nodes).extracting(NodeStatus::name)
                    .containsExactly("atlanta-n1", "atlanta-n2", "atlanta-n3", "atlanta-n4");
            assertThat(nodes).filteredOn(NodeStatus::up).extracting(NodeStatus::name, NodeStatus::gpus)
                    .containsExactly(tuple("atlanta-n1", 8),
                            tuple("atlanta-n2", 8),
                            tuple("atlanta-n4", 8));
            assertThat(nodes.get(2)).isEqualTo(new NodeStatus("atlanta-n3", 8, false,
                    "ecc errors on gpu5 (idle+DRAIN)"));
        } finally {
            clusters.scontrol("atlanta", "update", "nodename=atlanta-n3", "state=resume");
        }
    }

    @Test
    void aNodeSetDownFailsTheShardOnItWithTheReason() throws Exception {
        ShardLaunch launch = launch("atlanta", List.of(new NodeGpus("atlanta-n1", 4)), Map.of(), 60, false);
        String id = atlanta.start(launch);
        await(atlanta, id, s -> s.state() == State.RUNNING);

        clusters.scontrol("atlanta", "update", "nodename=atlanta-n1", "state=down", "reason=psu failure");
        ShardStatus failed = await(atlanta, id, s -> s.state().ended());

        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.reason()).startsWith("NODE_FAIL: NodeDown");
        assertThat(clusters.scontrol("atlanta", "show", "job", id)).contains("JobState=NODE_FAIL");
        awaitNodeUp(atlanta, "atlanta-n1");
    }

    @Test
    void startingTheSameNameTwiceStartsOneJob() throws Exception {
        ShardLaunch launch = launch("wisconsin", List.of(new NodeGpus("wisconsin-n1", 1)), Map.of(), 60, true);

        String first = wisconsin.start(launch);
        String second = wisconsin.start(launch);

        assertThat(second).isEqualTo(first);
        assertThat(wisconsin.shards()).filteredOn(s -> s.name().equals(launch.name())).hasSize(1);
        wisconsin.stop(first, Duration.ZERO);
    }

    @Test
    void aBadTokenGivesABackendExceptionNamingTheCall() {
        SlurmClusters.Site site = clusters.site("wisconsin");
        SlurmBackend backend = new SlurmBackend(site.rest("not-a-token"), SlurmBackend.Options.defaults(site.workDir()));

        assertThatThrownBy(backend::nodes).isInstanceOf(BackendException.class)
                .hasMessageStartingWith("slurmrestd GET /slurm/v0.0.38/nodes: HTTP 500: ");
        assertThatThrownBy(backend::shards).isInstanceOf(BackendException.class)
                .hasMessageStartingWith("slurmrestd GET /slurm/v0.0.38/jobs: HTTP 500: ");
    }

    @Test
    void slurmRestListsJobsOnlyWhenSomethingChangedSinceTheTimeAsked() throws Exception {
        SlurmRest rest = clusters.site("atlanta").rest();

        assertThat(rest.jobsChangedSince(0)).isPresent();
        assertThat(rest.jobsChangedSince(System.currentTimeMillis() / 1000 + 3600)).isEmpty();
    }

    @Test
    void aShardWithUnequalGpusPerNodeIsRefusedNamingIt() {
        ShardLaunch launch = launch("wisconsin", List.of(new NodeGpus("wisconsin-n1", 8),
                new NodeGpus("wisconsin-n2", 4)), Map.of(), 60, false);

        assertThatThrownBy(() -> wisconsin.start(launch)).isInstanceOf(BackendException.class)
                .hasMessage("shard " + launch.name() + ": GPUs per node differ ({8=[wisconsin-n1], 4=[wisconsin-n2]}"
                        + " as GPUs=nodes); a Slurm job takes the same gres on every node");
    }

    private ShardLaunch launch(String site, List<NodeGpus> nodes, Map<String, String> env, double runSeconds,
                               boolean waitForGo) {
        long id = ++run;
        return new ShardLaunch(ShardLaunch.nameOf(id, site), id, id + 1000, "acme", nodes, env, runSeconds,
                waitForGo);
    }

    private static ShardStatus status(SlurmBackend backend, String id) throws BackendException {
        return backend.shards().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no shard with Slurm job id " + id));
    }

    private static ShardStatus await(SlurmBackend backend, String id, Predicate<ShardStatus> condition)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ShardStatus last = null;
        while (System.nanoTime() < deadline) {
            last = status(backend, id);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("shard " + id + " did not get there in " + WAIT + "; last seen " + last);
    }

    private static void awaitNodeUp(SlurmBackend backend, String node) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<NodeStatus> status = backend.nodes().stream().filter(n -> n.name().equals(node)).findFirst();
            if (status.isPresent() && status.get().up()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(node + " did not come back up");
    }

    private static Map<String, String> jobEnvironment(String site, String name, String id) throws IOException {
        Path file = clusters.site(site).workDir().resolve(name + "." + id + ".env");
        return Files.readAllLines(file).stream().filter(line -> line.indexOf('=') > 0)
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1), (a, b) -> b));
    }

    /** The script's events in order, each with its epoch microseconds. */
    private static Map<String, Long> events(String site, String name, String id) throws IOException {
        Path file = clusters.site(site).workDir().resolve(name + "." + id + ".events");
        Map<String, Long> events = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split(" ");
            events.putIfAbsent(fields[0], Long.parseLong(fields[1]));
        }
        return events;
    }
}
