package dev.superfactory.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code superfactory sweep --engine spark} in-process: the CLI finds this engine with ServiceLoader. */
class SparkSweepCommandTest {
  @Test
  void sweepWithEngineSparkRunsEveryPointAndWritesTheSummary(@TempDir Path tmp) throws IOException {
    Path file = SweepFiles.smallSweep(tmp);
    Path out = tmp.resolve("out");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();

    int status = Main.run(new String[] {"sweep", file.toString(), "--engine", "spark", "--master", "local[2]",
        "--out", out.toString()}, new PrintWriter(stdout), new PrintWriter(stderr));

    assertThat(status).as(stderr.toString()).isZero();
    assertThat(stdout.toString()).contains("running 4 on the spark engine");
    assertThat(stderr.toString()).contains("Spark local[2]: 2 cores, 4 tasks");
    assertThat(out.resolve("sweep.json")).isRegularFile();
    assertThat(out.resolve("rows.jsonl")).content().hasLineCount(4);
  }
}
