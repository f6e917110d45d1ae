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
    record Options(String slurmRest, String slurmUser, java.nio.file.Path slurmTokenFile) {
    }

    private static final Map<String, Function<Options, SiteBackend>> BACKENDS = new TreeMap<>();

    static {
        // MERGE: register the Slurm backend here once dev.superfactory.agent.slurm.SlurmBackend is in the build:
        // BACKENDS.put("slurm", o -> SlurmBackend.open(o.slurmRest(), o.slurmUser(), o.slurmTokenFile()));
    }

    private AgentBackends() {
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
