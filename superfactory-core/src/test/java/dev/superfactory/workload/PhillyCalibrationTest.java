package dev.superfactory.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.superfactory.scenario.Presets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The experiment class's run times are calibrated to Philly's published run times
 * (shared/data/traces/reference-stats/philly_runtime.csv, 83,154 jobs): its median and 90th
 * percentile stay within 10% of Philly's.
 */
class PhillyCalibrationTest {
  private static Path file() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/data/traces/reference-stats/philly_runtime.csv");
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  @Test
  void experimentDurationsMatchPhillysMedianAndP90() throws Exception {
    Path file = file();
    if (System.getenv("SUPERFACTORY_REQUIRE_SHARED") != null) {
      assertThat(file).as("reference-stats beside the checkout").isNotNull();
    }
    Assumptions.assumeTrue(file != null, "no shared/data/traces/reference-stats above the working directory");
    double[] runtimes = Files.readAllLines(file).stream().skip(1).filter(l -> !l.isBlank())
        .mapToDouble(Double::parseDouble).sorted().toArray();
    assertThat(runtimes).hasSize(83_154);
    double median = runtimes[runtimes.length / 2];
    double p90 = runtimes[(int) (runtimes.length * 0.9)];
    LogNormal experiment = Presets.load("fairwater").workload().classes().stream()
        .filter(c -> c.name().equals("experiment")).findFirst().orElseThrow().duration();
    assertThat(experiment.median()).isCloseTo(median, within(median * 0.1));
    assertThat(experiment.p90()).isCloseTo(p90, within(p90 * 0.1));
    assertThat(Arrays.stream(runtimes).max().orElseThrow()).isGreaterThan(experiment.max()); // Philly's tail is longer
  }
}
