package dev.superfactory.report.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.input.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultJsonTest {
  @TempDir Path dir;

  @Test
  void aMeasureThatCouldNotBeTakenIsNullInTheFileAndNaNInTheRecord() {
    DurationStats none = ResultJson.parse("{\"jobs\": 0, \"meanHours\": null, \"p50Hours\": 1.5}", DurationStats.class);
    assertThat(none.jobs()).isZero();
    assertThat(none.meanHours()).isNaN();
    assertThat(none.p50Hours()).isEqualTo(1.5);
    assertThat(none.maxHours()).as("missing").isNaN();
    assertThat(ResultJson.pretty(none)).contains("\"meanHours\" : null,").contains("\"p50Hours\" : 1.5,")
        .contains("\"maxHours\" : null");
    Samples cdf = ResultJson.parse("[0.5, null, 1]", Samples.class);
    assertThat(cdf.get(0)).isEqualTo(0.5);
    assertThat(cdf.get(1)).isNaN();
    assertThat(ResultJson.pretty(cdf)).isEqualTo("[ 0.5, null, 1.0 ]\n");
  }

  @Test
  void anAbsentOptionalValueStaysAbsent() {
    ScenarioInfo trace = new ScenarioInfo("t", "trace", 1, 2.0, 0.0, "fifo", null, "openb:x.csv", null, 0.5, 1.0);
    String json = ResultJson.pretty(trace);
    assertThat(json).doesNotContain("offeredLoad").doesNotContain("siteChoice");
    assertThat(ResultJson.parse(json, ScenarioInfo.class)).isEqualTo(trace);
    assertThat(ResultJson.pretty(trace.withoutPolicy())).doesNotContain("policy").contains("\"source\" : \"trace\"");
  }

  @Test
  void aRenamedKeyIsAnErrorNamingWhereItIs() {
    String json = ResultJsonGoldenTest.golden("two-sites-failures").replace("\"crossSiteGpuHours\"", "\"crossSiteHours\"");
    assertThatThrownBy(() -> ResultJson.parse(json, RunResult.class))
        .hasMessageContaining("crossSiteHours").hasMessageContaining("[\"jobs\"]");
  }

  @Test
  void aValueOfTheWrongTypeIsAnErrorNamingWhereItIs() {
    String json = ResultJsonGoldenTest.golden("two-sites-failures").replaceFirst("\"pendingJobs\" : \\[ ", "\"pendingJobs\" : [ \"x\", ");
    assertThatThrownBy(() -> ResultJson.parse(json, RunResult.class))
        .hasMessageContaining("[\"timeseries\"]->").hasMessageContaining("[\"pendingJobs\"]");
  }

  @Test
  void aResultWithoutARequiredSectionIsRejected() {
    assertThatThrownBy(() -> ResultJson.parse("{\"fleet\": {\"totalGpus\": 8}}", RunResult.class))
        .hasMessageContaining("a result needs its scenario section");
  }

  @Test
  void aFileThatIsNotAResultIsAnInputErrorNamingTheFile() throws IOException {
    Path file = dir.resolve("result.json");
    Files.writeString(file, "{\"scenario\": 3}");
    assertThatThrownBy(() -> ResultJson.read(file)).isInstanceOf(InputException.class)
        .hasMessageStartingWith(file + ": not a result.json: ");
  }

  @Test
  void aResultWrittenToAFileReadsBackEqual() throws IOException {
    RunResult golden = GoldenScenarios.result("openb-tiny");
    Path file = dir.resolve("result.json");
    ResultJson.write(golden, file);
    assertThat(ResultJson.read(file)).isEqualTo(golden);
    assertThat(golden.trace().skipped()).containsEntry("cpuOnly", 1L);
    assertThat(golden.failuresSimulated()).isFalse();
  }
}
