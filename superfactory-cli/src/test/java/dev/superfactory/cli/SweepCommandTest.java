package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
  /** 2 loads × 2 policies × 2 seeds on single-site, 2 simulated days each: 8 points in about a second. */
  private static final String SMALL = """
      name: small
      scenario: single-site
      set: {horizon: 2d, warmup: 0}
      axes:
        - path: load
          values: [0.6, 0.9]
        - path: policy
          values: [fifo-backfill, las]
      seeds: 2
      objective: maximize util where payback > 0
      """;

  private static Path write(Path dir, String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private static Map<String, FileTime> storedResults(Path out) throws IOException {
    Map<String, FileTime> stored = new TreeMap<>();
    Path points = out.resolve("points");
    if (!Files.isDirectory(points)) {
      return stored;
    }
    try (Stream<Path> dirs = Files.list(points)) {
      for (Path d : dirs.toList()) {
        if (Files.isRegularFile(d.resolve("row.json"))) {
          stored.put(d.getFileName().toString(), Files.getLastModifiedTime(d.resolve("result.json")));
        }
      }
    }
    return stored;
  }

  @Test
  void runsEveryPointWritesTheSummariesAndARerunRunsNothing(@TempDir Path dir) throws IOException {
    Path sweep = write(dir, "small.yaml", SMALL);
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("sweep", sweep.toString(), "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Sweep small on preset single-site: 2 × load, 2 × policy, 2 seeds = 8 points\n"
        + "running 8 on the local engine into " + out + "\n");
    assertThat(r.out()).contains("Best (maximize util where payback > 0): load=0.9, policy=");
    assertThat(r.err()).contains("sweep: 8/8 points");
    for (String f : List.of("sweep.json", "sweep.csv", "rows.jsonl", "points/p0001/result.json",
        "points/p0008/row.json")) {
      assertThat(out.resolve(f)).isRegularFile();
    }
    assertThat(Files.readAllLines(out.resolve("rows.jsonl"))).hasSize(8);
    assertThat(Files.readAllLines(out.resolve("sweep.csv"))).hasSize(5);
    JsonNode json = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
    assertThat(json.get("cells")).hasSize(4);
    assertThat(json.get("cells").get(3).get("axes").get("policy").asText()).isEqualTo("las");
    assertThat(json.get("cells").get(0).get("runs").asInt()).isEqualTo(2);

    Map<String, FileTime> before = storedResults(out);
    String summary = Files.readString(out.resolve("sweep.json"));
    CliRun again = CliRun.of("sweep", sweep.toString(), "--out", out.toString());
    assertThat(again.status()).as(again.err()).isZero();
    assertThat(again.out()).contains("8 already done, nothing to run on the local engine");
    assertThat(storedResults(out)).isEqualTo(before);
    assertThat(Files.readString(out.resolve("sweep.json"))).isEqualTo(summary); // rebuilt from the stored rows
  }

  @Test
  void aChangedPointIsRunAgainAndTheOthersAreKept(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    Path sweep = write(dir, "small.yaml", SMALL);
    assertThat(CliRun.of("sweep", sweep.toString(), "--out", out.toString()).status()).isZero();
    Map<String, FileTime> before = storedResults(out);
    write(dir, "small.yaml", SMALL.replace("values: [fifo-backfill, las]", "values: [fifo-backfill, fair-share]"));
    CliRun r = CliRun.of("sweep", sweep.toString(), "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("4 already done, running 4 on the local engine");
    Map<String, FileTime> after = storedResults(out);
    for (String kept : List.of("p0001", "p0002", "p0005", "p0006")) {
      assertThat(after.get(kept)).isEqualTo(before.get(kept));
    }
    // the las points went to points/.stale, out of the way; going back to las takes them back without a run
    try (Stream<Path> stale = Files.list(out.resolve("points/.stale"))) {
      assertThat(stale.count()).isEqualTo(4);
    }
    write(dir, "small.yaml", SMALL);
    CliRun back = CliRun.of("sweep", sweep.toString(), "--out", out.toString());
    assertThat(back.out()).contains("8 already done, nothing to run");
    assertThat(storedResults(out).get("p0003")).isEqualTo(before.get("p0003"));
  }

  @Test
  void aValueAddedToAnAxisRunsOnlyItsPoints(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    Path sweep = write(dir, "small.yaml", SMALL);
    assertThat(CliRun.of("sweep", sweep.toString(), "--out", out.toString()).status()).isZero();
    String lastResult = Files.readString(out.resolve("points/p0008/result.json"));
    write(dir, "small.yaml", SMALL.replace("values: [0.6, 0.9]", "values: [0.6, 0.75, 0.9]"));
    CliRun r = CliRun.of("sweep", sweep.toString(), "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("8 already done, running 4 on the local engine");
    // load 0.9's points moved from p0005..p0008 to p0009..p0012, their rows renumbered
    assertThat(Files.readString(out.resolve("points/p0012/result.json"))).isEqualTo(lastResult);
    assertThat(Files.readString(out.resolve("points/p0012/row.json"))).contains("\"id\" : \"p0012\"");
    List<String> rows = Files.readAllLines(out.resolve("rows.jsonl"));
    assertThat(rows).hasSize(12);
    assertThat(rows.get(4)).contains("\"index\":4,\"id\":\"p0005\"").contains("\"load\":\"0.75\"");
    assertThat(rows.get(11)).contains("\"index\":11,\"id\":\"p0012\"").contains("\"load\":\"0.9\"");
    CliRun again = CliRun.of("sweep", sweep.toString(), "--out", out.toString());
    assertThat(again.out()).contains("12 already done, nothing to run");
  }

  @Test
  void aSweepKilledMidwayResumesWithOnlyTheMissingPoints(@TempDir Path dir) throws Exception {
    Path sweep = write(dir, "resume.yaml", """
        name: resume
        scenario: single-site
        set: {horizon: 4d, warmup: 0}
        axes:
          - path: load
            range: {from: 0.5, to: 0.95, step: 0.05}
        """);
    Path out = dir.resolve("out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "sweep", sweep.toString(), "--out", out.toString(), "--parallel", "1")
        .redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (storedResults(out).size() < 3) {
        assertThat(p.isAlive()).as("the sweep ended before it could be killed: "
            + Files.readString(dir.resolve("first.log"))).isTrue();
        assertThat(System.nanoTime()).as("3 points stored within 120 s").isLessThan(deadline);
        Thread.sleep(20);
      }
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook, points in flight are lost
      p.waitFor();
    }
    Map<String, FileTime> before = storedResults(out);
    int done = before.size();
    assertThat(done).isBetween(3, 9);
    CliRun r = CliRun.of("sweep", sweep.toString(), "--out", out.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains(done + " already done, running " + (10 - done) + " on the local engine");
    Map<String, FileTime> after = storedResults(out);
    assertThat(after).hasSize(10);
    before.forEach((id, time) -> assertThat(after.get(id)).as(id + " kept").isEqualTo(time));
    assertThat(Files.readAllLines(out.resolve("rows.jsonl"))).hasSize(10);
  }

  @Test
  void aSecondSweepIntoTheSameFolderIsRefused(@TempDir Path dir) throws IOException {
    Path sweep = write(dir, "small.yaml", SMALL);
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(out.resolve(".sweep.lock"),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock held = ch.lock()) {
      CliRun.of("sweep", sweep.toString(), "--out", out.toString()).assertOneLineError("superfactory: --out " + out
          + ": another sweep is running into this folder; wait for it or give another --out");
    }
    assertThat(out.resolve("points")).doesNotExist();
    assertThat(CliRun.of("sweep", sweep.toString(), "--out", out.toString()).status()).isZero();
  }

  @Test
  void listPrintsThePointsWithoutRunningThem(@TempDir Path dir) throws IOException {
    Path sweep = write(dir, "small.yaml", SMALL);
    CliRun r = CliRun.of("sweep", sweep.toString(), "--list");
    assertThat(r.status()).as(r.err()).isZero();
    List<String> lines = new ArrayList<>(r.out().lines().toList());
    assertThat(lines).containsExactly(
        "Sweep small on preset single-site: 2 × load, 2 × policy, 2 seeds = 8 points",
        "point  load  policy         seed",
        "-----  ----  -------------  ----",
        "p0001  0.6   fifo-backfill     7",
        "p0002  0.6   fifo-backfill     8",
        "p0003  0.6   las               7",
        "p0004  0.6   las               8",
        "p0005  0.9   fifo-backfill     7",
        "p0006  0.9   fifo-backfill     8",
        "p0007  0.9   las               7",
        "p0008  0.9   las               8");
  }

  @Test
  void mistakesAreOneLineWithExitStatusTwo(@TempDir Path dir) throws IOException {
    Path sweep = write(dir, "small.yaml", SMALL);
    Path typo = write(dir, "typo.yaml", SMALL.replace("path: load", "path: workload.offeredLod"));
    CliRun.of("sweep", typo.toString(), "--list").assertOneLineError("superfactory: " + typo
        + ":5: axes[0].path: 'workload.offeredLod' is not a scenario field; nearest valid path: 'workload.offeredLoad'");
    CliRun.of("sweep", sweep.toString(), "--engine", "flink").assertOneLineError(
        "superfactory: --engine: unknown engine 'flink' (known: local, spark)");
    CliRun.of("sweep", sweep.toString(), "--engine", "spark").assertOneLineError(
        "superfactory: --engine spark: the Spark engine is not on the class path; …");
    CliRun.of("sweep", sweep.toString(), "--master", "local[2]").assertOneLineError(
        "superfactory: --master: applies to --engine spark");
    CliRun.of("sweep", sweep.toString(), "--objective", "min wait").assertOneLineError(
        "superfactory: --objective: unknown output 'wait' (known: …)");
    CliRun.of("sweep", dir.resolve("none.yaml").toString()).assertOneLineError(
        "superfactory: " + dir.resolve("none.yaml") + ": no such file");
    Path noScenario = write(dir, "nobase.yaml", "scenario: fairweather\n");
    CliRun.of("sweep", noScenario.toString()).assertOneLineError("superfactory: " + noScenario
        + ":1: scenario: no preset or scenario file 'fairweather'; did you mean the preset 'fairwater'?");
  }

  @Test
  void aScenarioFileIsFoundBesideTheSweep(@TempDir Path dir) throws IOException {
    CliRun init = CliRun.of("scenario", "init", "--preset", "single-site", "-o", dir.resolve("base.yaml").toString());
    assertThat(init.status()).as(init.err()).isZero();
    Path sweep = write(dir, "s.yaml", "scenario: base.yaml\nset: {horizon: 1d, warmup: 0}\naxes:\n"
        + "  - {path: policy, values: [fifo, las]}\n");
    CliRun r = CliRun.of("sweep", sweep.toString(), "--out", dir.resolve("o").toString(), "--json");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("scenario").asText()).isEqualTo(dir.resolve("base.yaml").toString());
    assertThat(json.get("points").asInt()).isEqualTo(2);
  }
}
