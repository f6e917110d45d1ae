package dev.superfactory.agent.kubernetes;

import dev.superfactory.agent.ShardLaunch;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pods of a shard: one plain pod per node of the placement, rank {@code i} on
 * {@code launch.nodes().get(i)}, named {@code <shard>-<rank>}.
 *
 * <p>Why pods and not one indexed Job: a Job has one pod template, so its pods cannot each be
 * pinned to a different node in rank order, and its controller would recreate a pod that fails
 * (the agent, not Kubernetes, decides what a failure means for the run). Pods are pinned with
 * {@code spec.nodeName}, not node affinity on {@code kubernetes.io/hostname}: the control plane is
 * the scheduler and has chosen the nodes, so the pod is bound directly without kube-scheduler;
 * the kubelet still admits it against the node's GPUs (a pod that does not fit fails with reason
 * {@code OutOfnvidia.com/gpu}, reported as FAILED); and the hostname label is not the node name on
 * every cloud. Binding directly also ignores {@code NoSchedule} taints and cordons, so the agent
 * must (and does) report cordoned nodes as down to the control plane.
 *
 * <p>Two-phase start: every pod carries the annotation {@value #GO} ({@code "false"} while it waits,
 * {@code "true"} once go is given or with no two-phase start). The container's command polls its
 * annotations through a downward-API volume file, which the kubelet refreshes after a change (within
 * its sync period, about a minute at worst), so go is one patch per pod and needs no API access from
 * the pod. A stop is a pod deletion: SIGTERM is the notice, SIGKILL follows after the grace period.
 *
 * <p>Cost: O(nodes + environment) per shard; no calls to the cluster.
 */
final class ShardPods {

    static final String PREFIX = "superfactory.dev/";
    static final String TENANT = PREFIX + "tenant";
    static final String JOB = PREFIX + "job";
    static final String RUN = PREFIX + "run";
    static final String SHARD = PREFIX + "shard";
    static final String RANK = PREFIX + "rank";
    /** Annotation: whether the shard's work may begin ({@code "true"}) or waits for go. */
    static final String GO = PREFIX + "go";
    /** Annotation: the shard's exact name (the label holds it sanitized to the label syntax). */
    static final String SHARD_NAME = PREFIX + "shard-name";
    /** Annotation: how many pods the shard has, so a missing (deleted) pod shows. */
    static final String PODS = PREFIX + "pods";

    static final String CONTAINER = "shard";
    static final String PODINFO_DIR = "/etc/superfactory";

    /**
     * The default container's command: waits for go (two-phase start) by polling the annotations
     * file, then works {@code SF_RUN_SECONDS}; SIGTERM (the notice) ends it with status 143. The
     * sleeps run in the background so the trap runs at once.
     */
    static final String SCRIPT = String.join("\n",
            "trap 'echo \"superfactory: notice (SIGTERM) on $SF_POD, stopping\"; exit 143' TERM",
            "if [ \"$SF_WAIT_FOR_GO\" = true ]; then",
            "  echo \"superfactory: $SF_POD holds its node, waiting for go\"",
            "  until grep -q '^" + GO + "=\"true\"' " + PODINFO_DIR + "/annotations; do sleep 1 & wait $!; done",
            "fi",
            "echo \"superfactory: $SF_POD works $SF_RUN_SECONDS s\"",
            "end=$(( $(date +%s) + SF_RUN_SECONDS ))",
            "while [ \"$(date +%s)\" -lt \"$end\" ]; do sleep 1 & wait $!; done",
            "echo \"superfactory: $SF_POD done\"");

    private ShardPods() {
    }

    /** The pods of {@code launch}, in rank order. */
    static List<Pod> of(ShardLaunch launch, KubernetesBackend.Options options) {
        List<Pod> pods = new ArrayList<>();
        for (int rank = 0; rank < launch.nodes().size(); rank++) {
            pods.add(pod(launch, rank, options));
        }
        return pods;
    }

    /** A pod's name: the shard's name in the DNS label syntax, then its rank. */
    static String podName(String shard, int rank) {
        return dnsLabel(shard) + "-" + rank;
    }

    private static Pod pod(ShardLaunch launch, int rank, KubernetesBackend.Options options) {
        ShardLaunch.NodeGpus node = launch.nodes().get(rank);
        String name = podName(launch.name(), rank);
        Map<String, Quantity> gpus = Map.of(options.gpuResource(), new Quantity(Integer.toString(node.gpus())));
        return new PodBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withLabels(labels(launch, rank))
                    .withAnnotations(Map.of(GO, Boolean.toString(!launch.waitForGo()),
                            SHARD_NAME, launch.name(), PODS, Integer.toString(launch.nodes().size())))
                .endMetadata()
                .withNewSpec()
                    .withNodeName(node.node())
                    .withTolerations(options.tolerate().stream().map(key -> new TolerationBuilder().withKey(key)
                            .withOperator("Exists").build()).toList())
                    .withRestartPolicy("Never")
                    .withTerminationGracePeriodSeconds(graceSeconds(launch, options))
                    .addNewContainer()
                        .withName(CONTAINER)
                        .withImage(options.image())
                        .withCommand("sh", "-c", SCRIPT)
                        .withEnv(environment(launch, rank, name))
                        .withNewResources().withRequests(gpus).withLimits(gpus).endResources()
                        .addNewVolumeMount().withName("podinfo").withMountPath(PODINFO_DIR).endVolumeMount()
                    .endContainer()
                    .addNewVolume()
                        .withName("podinfo")
                        .withNewDownwardAPI()
                            .addNewItem().withPath("annotations")
                                .withNewFieldRef().withFieldPath("metadata.annotations").endFieldRef()
                            .endItem()
                        .endDownwardAPI()
                    .endVolume()
                .endSpec()
                .build();
    }

    private static Map<String, String> labels(ShardLaunch launch, int rank) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(TENANT, labelValue(launch.tenant()));
        labels.put(JOB, Long.toString(launch.job()));
        labels.put(RUN, Long.toString(launch.run()));
        labels.put(SHARD, labelValue(launch.name()));
        labels.put(RANK, Integer.toString(rank));
        return labels;
    }

    /** The launch's environment, then the pod's own: its rank in the shard, node, name, work and notice. */
    private static List<EnvVar> environment(ShardLaunch launch, int rank, String podName) {
        Map<String, String> env = new TreeMap<>(launch.environment());
        env.put("SF_SHARD", launch.name());
        env.put("SF_NODE_INDEX", Integer.toString(rank));
        env.put("SF_NODE", launch.nodes().get(rank).node());
        env.put("SF_POD", podName);
        env.put("SF_RUN_SECONDS", Long.toString((long) Math.ceil(Math.max(0, launch.runSeconds()))));
        env.put("SF_WAIT_FOR_GO", Boolean.toString(launch.waitForGo()));
        env.put("SF_NOTICE_SIGNAL", "TERM"); // a pod's stop notice is the kubelet's SIGTERM, whatever the agent's default
        List<EnvVar> vars = new ArrayList<>();
        env.forEach((key, value) -> vars.add(new EnvVar(key, value, null)));
        return vars;
    }

    /** The notice grace the agent put in the environment, else the option's. */
    private static long graceSeconds(ShardLaunch launch, KubernetesBackend.Options options) {
        String fromAgent = launch.environment().get("SF_NOTICE_GRACE_SECONDS");
        if (fromAgent != null && fromAgent.matches("\\d{1,9}")) {
            return Long.parseLong(fromAgent);
        }
        return options.noticeGrace().toSeconds();
    }

    /** {@code s} in the label-value syntax: at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends. */
    static String labelValue(String s) {
        String value = s.replaceAll("[^A-Za-z0-9._-]", "_");
        value = value.substring(0, Math.min(63, value.length()));
        return value.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    }

    /** {@code s} in the DNS-label syntax of a pod name's stem: lower case, [a-z0-9-], at most 56 characters. */
    static String dnsLabel(String s) {
        String value = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        value = value.substring(0, Math.min(56, value.length()));
        return value.replaceAll("^-+", "").replaceAll("-+$", "");
    }
}
