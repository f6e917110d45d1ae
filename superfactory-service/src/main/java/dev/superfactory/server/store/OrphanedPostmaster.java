package dev.superfactory.server.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a killed process left in an embedded data directory. When the JVM that started the
 * embedded PostgreSQL dies by {@code kill -9}, its postmaster keeps running (it is not the JVM's
 * child any more) and holds {@code postmaster.pid}; a new server on the same directory would then
 * refuse to start. This stops that postmaster (SIGTERM: PostgreSQL's smart shutdown, which ends at
 * once since its clients died with the JVM) and waits for it to remove its pid file. A pid file
 * whose process is gone is left to PostgreSQL, which replaces it and runs crash recovery; one
 * whose pid now belongs to another program is deleted. Only called while holding the data
 * directory's lock, so no live superfactory process owns that postmaster.
 */
final class OrphanedPostmaster {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostmaster.class);
    private static final long STOP_WAIT_MILLIS = 30_000;
    private static final long POLL_MILLIS = 50;

    private OrphanedPostmaster() {
    }

    static void stopIfRunning(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> process = pid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return;
        }
        if (!isPostgres(process.get())) {
            LOG.warn("{} names pid {}, which is not PostgreSQL: deleting the stale pid file", pidFile, process.get().pid());
            Files.deleteIfExists(pidFile);
            return;
        }
        LOG.warn("stopping PostgreSQL pid {} left running on {} by a process that died", process.get().pid(), pgData);
        stop(process.get(), pidFile);
    }

    private static void stop(ProcessHandle postmaster, Path pidFile) throws IOException {
        postmaster.destroy();
        if (!awaitGone(postmaster, pidFile)) {
            LOG.warn("PostgreSQL pid {} did not stop in {} ms: killing it", postmaster.pid(), STOP_WAIT_MILLIS);
            postmaster.destroyForcibly();
            if (!awaitGone(postmaster, pidFile) && postmaster.isAlive()) {
                throw new IOException("cannot stop PostgreSQL pid " + postmaster.pid() + " running on " + pidFile.getParent());
            }
        }
    }

    /**
     * True once the postmaster has exited, or, at the deadline, if it has at least removed its pid
     * file (a zombie nobody reaps still looks alive).
     */
    private static boolean awaitGone(ProcessHandle postmaster, Path pidFile) {
        long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
        while (postmaster.isAlive()) {
            if (System.currentTimeMillis() > deadline) {
                return !Files.exists(pidFile);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static Optional<Long> pid(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("/postgres") || c.endsWith("/postmaster")).orElse(false);
    }
}
