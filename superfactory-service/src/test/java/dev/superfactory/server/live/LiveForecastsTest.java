package dev.superfactory.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.superfactory.sched.KernelDigest;
import dev.superfactory.sched.Scheduler;
import dev.superfactory.server.ControlPlane;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Start-time forecasts served live: a queued job gets {@code estimatedStart} and {@code forecast}
 * from the twin forked off the live kernel, equal with exact run times to the start worked out by
 * hand, and forecasting never moves the live kernel. No agents run, so nothing ends on its own:
 * the kernel holds the placed jobs as running until their declared ends.
 */
class LiveForecastsTest extends LiveTestBase {

    private static final LiveForecasts.Settings OFTEN = new LiveForecasts.Settings(Duration.ofMillis(50), 8,
            Duration.ofDays(7), 2, 1, 0);

    private ControlPlane startWithForecasts(LiveForecasts.Settings forecasts) {
        return start(new ControlPlane.Settings(0, 1, false, Duration.ofMillis(2), Duration.ofMillis(10), Duration.ofHours(1))
                .withForecasts(forecasts));
    }

    @Test
    void aQueuedJobIsForecastToStartWhenTheTenantsRunningJobEndsAndTheDrawsEndItNoLater() throws Exception {
        startWithForecasts(OFTEN);
        long a = submit(alpha, 32, 3600);
        await(alpha, a, j -> !j.get("state").asText().equals("queued") && !j.get("state").asText().equals("submitted"));
        long b = submit(alpha, 16, 1800);
        await(alpha, b, j -> !j.get("state").asText().equals("queued") && !j.get("state").asText().equals("submitted"));
        long c = submit(alpha, 8, 600); // alpha holds 48 of its 48: c waits for b, the first to end
        long bEnds = plane.scheduler().query(k -> k.expectedEnd(b)).get(10, TimeUnit.SECONDS);

        JsonNode queued = await(alpha, c, j -> j.has("forecast"));
        JsonNode f = queued.get("forecast");
        assertThat(queued.get("state").asText()).isEqualTo("queued");
        assertThat(queued.get("pending").get("reason").asText()).isEqualTo("TENANT_LIMIT");
        assertThat(Instant.parse(f.get("exact").asText())).as("exact run times: c starts when b ends")
                .isEqualTo(Instant.ofEpochSecond(bEnds));
        Instant asOf = Instant.parse(f.get("asOf").asText());
        Instant p50 = Instant.parse(f.get("p50").asText());
        Instant p90 = Instant.parse(f.get("p90").asText());
        assertThat(p50).as("drawn run times end b at or before its limit, not before the forecast")
                .isBetween(asOf, Instant.ofEpochSecond(bEnds));
        assertThat(p90).isBetween(p50, Instant.ofEpochSecond(bEnds));
        assertThat(queued.get("estimatedStart").asText()).isEqualTo(f.get("p50").asText());
        assertThat(Instant.parse(f.get("horizonEnd").asText())).as("a week from the kernel's last pass, before asOf")
                .isBetween(asOf.plus(Duration.ofDays(7)).minusSeconds(60), asOf.plus(Duration.ofDays(7)));

        JsonNode listed = call("GET", "/v1/jobs?state=queued", alpha, null, 200).get("items").get(0);
        assertThat(listed.get("id").asLong()).isEqualTo(c);
        assertThat(listed.get("forecast").get("exact")).isEqualTo(f.get("exact"));
        JsonNode running = job(alpha, a);
        assertThat(running.has("forecast")).as("only queued jobs are forecast").isFalse();
        assertThat(running.has("estimatedStart")).isFalse();
    }

    @Test
    void withSimulatedAgentsAtATimeScaleTheForecastRunsJobsThatMuchFaster() throws Exception {
        start(new ControlPlane.Settings(0, 100, true, Duration.ofMillis(2), Duration.ofMillis(10), Duration.ofHours(1))
                .withForecasts(OFTEN));
        long a = submit(alpha, 32, 36_000); // 10 hours declared: 360 s at 100×
        awaitState(alpha, a, "running");
        long b = submit(alpha, 16, 36_000);
        awaitState(alpha, b, "running");
        long c = submit(alpha, 8, 600);
        long bEnds = plane.scheduler().query(k -> k.expectedEnd(b)).get(10, TimeUnit.SECONDS);

        JsonNode f = await(alpha, c, j -> j.has("forecast")).get("forecast");
        long bStarted = bEnds - 36_000;
        assertThat(Instant.parse(f.get("exact").asText())).as("b ends 360 s after its start, as its agent runs it")
                .isBetween(Instant.ofEpochSecond(bStarted + 359), Instant.ofEpochSecond(bStarted + 361));
    }

    @Test
    void forecastingNeverMovesTheLiveKernel() throws Exception {
        startWithForecasts(OFTEN);
        long a = submit(alpha, 32, 3600);
        await(alpha, a, j -> !j.get("state").asText().equals("queued") && !j.get("state").asText().equals("submitted"));
        submit(alpha, 16, 1800);
        long c = submit(alpha, 24, 600);
        await(alpha, c, j -> j.has("forecast"));
        KernelDigest before = plane.scheduler().query(Scheduler::digest).get(10, TimeUnit.SECONDS);
        long forecasts = plane.forecasts().forecasts();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (plane.forecasts().forecasts() < forecasts + 3) {
            assertThat(System.nanoTime()).as("three more forecasts within 10 s").isLessThan(deadline);
            sleep(20);
        }
        KernelDigest after = plane.scheduler().query(Scheduler::digest).get(10, TimeUnit.SECONDS);
        assertThat(after.firstDifference(before)).as("the live kernel after three forecasts").isNull();
        assertThat(job(alpha, c).get("state").asText()).isEqualTo("queued");
    }

    @Test
    void withForecastsOffNoJobCarriesOne() throws Exception {
        startWithForecasts(LiveForecasts.Settings.OFF);
        long a = submit(alpha, 32, 3600);
        await(alpha, a, j -> !j.get("state").asText().equals("queued") && !j.get("state").asText().equals("submitted"));
        long b = submit(alpha, 16, 3600);
        await(alpha, b, j -> !j.get("state").asText().equals("queued") && !j.get("state").asText().equals("submitted"));
        long c = submit(alpha, 8, 600);
        await(alpha, c, j -> j.get("state").asText().equals("queued"));
        sleep(300);
        JsonNode queued = job(alpha, c);
        assertThat(queued.has("forecast")).isFalse();
        assertThat(plane.forecasts().forecasts()).isZero();
    }
}
