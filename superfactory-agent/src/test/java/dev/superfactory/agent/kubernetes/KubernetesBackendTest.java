package dev.superfactory.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.agent.BackendException;
import dev.superfactory.agent.NodeStatus;
import dev.superfactory.agent.ShardLaunch;
import dev.superfactory.agent.ShardStatus;
import dev.superfactory.agent.ShardStatus.State;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes backend against fabric8's kubernetes-server-mock in CRUD mode: a MOCK API server,
 * because no Kubernetes API server can run here. The mock stores what the client writes and lists
 * it by label; it runs no kubelet, so the tests set pod phases and node conditions themselves, as
 * a kubelet would. One mock per class (it starts in seconds); each test uses its own shard.
 */
class KubernetesBackendTest {

    private static final String NAMESPACE = "sf-site-a";

    /** The mock logs every request at INFO; held here so the level stays set. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger(MockWebServer.class.getName());

    private static KubernetesMockServer server;
    private static NamespacedKubernetesClient client;
    private static KubernetesBackend backend;

    @BeforeAll
    static void startMockApiServer() {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        server.init();
        client = server.createClient();
        backend = new KubernetesBackend(client, NAMESPACE, KubernetesBackend.Options.defaults());
        node("gpu-a", 8, "True", "KubeletReady", false);
        node("gpu-b", 8, "True", "KubeletReady", false);
        node("gpu-c", 4, "False", "KubeletNotReady", false);
        node("gpu-d", 8, "True", "KubeletReady", true);
        node("cpu-1", 0, "True", "KubeletReady", false);
    }

    @AfterAll
    static void stopMockApiServer() {
        backend.close();
        server.destroy();
    }

    @Test
    void aShardOfTwoNodesIsTwoPodsPinnedToThemWithTheirGpusLabelsAndEnvironment() throws Exception {
        String id = backend.start(launch(7, List.of(new ShardLaunch.NodeGpus("gpu-a", 8),
                new ShardLaunch.NodeGpus("gpu-b", 4)), false));

        assertThat(id).isEqualTo("sf-7-a");
        List<Pod> pods = pods(id);
        assertThat(pods).extracting(pod -> pod.getMetadata().getName()).containsExactly("sf-7-a-0", "sf-7-a-1");
        assertThat(pods).extracting(pod -> pod.getSpec().getNodeName()).containsExactly("gpu-a", "gpu-b");
        Container rank1 = pods.get(1).getSpec().getContainers().get(0);
        assertThat(rank1.getResources().getRequests()).isEqualTo(Map.of("nvidia.com/gpu", new Quantity("4")));
        assertThat(rank1.getResources().getLimits()).isEqualTo(Map.of("nvidia.com/gpu", new Quantity("4")));
        assertThat(pods.get(0).getSpec().getContainers().get(0).getResources().getLimits())
                .isEqualTo(Map.of("nvidia.com/gpu", new Quantity("8")));
        assertThat(pods.get(1).getMetadata().getLabels()).isEqualTo(Map.of("superfactory.dev/tenant", "acme",
                "superfactory.dev/job", "70", "superfactory.dev/run", "7", "superfactory.dev/shard", "sf-7-a",
                "superfactory.dev/rank", "1"));
        assertThat(env(rank1)).containsEntry("SF_WORLD_SIZE", "12").containsEntry("SF_NOTICE_GRACE_SECONDS", "45")
                .containsEntry("SF_NODE_INDEX", "1").containsEntry("SF_NODE", "gpu-b")
                .containsEntry("SF_RUN_SECONDS", "91").containsEntry("SF_WAIT_FOR_GO", "false")
                .containsEntry("SF_NOTICE_SIGNAL", "TERM");
        assertThat(rank1.getImage()).isEqualTo("busybox:1.36");
        assertThat(rank1.getCommand()).containsExactly("sh", "-c", ShardPods.SCRIPT);
        assertThat(pods.get(1).getSpec().getTerminationGracePeriodSeconds()).isEqualTo(45L);
        assertThat(pods.get(1).getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pods.get(1).getMetadata().getAnnotations()).containsEntry("superfactory.dev/go", "true");
        // the GPU taint, whatever its value and effect (a NoExecute one would evict a pinned pod)
        assertThat(pods.get(1).getSpec().getTolerations()).extracting(t -> t.getKey() + " " + t.getOperator() + " "
                + t.getEffect()).containsExactly("nvidia.com/gpu Exists null");
    }

    @Test
    void podsTolerateTheTaintKeysGivenBesideTheGpuOne() {
        assertThat(ShardPods.of(launch(8, List.of(new ShardLaunch.NodeGpus("gpu-a", 8)), false),
                new KubernetesBackend.Options("img", "nvidia.com/gpu", java.time.Duration.ofSeconds(5),
                        List.of("maintenance.example.com/drain", "nvidia.com/gpu"))).get(0).getSpec().getTolerations())
                .extracting(t -> t.getKey()).containsExactly("nvidia.com/gpu", "maintenance.example.com/drain");
        assertThatThrownBy(() -> new KubernetesBackend.Options("img", "nvidia.com/gpu", java.time.Duration.ZERO,
                List.of("bad key!"))).hasMessage("--tolerate: 'bad key!' is not a taint key such as nvidia.com/gpu or "
                + "node.example.com/maintenance");
    }

    @Test
    void startingAShardAgainCreatesNothingAndOnlyWhatIsMissing() throws Exception {
        ShardLaunch launch = launch(8, List.of(new ShardLaunch.NodeGpus("gpu-a", 2),
                new ShardLaunch.NodeGpus("gpu-b", 2)), false);
        backend.start(launch);
        Map<String, String> uids = uids(launch.name());
        drainRecordedRequests();

        assertThat(backend.start(launch)).isEqualTo("sf-8-a");
        assertThat(drainRecordedRequests()).extracting(RecordedRequest::getMethod).containsExactly("GET");
        assertThat(uids(launch.name())).isEqualTo(uids);

        client.pods().inNamespace(NAMESPACE).withName("sf-8-a-1").delete();
        backend.start(launch);
        Map<String, String> after = uids(launch.name());
        assertThat(after).containsOnlyKeys("sf-8-a-0", "sf-8-a-1").containsEntry("sf-8-a-0", uids.get("sf-8-a-0"));
        assertThat(after.get("sf-8-a-1")).isNotEqualTo(uids.get("sf-8-a-1"));
    }

    @Test
    void aTwoPhaseShardIsPendingThenReadyWhenItsPodsRunThenRunningAfterGo() throws Exception {
        String id = backend.start(launch(9, List.of(new ShardLaunch.NodeGpus("gpu-a", 1),
                new ShardLaunch.NodeGpus("gpu-b", 1)), true));
        assertThat(pods(id)).allSatisfy(pod ->
                assertThat(pod.getMetadata().getAnnotations()).containsEntry("superfactory.dev/go", "false"));
        setPhase("sf-9-a-0", "Pending");
        assertThat(shard(id).state()).isEqualTo(State.PENDING);

        setPhase("sf-9-a-0", "Running");
        assertThat(shard(id).state()).isEqualTo(State.PENDING);
        setPhase("sf-9-a-1", "Running");
        assertThat(shard(id)).isEqualTo(new ShardStatus(id, id, State.READY, List.of("gpu-a", "gpu-b"), ""));

        backend.go(id);
        assertThat(pods(id)).allSatisfy(pod ->
                assertThat(pod.getMetadata().getAnnotations()).containsEntry("superfactory.dev/go", "true"));
        assertThat(shard(id).state()).isEqualTo(State.RUNNING);
    }

    @Test
    void goOnAShardWithNoPodsNamesIt() {
        assertThatThrownBy(() -> backend.go("sf-404-a"))
                .isInstanceOf(BackendException.class).hasMessageContaining("sf-404-a").hasMessageContaining(NAMESPACE);
    }

    @Test
    void stopDeletesTheRunningPodsWithTheGracePeriodAndLeavesEndedOnes() throws Exception {
        String id = backend.start(launch(10, List.of(new ShardLaunch.NodeGpus("gpu-a", 1),
                new ShardLaunch.NodeGpus("gpu-b", 1)), false));
        setPhase("sf-10-a-0", "Running");
        setPhase("sf-10-a-1", "Succeeded");
        drainRecordedRequests();

        backend.stop(id, Duration.ofSeconds(45));

        List<RecordedRequest> deletes = drainRecordedRequests().stream()
                .filter(request -> request.getMethod().equals("DELETE")).toList();
        assertThat(deletes).hasSize(1);
        assertThat(deletes.get(0).getPath()).endsWith("/namespaces/" + NAMESPACE + "/pods/sf-10-a-0");
        assertThat(deletes.get(0).getUtf8Body()).contains("\"gracePeriodSeconds\":45");
        assertThat(pods(id)).extracting(pod -> pod.getMetadata().getName()).containsExactly("sf-10-a-1");
        assertThat(shard(id).state()).isEqualTo(State.STOPPED);
        assertThat(shard(id).reason()).isEqualTo("1 of 2 pods left (deleted)");
    }

    @Test
    void podPhasesMapToShardStates() throws Exception {
        String done = backend.start(launch(11, List.of(new ShardLaunch.NodeGpus("gpu-a", 1),
                new ShardLaunch.NodeGpus("gpu-b", 1)), false));
        setPhase("sf-11-a-0", "Succeeded");
        setPhase("sf-11-a-1", "Running");
        assertThat(shard(done).state()).isEqualTo(State.RUNNING);
        setPhase("sf-11-a-1", "Succeeded");
        assertThat(shard(done)).isEqualTo(new ShardStatus(done, done, State.SUCCEEDED, List.of("gpu-a", "gpu-b"), ""));

        String crashed = backend.start(launch(12, List.of(new ShardLaunch.NodeGpus("gpu-a", 1),
                new ShardLaunch.NodeGpus("gpu-b", 1)), false));
        setPhase("sf-12-a-0", "Running");
        editStatus("sf-12-a-1", pod -> new PodBuilder(pod).editOrNewStatus().withPhase("Failed")
                .addNewContainerStatus().withName("shard").withNewState().withNewTerminated()
                .withExitCode(1).withReason("Error").endTerminated().endState().endContainerStatus()
                .endStatus().build());
        assertThat(shard(crashed).state()).isEqualTo(State.FAILED);
        assertThat(shard(crashed).reason()).isEqualTo("sf-12-a-1: Error, exit code 1");

        String refused = backend.start(launch(13, List.of(new ShardLaunch.NodeGpus("gpu-a", 9)), false));
        editStatus("sf-13-a-0", pod -> new PodBuilder(pod).editOrNewStatus().withPhase("Failed")
                .withReason("OutOfnvidia.com/gpu").withMessage("Pod was rejected: Node didn't have enough resource")
                .endStatus().build());
        assertThat(shard(refused)).isEqualTo(new ShardStatus(refused, refused, State.FAILED, List.of("gpu-a"),
                "sf-13-a-0: OutOfnvidia.com/gpu (Pod was rejected: Node didn't have enough resource)"));
    }

    @Test
    void gpuNodesAreReportedWithTheirAllocatableGpusAndDownWhenNotReadyOrCordoned() throws Exception {
        assertThat(backend.nodes()).containsExactly(
                new NodeStatus("gpu-a", 8, true, ""),
                new NodeStatus("gpu-b", 8, true, ""),
                new NodeStatus("gpu-c", 4, false, "Ready=False: KubeletNotReady (kubelet stopped posting)"),
                new NodeStatus("gpu-d", 8, false, "cordoned"));
    }

    @Test
    void aNodeCordonedNowIsDownAndBackWhenUncordoned() throws Exception {
        node("gpu-e", 8, "True", "KubeletReady", false);
        assertThat(nodeStatus("gpu-e").up()).isTrue();
        client.nodes().withName("gpu-e").edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build());
        assertThat(nodeStatus("gpu-e")).isEqualTo(new NodeStatus("gpu-e", 8, false, "cordoned"));
        client.nodes().withName("gpu-e").edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(false).endSpec().build());
        assertThat(nodeStatus("gpu-e").up()).isTrue();
        client.nodes().withName("gpu-e").delete();
    }

    @Test
    void aWatchingBackendAnswersShardsAndNodesFromItsWatchesWithoutARequest() throws Exception {
        try (KubernetesBackend watching = KubernetesBackend.watching(server.createClient(), NAMESPACE,
                KubernetesBackend.Options.defaults())) {
            String id = watching.start(launch(15, List.of(new ShardLaunch.NodeGpus("gpu-a", 1),
                    new ShardLaunch.NodeGpus("gpu-b", 1)), true));
            setPhase("sf-15-a-0", "Running");
            setPhase("sf-15-a-1", "Running");
            awaitTrue(() -> watching.shards().stream().anyMatch(s -> s.id().equals(id) && s.state() == State.READY));
            node("gpu-f", 2, "True", "KubeletReady", false);
            client.nodes().withName("gpu-f").edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build());
            awaitTrue(() -> watching.nodes().contains(new NodeStatus("gpu-f", 2, false, "cordoned")));
            drainRecordedRequests();

            assertThat(watching.shards()).contains(new ShardStatus(id, id, State.READY, List.of("gpu-a", "gpu-b"), ""));
            assertThat(watching.nodes()).extracting(NodeStatus::name).contains("gpu-a", "gpu-c", "gpu-f");
            assertThat(drainRecordedRequests()).isEmpty();
        } finally {
            client.nodes().withName("gpu-f").delete();
        }
    }

    @Test
    void aKubeconfigFileReachesTheClusterInItsContextsNamespace(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, String.join("\n",
                "apiVersion: v1", "kind: Config", "current-context: site-a",
                "clusters:", "- name: mock", "  cluster:",
                "    server: " + client.getConfiguration().getMasterUrl(),
                "    insecure-skip-tls-verify: true",
                "contexts:", "- name: site-a", "  context: {cluster: mock, user: agent, namespace: " + NAMESPACE + "}",
                "users:", "- name: agent", "  user: {token: not-checked-by-the-mock}", ""));
        backend.start(launch(14, List.of(new ShardLaunch.NodeGpus("gpu-b", 1)), false));

        try (KubernetesBackend fromFile = KubernetesBackend.open(kubeconfig, null, KubernetesBackend.Options.defaults())) {
            assertThat(fromFile.nodes()).extracting(NodeStatus::name).contains("gpu-a", "gpu-d");
            assertThat(fromFile.shards()).extracting(ShardStatus::id).contains("sf-14-a");
        }
    }

    @Test
    void aClusterThatCannotBeReachedIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, String.join("\n",
                "apiVersion: v1", "kind: Config", "current-context: c",
                "clusters: [{name: none, cluster: {server: 'https://127.0.0.1:1'}}]",
                "contexts: [{name: c, context: {cluster: none, user: u}}]",
                "users: [{name: u, user: {token: t}}]", ""));

        assertThatThrownBy(() -> KubernetesBackend.open(kubeconfig, "sf-x", KubernetesBackend.Options.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kubeconfig " + kubeconfig + ": cannot watch pods in namespace sf-x and nodes at "
                        + "https://127.0.0.1:1/");
    }

    @Test
    void aMissingKubeconfigIsOneLineNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-kubeconfig");
        assertThatThrownBy(() -> KubernetesBackend.open(missing, "x", KubernetesBackend.Options.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kubeconfig " + missing + ": cannot be read (NoSuchFileException: " + missing + ")");
    }

    /** A condition a watch makes true after a short while (5 s at most). */
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!check.holds()) {
            assertThat(System.nanoTime()).as("the watch did not catch up in 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static ShardLaunch launch(long run, List<ShardLaunch.NodeGpus> nodes, boolean waitForGo) {
        int gpus = nodes.stream().mapToInt(ShardLaunch.NodeGpus::gpus).sum();
        return new ShardLaunch(ShardLaunch.nameOf(run, "a"), run, run * 10, "acme", nodes,
                Map.of("SF_WORLD_SIZE", Integer.toString(gpus), "SF_NOTICE_GRACE_SECONDS", "45", "SF_NOTICE_SIGNAL", "USR1"),
                90.5, waitForGo);
    }

    private static void node(String name, int gpus, String ready, String reason, boolean cordoned) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withUnschedulable(cordoned).endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).withReason(reason)
                .withMessage(ready.equals("True") ? "kubelet is posting ready status" : "kubelet stopped posting")
                .endCondition().endStatus();
        if (gpus > 0) {
            node.editStatus().addToAllocatable("nvidia.com/gpu", new Quantity(Integer.toString(gpus))).endStatus();
        }
        client.nodes().resource(node.build()).create();
    }

    private static NodeStatus nodeStatus(String name) throws BackendException {
        return backend.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Pod> pods(String shard) {
        List<Pod> pods = new ArrayList<>(client.pods().inNamespace(NAMESPACE)
                .withLabel("superfactory.dev/shard", shard).list().getItems());
        pods.sort(Comparator.comparing(pod -> pod.getMetadata().getName()));
        return pods;
    }

    private static Map<String, String> uids(String shard) {
        return pods(shard).stream().collect(Collectors.toMap(pod -> pod.getMetadata().getName(),
                pod -> pod.getMetadata().getUid()));
    }

    private static ShardStatus shard(String id) throws BackendException {
        return backend.shards().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    /** What the kubelet does: sets the pod's phase (through the status subresource). */
    private static void setPhase(String pod, String phase) {
        editStatus(pod, p -> new PodBuilder(p).editOrNewStatus().withPhase(phase).endStatus().build());
    }

    private static void editStatus(String pod, UnaryOperator<Pod> edit) {
        client.pods().inNamespace(NAMESPACE).withName(pod).editStatus(edit);
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static List<RecordedRequest> drainRecordedRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (RecordedRequest r = server.takeRequest(50, TimeUnit.MILLISECONDS); r != null;
                r = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
            requests.add(r);
        }
        return requests;
    }
}
