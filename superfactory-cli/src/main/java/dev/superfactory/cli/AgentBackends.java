package dev.superfactory.cli;

import dev.superfactory.agent.SiteBackend;
import dev.superfactory.input.InputException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The cluster managers {@code superfactory agent --backend NAME} can drive, by name, each built
 * from the command's options by a constructor reference (no classpath scanning). An unknown name
 * fails at start and lists the known ones. Cost: a map lookup.
 */
final class AgentBackends {

    /** What a backend is built from: the command's backend options (absent ones null). */
    record Options(String slurmRest, String slurmUser, java.nio.file.Path slurmTokenFile, String checkpointRoot,
                   java.nio.file.Path kubeconfig, String namespace, String image, String gpuResource,
                   java.time.Duration noticeGrace, java.util.List<String> tolerate) {
    }

    private static final Map<String, Function<Options, SiteBackend>> BACKENDS = new TreeMap<>();

    static {
        BACKENDS.put("slurm", AgentBackends::slurm);
        BACKENDS.put("kubernetes", AgentBackends::kubernetes);
    }

    private AgentBackends() {
    }

    /** slurmrestd at {@code --slurm-rest} as {@code --slurm-user} with the JWT in {@code --slurm-token-file}. */
    private static SiteBackend slurm(Options o) {
        if (o.slurmRest() == null || o.slurmUser() == null || o.slurmTokenFile() == null) {
            throw new InputException("--backend slurm needs --slurm-rest URL, --slurm-user U and --slurm-token-file F");
        }
        java.net.URI base;
        try {
            base = java.net.URI.create(o.slurmRest());
        } catch (IllegalArgumentException e) {
            throw new InputException("--slurm-rest: '" + o.slurmRest() + "' is not a URL");
        }
        if (base.getScheme() == null || base.getHost() == null) {
            throw new InputException("--slurm-rest: '" + o.slurmRest() + "' is not an http(s) URL");
        }
        String token;
        try {
            token = java.nio.file.Files.readString(o.slurmTokenFile()).strip();
        } catch (java.io.IOException e) {
            throw new InputException("--slurm-token-file: cannot read " + o.slurmTokenFile() + ": " + e.getMessage());
        }
        if (token.isEmpty()) {
            throw new InputException("--slurm-token-file: " + o.slurmTokenFile() + " is empty");
        }
        return new dev.superfactory.agent.slurm.SlurmBackend(
                new dev.superfactory.agent.slurm.SlurmRest(base, o.slurmUser(), token, java.time.Duration.ofSeconds(10)),
                dev.superfactory.agent.slurm.SlurmBackend.Options.defaults(java.nio.file.Path.of(o.checkpointRoot())));
    }

    /** The cluster of {@code --kubeconfig} (else the default one), watched; pods in {@code --namespace}. */
    private static SiteBackend kubernetes(Options o) {
        try {
            return dev.superfactory.agent.kubernetes.KubernetesBackend.open(o.kubeconfig(), o.namespace(),
                    new dev.superfactory.agent.kubernetes.KubernetesBackend.Options(
                            o.image() == null ? dev.superfactory.agent.kubernetes.KubernetesBackend.Options.DEFAULT_IMAGE : o.image(),
                            o.gpuResource() == null
                                    ? dev.superfactory.agent.kubernetes.KubernetesBackend.Options.DEFAULT_GPU_RESOURCE
                                    : o.gpuResource(), o.noticeGrace(), o.tolerate()));
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** Adds a backend (tests: an in-memory cluster). */
    static void register(String name, Function<Options, SiteBackend> factory) {
        synchronized (BACKENDS) {
            BACKENDS.put(name, factory);
        }
    }

    /** The backend named {@code name}, built from {@code options}; an unknown name is a user error. */
    static SiteBackend open(String name, Options options) {
        Function<Options, SiteBackend> factory;
        synchronized (BACKENDS) {
            factory = BACKENDS.get(name);
            if (factory == null) {
                throw new InputException("--backend: '" + name + "' is not built into this jar; the backends are "
                        + BACKENDS.keySet());
            }
        }
        return factory.apply(options);
    }
}
