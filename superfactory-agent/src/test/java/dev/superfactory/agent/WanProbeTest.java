package dev.superfactory.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WanProbeTest {

    @Test
    void aLinkIsCutAfterThreeFailedProbesInARowAndUpAfterTwoGoodOnes() {
        WanProbe probe = WanProbe.idle(List.of(WanProbe.Target.parse("atlanta=127.0.0.1:1")));
        try {
            probe.record("atlanta", "refused");
            probe.record("atlanta", "refused");
            assertThat(probe.verdict()).as("no verdict before a streak long enough").isNull();
            probe.record("atlanta", null); // one good probe breaks the streak
            probe.record("atlanta", "refused");
            assertThat(probe.verdict()).isNull();
            probe.record("atlanta", "refused");
            assertThat(probe.cut()).isEmpty();
            assertThat(probe.verdict()).as("a flapping link has a verdict after 5 probes: up").isEmpty();
            probe.record("atlanta", "refused");
            assertThat(probe.cut()).containsOnlyKeys("atlanta");
            assertThat(probe.verdict()).isEqualTo(probe.cut());
            assertThat(probe.cut().get("atlanta")).isEqualTo("3 probes in a row failed: refused");
            probe.record("atlanta", null);
            assertThat(probe.cut()).as("one good probe is not enough").containsOnlyKeys("atlanta");
            probe.record("atlanta", null);
            assertThat(probe.cut()).isEmpty();
        } finally {
            probe.close();
        }
    }

    @Test
    void aRealEndpointThatStopsAcceptingIsCutAndBackWhenItListensAgain() throws Exception {
        ServerSocket endpoint = new ServerSocket();
        endpoint.setReuseAddress(true);
        endpoint.bind(new InetSocketAddress("127.0.0.1", 0));
        int port = endpoint.getLocalPort();
        WanProbe probe = WanProbe.start(List.of(WanProbe.Target.parse("atlanta=127.0.0.1:" + port)), Duration.ofMillis(20),
                Duration.ofMillis(200));
        try {
            Thread.sleep(200);
            assertThat(probe.cut()).isEmpty();
            endpoint.close();
            awaitUntil(() -> !probe.cut().isEmpty());
            assertThat(probe.cut().get("atlanta")).startsWith("3 probes in a row failed: no TCP connection to 127.0.0.1:" + port);
            endpoint = new ServerSocket();
            endpoint.setReuseAddress(true);
            endpoint.bind(new InetSocketAddress("127.0.0.1", port));
            awaitUntil(() -> probe.cut().isEmpty());
        } finally {
            probe.close();
            endpoint.close();
        }
    }

    @Test
    void aTargetIsSiteEqualsHostColonPort() {
        assertThat(WanProbe.Target.parse("atlanta=10.1.2.3:6820")).isEqualTo(new WanProbe.Target("atlanta", "10.1.2.3", 6820));
        assertThat(WanProbe.Target.parse("a=[::1]:22")).isEqualTo(new WanProbe.Target("a", "::1", 22));
        assertThatThrownBy(() -> WanProbe.Target.parse("atlanta:6820")).hasMessage("'atlanta:6820' is not SITE=HOST:PORT");
        assertThatThrownBy(() -> WanProbe.Target.parse("atlanta=h:0")).hasMessage("'atlanta=h:0': the port must be 1..65535");
        assertThatThrownBy(() -> WanProbe.Target.parse("atlanta=h:")).hasMessage("'atlanta=h:' is not SITE=HOST:PORT");
    }

    private static void awaitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
