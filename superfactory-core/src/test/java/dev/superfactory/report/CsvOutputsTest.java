package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.report.result.GoldenScenarios;
import dev.superfactory.report.result.ResultJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvOutputsTest {
  @TempDir Path dir;

  /** Four days sampled every two hours: 48 rows, values as result.json writes them. */
  @Test
  void theTimeseriesHasAColumnPerSeriesAndARowPerSample() throws IOException {
    Path file = dir.resolve("timeseries.csv");
    CsvOutputs.writeTimeseries(GoldenScenarios.result("two-sites-failures"), file);
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1 + 48);
    assertThat(lines.get(0))
        .isEqualTo("hours,allocated,site_east,site_west,tenant_lab,tenant_startup,pending_jobs,pending_gpus,running_jobs");
    assertThat(lines.get(1)).isEqualTo("2.0,0.38436,0.26873,0.5,0.27898,0.10538,0,0,3");
    assertThat(lines.get(48)).startsWith("96.0,");
  }

  @Test
  void aSampleThatCouldNotBeMeasuredIsAnEmptyCell() throws IOException {
    ObjectNode json = (ObjectNode) Json.mapper().readTree(GoldenScenarios.json("two-sites-failures"));
    ((ArrayNode) json.get("timeseries").get("allocated")).setNull(0);
    Path file = dir.resolve("timeseries.csv");
    CsvOutputs.writeTimeseries(ResultJson.fromTree(json), file);
    assertThat(Files.readAllLines(file).get(1)).isEqualTo("2.0,,0.26873,0.5,0.27898,0.10538,0,0,3");
  }
}
