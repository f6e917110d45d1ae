package dev.superfactory.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Not a test: prints the figures quoted in the README and the notes. Run with
 * {@code -Dot.epg.working-dir=<empty dir>} to include zonky's one-time unpack in the first start:
 * <pre>
 * mvn -q -o test-compile -pl superfactory-service
 * java -Dot.epg.working-dir=/tmp/epg-fresh -cp "$(cat cp.txt):target/classes:target/test-classes" \
 *     dev.superfactory.server.store.StoreMeasurements 10000 [DATA_DIR]
 * </pre>
 * Figures: start of a new data directory (initdb and, with a fresh working dir, the unpack) or of
 * the one given as second argument (a warm start in a new JVM), a second start in the same JVM, and sequential single-job submits per second under
 * PostgreSQL's default durability (one commit, one WAL flush per submit); then submits from 16
 * threads at once, grouped ({@link JobStore#submit}) and one transaction each.
 */
final class StoreMeasurements {

    private static final String SPEC = "{\"gpus\": 8, \"runSeconds\": 3600}";
    private static final int THREADS = 16;

    private StoreMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        int submits = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("sf-measure");
        String run = Long.toString(System.currentTimeMillis(), 36);
        DatabaseLocation location = new DatabaseLocation.Embedded(dir);
        long t0 = System.nanoTime();
        try (Database database = Database.open(location)) {
            System.out.printf("start in this JVM (%s data directory): %.1f s%n", args.length > 1 ? "given" : "new", seconds(t0));
            new TenantStore(database.dataSource()).create("acme", "Acme");
        }
        long t1 = System.nanoTime();
        try (Database database = Database.open(location)) {
            System.out.printf("second start in the same JVM: %.1f s%n", seconds(t1));
            JobStore jobs = new JobStore(database.dataSource());
            long t2 = System.nanoTime();
            for (int i = 0; i < submits; i++) {
                jobs.submit("acme", run + "-" + i, "{\"gpus\": 8, \"runSeconds\": 3600}");
            }
            double s = seconds(t2);
            System.out.printf("%,d sequential submits: %.1f s, %,.0f submits/s%n", submits, s, submits / s);
            concurrent(submits, THREADS, "submit (group commit)",
                    i -> jobs.submit("acme", run + "-g" + i, SPEC));
            concurrent(submits, THREADS, "one transaction per job (as before group commit)",
                    i -> jobs.submitBatch("acme", List.of(new NewJob(run + "-t" + i, SPEC))));
        }
    }

    /** {@code submits} calls of {@code submit} from {@code threads} threads at once; prints submits/s. */
    private static void concurrent(int submits, int threads, String what, IntConsumer submit) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < submits; i = next.getAndIncrement()) {
                    submit.accept(i);
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        double s = seconds(t0);
        System.out.printf("%,d submits from %d threads, %s: %.1f s, %,.0f submits/s%n", submits, threads, what, s,
                submits / s);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
