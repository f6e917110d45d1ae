package dev.superfactory.server.live;

import dev.superfactory.scenario.Scenario;
import dev.superfactory.server.ControlPlane;
import dev.superfactory.server.store.Database;
import dev.superfactory.server.store.DatabaseLocation;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.server.store.TokenStore;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Run as its own JVM by {@link LiveCrashTest}, again and again on the same directory: opens the
 * embedded database there, seeds the tenants and writes their tokens to {@code tokens.properties}
 * on first start, starts the control plane with simulated agents at {@link #TIME_SCALE}, prints
 * {@code READY <port> <rebuild ms>} and waits to be killed.
 */
final class LiveCrashChild {

    /** One hour of true run time takes one second: jobs of 180–1,800 s run 50–500 ms. */
    static final double TIME_SCALE = 3600;
    static final List<String> TENANTS = List.of("alpha", "beta", "gamma");
    static final String TOKENS = "tokens.properties";

    /**
     * Two sites of 12 domains of 8 GPUs (96 GPUs a site, 192 in all); the tenants' limits add up
     * to more than the fleet, so jobs wait for capacity as well as for their tenant's limit.
     */
    static final Scenario SCENARIO = TwoSites.scenario("crash-two-sites", 12,
            "{name: alpha, gpuLimit: 128}", "{name: beta, gpuLimit: 64}", "{name: gamma, gpuLimit: 48}");

    private LiveCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        long mainNanos = System.nanoTime();
        long jvmMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        Path directory = Path.of(args[0]);
        Database database = Database.open(new DatabaseLocation.Embedded(directory));
        ControlPlane.seedTenants(new TenantStore(database.dataSource()), SCENARIO, Clock.systemUTC());
        writeTokensOnce(database, directory.resolve(TOKENS));
        long openMillis = (System.nanoTime() - mainNanos) / 1_000_000;
        long started = System.nanoTime();
        ControlPlane plane = ControlPlane.start(database, SCENARIO, Clock.systemUTC(),
                new ControlPlane.Settings(0, TIME_SCALE, true, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(30)), null);
        long rebuildMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("READY " + plane.api().port() + " " + rebuildMillis + " " + openMillis + " " + jvmMillis);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** One token per tenant and an operator token, written once (atomically: a kill leaves none or all). */
    private static void writeTokensOnce(Database database, Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        TokenStore tokens = new TokenStore(database.dataSource(), Clock.systemUTC());
        Properties secrets = new Properties();
        for (String tenant : TENANTS) {
            secrets.setProperty(tenant, tokens.create(Principal.tenant(tenant), Duration.ofHours(1), "crash").secret());
        }
        secrets.setProperty("operator", tokens.create(Principal.operator(), Duration.ofHours(1), "crash").secret());
        Path temporary = file.resolveSibling(TOKENS + ".tmp");
        try (Writer out = Files.newBufferedWriter(temporary)) {
            secrets.store(out, "LiveCrashChild");
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The tokens written on first start. */
    static Properties tokens(Path directory) throws IOException {
        Properties secrets = new Properties();
        try (Reader in = Files.newBufferedReader(directory.resolve(TOKENS))) {
            secrets.load(in);
        }
        return secrets;
    }
}
