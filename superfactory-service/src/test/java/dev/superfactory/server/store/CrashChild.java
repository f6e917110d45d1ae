package dev.superfactory.server.store;

import java.nio.file.Path;

/**
 * Run as its own JVM by {@link CrashRecoveryTest}: opens the embedded database in the directory
 * given, commits one job, prints {@code READY <jobId>} and waits to be killed.
 */
final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        Database database = Database.open(new DatabaseLocation.Embedded(Path.of(args[0])));
        new TenantStore(database.dataSource()).create("acme", "Acme");
        Submission submission = new JobStore(database.dataSource()).submit("acme", "before-crash", "{\"gpus\": 8}");
        System.out.println("READY " + submission.job().id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
