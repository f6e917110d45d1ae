package dev.superfactory.report.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.report.Json;
import dev.superfactory.report.ResultJson;
import dev.superfactory.sim.Simulation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code result.json} pinned byte for byte (without its {@code run} section, the only part that
 * differs between runs) for the {@link GoldenScenarios}. The golden files were written by the
 * tree-building {@code ResultJson.build} before the typed result replaced it; a change to the
 * simulation or to the JSON shows up here as a diff to review, and a deliberate one is a new
 * golden file.
 */
class ResultJsonGoldenTest {
  static Stream<GoldenScenarios.Golden> goldens() {
    return GoldenScenarios.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void theResultJsonIsByteForByteThePinnedOne(GoldenScenarios.Golden golden) throws IOException {
    String json = Json.pretty(ResultJson.build(new Simulation(golden.scenario().get()).run()));
    assertThat(json).isEqualTo(golden(golden.name()));
  }

  static String golden(String name) throws IOException {
    String resource = "golden/" + name + ".json";
    try (InputStream in = ResultJsonGoldenTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
