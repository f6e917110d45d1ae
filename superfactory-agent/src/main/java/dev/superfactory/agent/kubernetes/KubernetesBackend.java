package dev.superfactory.agent.kubernetes;

import dev.superfactory.agent.BackendException;
import dev.superfactory.agent.NodeStatus;
import dev.superfactory.agent.ShardLaunch;
import dev.superfactory.agent.ShardStatus;
import dev.superfactory.agent.SiteBackend;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A site run by Kubernetes (issue 12 item 3), through the fabric8 client on its java.net.http
 * transport. A shard is one pod per node of its placement, pinned with {@code spec.nodeName} and
 * requesting its GPUs ({@link ShardPods} says why pods and why nodeName); its id on the cluster is
 * the shard's name, and the pods' {@code superfactory.dev/shard} label finds them again, so the
 * backend keeps no state of its own.
 *
 * <p>Cost per call: {@link #start} one list plus one create per missing pod; {@link #go} one list
 * plus one merge patch per pod; {@link #stop} one list plus one delete per running pod. Polling
 * (the constructor): {@link #nodes()} is one list of the cluster's nodes and {@link #shards()} one
 * list of the namespace's shard pods, each O(objects) on the API server per poll. Watching
 * ({@link #watching}): two informers (a watch of the shard pods, one of the nodes) keep a cache,
 * so {@link #nodes()} and {@link #shards()} make no request and cost O(objects) in memory; the
 * cache lags the cluster by a watch event's latency, which the agent's polling tolerates (a shard
 * it has not seen yet is not taken for lost).
 *
 * <p>RBAC: pods (create, get, list, watch, patch, delete) in the namespace; nodes (list, watch)
 * cluster-wide.
 */
public final class KubernetesBackend implements SiteBackend {

    /** Retries of one request to the API server in a backend from {@link #open}. */
    static final int REQUEST_RETRIES = 2;

    private final KubernetesClient client;
    private final String namespace;
    private final Options options;
    /** The watch caches, or null when polling. */
    private final SharedIndexInformer<Pod> podWatch;
    private final SharedIndexInformer<Node> nodeWatch;

    /**
     * What the pods run and ask for.
     *
     * @param image the container image; its {@code sh} runs the shard's work ({@link ShardPods#SCRIPT})
     * @param gpuResource the extended resource a GPU is ({@code nvidia.com/gpu}; {@code amd.com/gpu})
     * @param noticeGrace the pods' {@code terminationGracePeriodSeconds} when the launch's
     *     environment has no {@code SF_NOTICE_GRACE_SECONDS}
     * @param tolerate taint keys the pods tolerate, whatever their value and effect (a GPU node's
     *     {@code nvidia.com/gpu} taint, or a maintenance {@code NoExecute} one that would evict a
     *     shard the control plane placed there); the GPU resource's name is always among them
     */
    public record Options(String image, String gpuResource, Duration noticeGrace, java.util.List<String> tolerate) {

        public Options(String image, String gpuResource, Duration noticeGrace) {
            this(image, gpuResource, noticeGrace, java.util.List.of());
        }

        public static final String DEFAULT_IMAGE = "busybox:1.36";
        public static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";

        public Options {
            if (image == null || image.isBlank()) {
                throw new IllegalArgumentException("image is empty");
            }
            if (gpuResource == null || !gpuResource.matches("[a-z0-9.-]+/[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("GPU resource '" + gpuResource + "' is not a domain/name resource");
            }
            if (noticeGrace.isNegative()) {
                throw new IllegalArgumentException("notice grace " + noticeGrace + " is negative");
            }
            java.util.Set<String> keys = new java.util.LinkedHashSet<>();
            keys.add(gpuResource);
            for (String key : tolerate) {
                if (!key.matches("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
                    throw new IllegalArgumentException("--tolerate: '" + key + "' is not a taint key such as"
                            + " nvidia.com/gpu or node.example.com/maintenance");
                }
                keys.add(key);
            }
            tolerate = java.util.List.copyOf(keys);
        }

        /** busybox:1.36, nvidia.com/gpu, 30 s. */
        public static Options defaults() {
            return new Options(DEFAULT_IMAGE, DEFAULT_GPU_RESOURCE, Duration.ofSeconds(30));
        }
    }

    /** A backend on {@code client}, whose shards live in {@code namespace}; it closes the client. */
    public KubernetesBackend(KubernetesClient client, String namespace, Options options) {
        this(client, namespace, options, false);
    }

    /**
     * A backend like {@link #KubernetesBackend(KubernetesClient, String, Options)} whose
     * {@link #nodes()} and {@link #shards()} answer from watches; it returns once both have
     * listed what is there.
     */
    public static KubernetesBackend watching(KubernetesClient client, String namespace, Options options) {
        return new KubernetesBackend(client, namespace, options, true);
    }

    private KubernetesBackend(KubernetesClient client, String namespace, Options options, boolean watch) {
        if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is not a DNS label");
        }
        this.client = client;
        this.namespace = namespace;
        this.options = options;
        this.podWatch = watch ? client.pods().inNamespace(namespace).withLabel(ShardPods.SHARD).inform() : null;
        this.nodeWatch = watch ? client.nodes().inform() : null;
    }

    /**
     * A backend on the cluster of {@code kubeconfig} (its current context), or, when it is null,
     * of the usual places ({@code KUBECONFIG}, {@code ~/.kube/config}, the in-cluster service
     * account); in {@code namespace}, or when it is null the context's namespace, else {@code default}.
     * It watches ({@link #watching}), so it returns once it has listed the pods and nodes.
     *
     * @throws IllegalArgumentException naming the file, when it cannot be read or is no kubeconfig,
     *     or naming the cluster, when it cannot list and watch there
     */
    public static KubernetesBackend open(Path kubeconfig, String namespace, Options options) {
        Config config;
        try {
            config = kubeconfig == null ? Config.autoConfigure(null) : Config.fromKubeconfig(Files.readString(kubeconfig));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("kubeconfig " + kubeconfig + ": cannot be read ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        String in = namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
        // the agent retries every poll: a call that fails should say so in a second or two, not after
        // the client's default 10 retries with backoff (tens of seconds)
        config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        try {
            return watching(client, in, options);
        } catch (KubernetesClientException e) {
            client.close();
            throw new IllegalArgumentException("kubeconfig " + kubeconfig + ": cannot watch pods in namespace " + in
                    + " and nodes at " + config.getMasterUrl() + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String kind() {
        return "kubernetes";
    }

    @Override
    public List<NodeStatus> nodes() throws BackendException {
        try {
            List<Node> nodes = nodeWatch != null ? nodeWatch.getStore().list() : client.nodes().list().getItems();
            return NodeHealth.of(nodes, options.gpuResource());
        } catch (KubernetesClientException e) {
            throw failed("list nodes", e);
        }
    }

    @Override
    public String start(ShardLaunch launch) throws BackendException {
        Set<String> there = pods(launch.name()).stream().map(pod -> pod.getMetadata().getName()).collect(Collectors.toSet());
        for (Pod pod : ShardPods.of(launch, options)) {
            if (!there.contains(pod.getMetadata().getName())) {
                create(pod);
            }
        }
        return launch.name();
    }

    private void create(Pod pod) throws BackendException {
        try {
            client.pods().inNamespace(namespace).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // 409: created meanwhile, by an earlier try whose answer was lost
                throw failed("create pod " + pod.getMetadata().getName() + " on node " + pod.getSpec().getNodeName(), e);
            }
        }
    }

    @Override
    public void go(String id) throws BackendException {
        List<Pod> pods = pods(id);
        if (pods.isEmpty()) {
            throw new BackendException("go " + id + ": no pods of the shard in namespace " + namespace);
        }
        String patch = "{\"metadata\":{\"annotations\":{\"" + ShardPods.GO + "\":\"true\"}}}";
        for (Pod pod : pods) {
            try {
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            } catch (KubernetesClientException e) {
                throw failed("go " + id + ": patch pod " + pod.getMetadata().getName(), e);
            }
        }
    }

    @Override
    public void stop(String id, Duration grace) throws BackendException {
        long graceSeconds = (grace.toMillis() + 999) / 1000;
        for (Pod pod : pods(id)) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            boolean ended = "Succeeded".equals(phase) || "Failed".equals(phase);
            if (ended || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            try {
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName())
                        .withGracePeriod(graceSeconds).delete();
            } catch (KubernetesClientException e) {
                throw failed("stop " + id + ": delete pod " + pod.getMetadata().getName(), e);
            }
        }
    }

    @Override
    public List<ShardStatus> shards() throws BackendException {
        try {
            return ShardStates.of(podWatch != null ? podWatch.getStore().list()
                    : client.pods().inNamespace(namespace).withLabel(ShardPods.SHARD).list().getItems());
        } catch (KubernetesClientException e) {
            throw failed("list pods", e);
        }
    }

    private List<Pod> pods(String shard) throws BackendException {
        try {
            return client.pods().inNamespace(namespace).withLabel(ShardPods.SHARD, ShardPods.labelValue(shard))
                    .list().getItems();
        } catch (KubernetesClientException e) {
            throw failed("list pods of shard " + shard, e);
        }
    }

    private BackendException failed(String call, KubernetesClientException e) {
        String status = e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "";
        return new BackendException("kubernetes " + call + " in namespace " + namespace + ": " + status + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (podWatch != null) {
            podWatch.close();
            nodeWatch.close();
        }
        client.close();
    }
}
