package dev.superfactory.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the process that owns an embedded data directory, for real: a child JVM opens the
 * database and commits a job, the test kills it with SIGKILL ({@link Process#destroyForcibly} on
 * Linux), optionally SIGKILLs the PostgreSQL it left running too, then opens the same directory.
 */
class CrashRecoveryTest {

    @TempDir
    Path dataDirectory;

    @ParameterizedTest(name = "postmaster killed too: {0}")
    @ValueSource(booleans = {false, true})
    void aDataDirectoryOpensAgainAfterItsOwnerWasKilledAndKeepsEveryCommittedJob(boolean killPostmasterToo)
            throws Exception {
        Process child = startChild();
        long jobId;
        try {
            jobId = awaitReady(child);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid()).orElseThrow();
        try {
            killAndReopen(postmaster, jobId, killPostmasterToo);
        } finally {
            if (postmaster.isAlive()) {
                postmaster.destroy(); // leaves no PostgreSQL behind if an assertion failed
            }
        }
    }

    private void killAndReopen(ProcessHandle postmaster, long jobId, boolean killPostmasterToo) throws Exception {
        assertThat(postmaster.isAlive()).as("the killed JVM left its PostgreSQL running").isTrue();
        if (killPostmasterToo) {
            postmaster.destroyForcibly();
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        }

        try (Database database = Database.open(new DatabaseLocation.Embedded(dataDirectory))) {
            assertThat(postmaster.isAlive()).as("the orphaned PostgreSQL was stopped").isFalse();
            JobStore jobs = new JobStore(database.dataSource());
            assertThat(jobs.get("acme", jobId)).hasValueSatisfying(j -> assertThat(j.clientId()).isEqualTo("before-crash"));
            Submission retry = jobs.submit("acme", "before-crash", "{\"gpus\": 8}");
            assertThat(retry.created()).isFalse();
            assertThat(retry.job().id()).isEqualTo(jobId);
        }
        assertThat(Files.exists(dataDirectory.resolve("postgres/postmaster.pid"))).as("stopped cleanly").isFalse();
    }

    private Process startChild() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "-cp", classPath, CrashChild.class.getName(), dataDirectory.toString())
                .redirectErrorStream(true).start();
    }

    private static long awaitReady(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("READY ")) {
                return Long.parseLong(line.substring(6).trim());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the child JVM ended before committing its job:\n" + seen);
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postgres/postmaster.pid")).get(0).trim());
    }
}
