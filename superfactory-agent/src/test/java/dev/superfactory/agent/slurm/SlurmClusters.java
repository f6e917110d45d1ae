package dev.superfactory.agent.slurm;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real Slurm clusters for a test class, one per site, started by the project's {@code scripts/slurm.sh}
 * ({@code install}, then {@code up} in a temporary directory) and stopped by its {@code down}. Fails, never
 * skips, when Slurm cannot be installed or started (the script needs root).
 */
public final class SlurmClusters {

    /** One site's cluster, from the {@code env} file {@code slurm.sh up} writes. */
    public record Site(String name, Path conf, URI restUrl, String user, String jwt, List<String> nodes, Path workDir) {

        public SlurmRest rest() {
            return rest(jwt);
        }

        public SlurmRest rest(String token) {
            return new SlurmRest(restUrl, user, token, Duration.ofSeconds(20));
        }
    }

    private final Path script;
    private final Path dir;
    private final Map<String, Site> sites = new HashMap<>();
    public final long installMillis;
    public final long upMillis;

    private SlurmClusters(Path script, Path dir, long installMillis, long upMillis) {
        this.script = script;
        this.dir = dir;
        this.installMillis = installMillis;
        this.upMillis = upMillis;
    }

    public static SlurmClusters up(int nodes, int gpus, String... sites) throws IOException, InterruptedException {
        Path script = repoRoot().resolve("scripts/slurm.sh");
        Path dir = Files.createTempDirectory("sf-slurm-test");
        long start = System.nanoTime();
        run(script.toString(), "install");
        long installed = System.nanoTime();
        try {
            run(script.toString(), "up", dir.toString(), "--sites", String.join(",", sites),
                    "--nodes", Integer.toString(nodes), "--gpus", Integer.toString(gpus));
        } catch (IllegalStateException e) {
            run(script.toString(), "down", dir.toString());
            throw e;
        }
        SlurmClusters clusters = new SlurmClusters(script, dir, (installed - start) / 1_000_000,
                (System.nanoTime() - installed) / 1_000_000);
        for (String site : sites) {
            clusters.sites.put(site, readSite(site, dir.resolve(site).resolve("env")));
        }
        return clusters;
    }

    public Site site(String name) {
        return sites.get(name);
    }

    /** Runs {@code scontrol ARGS} as root on a site's cluster (munge auth, not the JWT): its output. */
    public String scontrol(String site, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("scontrol"));
        command.addAll(Arrays.asList(args));
        return run(Map.of("SLURM_CONF", site(site).conf().toString()), command.toArray(String[]::new));
    }

    /** Stops every daemon {@code up} started and deletes the directory. */
    public void down() throws IOException, InterruptedException {
        try {
            run(script.toString(), "down", dir.toString());
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Site readSite(String site, Path envFile) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(envFile)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Site(site, Paths.get(env.get("SLURM_CONF")), URI.create(env.get("SLURM_REST_URL")),
                env.get("SLURM_USER"), env.get("SLURM_JWT"), List.of(env.get("SLURM_NODES").split(",")),
                Paths.get(env.get("SLURM_WORKDIR")));
    }

    private static Path repoRoot() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/slurm.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("scripts/slurm.sh not found above " + Paths.get("").toAbsolutePath());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), command);
    }

    private static String run(Map<String, String> extraEnv, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("SLURM_JWT");
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue()
                    + ": " + output);
        }
        return output;
    }
}
