package dev.superfactory.server.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One incarnation of {@link LiveCrashChild}: a JVM started on the data directory, its output
 * drained by a daemon thread (the last lines kept for failure messages), killed with SIGKILL
 * ({@link Process#destroyForcibly} on Linux). The PostgreSQL it leaves running is stopped by the
 * next incarnation ({@code OrphanedPostmaster}), or by {@link #stopLeftoverPostmaster}.
 */
final class CrashChildProcess {

    private static final int KEPT_LINES = 60;
    private static final long READY_SECONDS = 60;

    /** What the child printed when ready: its API port and how long the control plane took to start. */
    record Ready(int port, long planeStartMillis, long openMillis, long jvmMillis, long readyMillis) {
    }

    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final CompletableFuture<Ready> ready = new CompletableFuture<>();
    private final long startedNanos = System.nanoTime();

    private CrashChildProcess(Process process) {
        this.process = process;
    }

    /** Starts an incarnation and waits for its {@code READY} line. */
    static CrashChildProcess start(Path directory) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try {
            Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath,
                    LiveCrashChild.class.getName(), directory.toString()).redirectErrorStream(true).start();
            CrashChildProcess child = new CrashChildProcess(process);
            Thread drain = new Thread(child::drain, "crash-child-output");
            drain.setDaemon(true);
            drain.start();
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Ready awaitReady() {
        try {
            return ready.get(READY_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the child JVM printed no READY line in " + READY_SECONDS + " s:\n" + output());
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage() + ":\n" + output());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * kill -9, and waits for the JVM to be gone; with {@code postgresToo}, its PostgreSQL dies the
     * same way, server processes first (as if the host lost power: the next start runs crash recovery).
     */
    void kill(Path directory, boolean postgresToo) {
        process.destroyForcibly();
        await(process.toHandle(), "the child JVM");
        if (postgresToo) {
            postmaster(directory).ifPresent(postmaster -> {
                List<ProcessHandle> servers = postmaster.descendants().toList();
                postmaster.destroyForcibly();
                await(postmaster, "its PostgreSQL");
                servers.forEach(p -> {
                    p.destroyForcibly();
                    await(p, "a PostgreSQL server process");
                });
            });
        }
    }

    private static void await(ProcessHandle process, String what) {
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new AssertionError(what + " (pid " + process.pid() + ") did not die of SIGKILL in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void drain() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                keep(line);
                if (line.startsWith("READY ")) {
                    String[] words = line.split(" ");
                    ready.complete(new Ready(Integer.parseInt(words[1]), Long.parseLong(words[2]),
                            Long.parseLong(words[3]), Long.parseLong(words[4]),
                            (System.nanoTime() - startedNanos) / 1_000_000));
                }
            }
        } catch (IOException e) {
            keep("(output unreadable: " + e.getMessage() + ")");
        }
        ready.completeExceptionally(new IllegalStateException("the child JVM ended before it was ready"));
    }

    private synchronized void keep(String line) {
        if (lastLines.size() == KEPT_LINES) {
            lastLines.removeFirst();
        }
        lastLines.addLast(line);
    }

    synchronized String output() {
        return String.join("\n", lastLines);
    }

    /** Stops a PostgreSQL still running on {@code directory} (a test that failed before reopening it). */
    static void stopLeftoverPostmaster(Path directory) throws Exception {
        Optional<ProcessHandle> postmaster = postmaster(directory);
        if (postmaster.isPresent()) {
            postmaster.get().destroy();
            postmaster.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    /** The PostgreSQL running on {@code directory}, if one is. */
    private static Optional<ProcessHandle> postmaster(Path directory) {
        Path pidFile = directory.resolve("postgres/postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
