package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastAccuracyCommandTest {
  @TempDir Path dir;

  @Test
  void printsTheTableAndWritesJsonAndCsvWithARowPerBucketAndMethod() throws Exception {
    CliRun r = CliRun.of("forecast-accuracy", "--preset", "single-site", "--days", "3", "--warmup", "2",
        "--load", "1.2", "--every", "12h", "--draws", "2", "--out", dir.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("Forecast accuracy: single-site, 3 days sampled every 12 h (6 samples)",
        "median |error| h", "within 2x", "forecast p50", "forecast exact", "baseline", "65-512", ">512",
        "forecast-accuracy.json, forecast-accuracy.csv, forecast-predictions.csv");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("forecast-accuracy.json").toFile());
    assertThat(json.get("samples").asInt()).isEqualTo(6);
    assertThat(json.get("rows")).hasSize(5 * 3);
    JsonNode all = json.get("rows").get(12);
    assertThat(all.get("bucket").asText()).isEqualTo("all");
    assertThat(all.get("method").asText()).isEqualTo("forecast p50");
    assertThat(all.get("predictions").asLong()).isPositive();
    assertThat(all.get("medianAbsErrorHours").asDouble()).isGreaterThanOrEqualTo(0);
    List<String> csv = Files.readAllLines(dir.resolve("forecast-accuracy.csv"));
    assertThat(csv).hasSize(1 + 15);
    assertThat(csv.get(0)).startsWith("bucket,method,predictions,jobs,not_started,");
    assertThat(csv.get(13)).startsWith("all,forecast p50," + all.get("predictions").asLong() + ",");
    List<String> each = Files.readAllLines(dir.resolve("forecast-predictions.csv"));
    assertThat(each.get(0)).isEqualTo("job,gpus,sample_s,exact_s,p50_s,p90_s,baseline_s,actual_s");
    assertThat(each).hasSize(1 + all.get("predictions").asInt() + all.get("notStarted").asInt());
  }

  @Test
  void aBadSampleIntervalOrRunTimeDrawIsOneLineNamingTheOption() {
    CliRun every = CliRun.of("forecast-accuracy", "--preset", "single-site", "--every", "soon", "--out",
        dir.resolve("a").toString());
    assertThat(every.status()).isEqualTo(2);
    assertThat(every.err().strip()).startsWith("superfactory: --every: ").doesNotContain("\n", "Exception");
    CliRun zero = CliRun.of("forecast-accuracy", "--preset", "single-site", "--every", "0h");
    assertThat(zero.status()).isEqualTo(2);
    assertThat(zero.err().strip()).isEqualTo("superfactory: --every: must be from 1 s to 365 days, got '0h'");
    CliRun draw = CliRun.of("forecast-accuracy", "--preset", "single-site", "--run-times", "2,0.5");
    assertThat(draw.status()).isEqualTo(2);
    assertThat(draw.err().strip()).startsWith("superfactory: --run-times: '2,0.5': atLimitShare=2.0 must be in [0, 1]")
        .doesNotContain("\n");
    assertThat(Files.exists(dir.resolve("a"))).isFalse();
  }
}
