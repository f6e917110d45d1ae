package dev.superfactory.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pods' command ({@link ShardPods#SCRIPT}) run by this machine's {@code sh} (no container can
 * run here), with its annotations file in a temporary directory written the way the kubelet
 * projects annotations ({@code key="value"} lines): it waits for go, works its seconds, and ends
 * with status 143 on SIGTERM (the notice).
 */
class ShardPodsScriptTest {

    @TempDir
    Path podinfo;

    @Test
    void aTwoPhasePodWaitsUntilItsGoAnnotationIsTrueThenWorksItsSecondsAndEnds() throws Exception {
        annotations("false");
        Process pod = start(true, 1);

        assertThat(pod.waitFor(2500, TimeUnit.MILLISECONDS)).as("ended before go").isFalse();
        annotations("true");

        assertThat(pod.waitFor(6, TimeUnit.SECONDS)).as("ended after go").isTrue();
        assertThat(pod.exitValue()).isZero();
        assertThat(output(pod)).contains("waiting for go").contains("works 1 s").contains("done");
    }

    @Test
    void sigtermIsTheNoticeAndEndsThePodWithStatus143() throws Exception {
        annotations("true");
        Process pod = start(false, 600);
        Thread.sleep(1000);

        // SIGTERM, as the kubelet sends on deletion (Process.destroy would also close the pod's output)
        new ProcessBuilder("kill", "-TERM", Long.toString(pod.pid())).start().waitFor();

        assertThat(pod.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(pod.exitValue()).isEqualTo(143);
        assertThat(output(pod)).contains("notice (SIGTERM) on sf-1-a-0");
    }

    private void annotations(String go) throws IOException {
        Path tmp = podinfo.resolve("annotations.tmp");
        Files.writeString(tmp, "superfactory.dev/pods=\"2\"\n" + ShardPods.GO + "=\"" + go + "\"\n");
        Files.move(tmp, podinfo.resolve("annotations"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Process start(boolean waitForGo, int runSeconds) throws IOException {
        String script = ShardPods.SCRIPT.replace(ShardPods.PODINFO_DIR, podinfo.toString());
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        builder.environment().put("SF_POD", "sf-1-a-0");
        builder.environment().put("SF_WAIT_FOR_GO", Boolean.toString(waitForGo));
        builder.environment().put("SF_RUN_SECONDS", Integer.toString(runSeconds));
        return builder.start();
    }

    private static String output(Process pod) throws IOException {
        return new String(pod.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
