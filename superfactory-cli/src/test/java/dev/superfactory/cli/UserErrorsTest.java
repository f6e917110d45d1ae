package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user error is one line naming the option or file and what is wrong, with exit status 2. */
class UserErrorsTest {
  private static final String NL = System.lineSeparator();

  @TempDir Path dir;

  private static void assertOneLineError(CliRun r, String expected) {
    assertThat(r.status()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("superfactory: " + expected + NL);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void outFolderUnderARegularFileIsRefusedWithTheReasonBeforeTheRun() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");
    Path out = file.resolve("run");
    // 20,000 simulated days would take hours: the check must come first
    assertOneLineError(CliRun.of("simulate", "--preset", "single-site", "--days", "20000", "--out", out.toString()),
        "--out " + out + ": cannot create the output folder: not a directory: " + file + " is a file");
    assertOneLineError(CliRun.of("compare", "--preset", "single-site", "--days", "20000", "--policies", "fifo,las",
        "--out", out.toString()),
        "--out " + out + ": cannot create the output folder: not a directory: " + file + " is a file");
    assertOneLineError(CliRun.of("simulate", "--preset", "single-site", "--days", "20000", "--out", file.toString()),
        "--out " + file + ": cannot create the output folder: exists and is not a directory");
  }

  @Test
  void unwritableOutputFileOfWorkloadGenerateIsRefusedBeforeGenerating() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");
    Path csv = file.resolve("jobs.csv");
    assertOneLineError(CliRun.of("workload", "generate", "--preset", "single-site", "--days", "20000", "-o",
        csv.toString()), "-o " + csv + ": cannot create its folder: not a directory: " + file + " is a file");
    assertOneLineError(CliRun.of("workload", "generate", "--preset", "single-site", "-o", dir.toString(), "--force"),
        "-o " + dir + ": cannot write: is a directory");
    assertOneLineError(CliRun.of("scenario", "init", "-o", csv.toString()),
        "-o " + csv + ": cannot create its folder: not a directory: " + file + " is a file");
  }

  @Test
  void theWritabilityCheckLeavesNothingBehind() throws Exception {
    Path out = dir.resolve("a/b/out");
    OutputPaths.directory("--out", out);
    try (var files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
    Path csv = dir.resolve("c/jobs.csv");
    OutputPaths.file("-o", csv);
    assertThat(csv).doesNotExist();
    Path kept = Files.writeString(dir.resolve("kept.csv"), "old content");
    OutputPaths.file("-o", kept);
    assertThat(kept).hasContent("old content");
  }

  @Test
  void aRunThatFailsLeavesNoEmptyOutputFolderBehind() throws Exception {
    Path trace = Files.writeString(dir.resolve("bad.csv"), "tenant,submit_seconds,gpus,duration_seconds\nteam-a,0,-8,60\n");
    for (String command : new String[] {"simulate", "compare"}) {
      Path out = dir.resolve("new-" + command).resolve("run");
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command, "--preset", "single-site",
          "--trace", "native:" + trace, "--out", out.toString()));
      if (command.equals("compare")) {
        args.addAll(java.util.List.of("--policies", "fifo,las"));
      }
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertThat(r.status()).as(r.err()).isEqualTo(2);
      assertThat(dir.resolve("new-" + command)).doesNotExist();
    }
  }

  @Test
  void zeroAndNegativeValuesNameTheOptionAndTheRule() {
    assertOneLineError(CliRun.of("simulate", "--days", "0"),
        "--days: must be greater than 0, got 0 (see 'superfactory simulate --help')");
    assertOneLineError(CliRun.of("simulate", "--trace", "native:x.csv", "--speedup", "0"),
        "--speedup: must be greater than 0, got 0 (see 'superfactory simulate --help')");
    assertOneLineError(CliRun.of("compare", "--policies", "fifo", "--jobs", "0"),
        "--jobs: must be greater than 0, got 0 (see 'superfactory compare --help')");
    assertOneLineError(CliRun.of("workload", "generate", "-o", "x.csv", "--warmup", "-1"),
        "--warmup: must be 0 or more, got -1 (see 'superfactory workload generate --help')");
    assertOneLineError(CliRun.of("bench", "--repeat", "0"),
        "--repeat: must be greater than 0, got 0 (see 'superfactory bench --help')");
    assertOneLineError(CliRun.of("estimate", "--model", "llama3-70b", "--gpus", "64", "--days", "0"),
        "--days: must be greater than 0, got 0 (see 'superfactory estimate --help')");
    assertOneLineError(CliRun.of("simulate", "--days", "30000"), "--days: must be at most 21,900 days (60 years), got 30000");
    assertOneLineError(CliRun.of("bench", "--days", "4000.5"), "--days: must be at most 3,650 days (10 years), got 4000.5");
  }

  @Test
  void textWhereANumberBelongsIsNotANumber() {
    assertOneLineError(CliRun.of("simulate", "--load", "abc"),
        "--load: 'abc' is not a number (see 'superfactory simulate --help')");
    assertOneLineError(CliRun.of("simulate", "--seed", "1.5"),
        "--seed: '1.5' is not a whole number (see 'superfactory simulate --help')");
    assertOneLineError(CliRun.of("estimate", "--model", "llama3-70b", "--gpus", "many"),
        "--gpus: 'many' is not a whole number (see 'superfactory estimate --help')");
    assertOneLineError(CliRun.of("simulate", "--load", "NaN"),
        "--load: 'NaN' is not a finite number (see 'superfactory simulate --help')");
  }

  @Test
  void aBinaryScenarioFileIsNotText() throws Exception {
    Path bin = dir.resolve("scenario.yaml");
    Files.write(bin, new byte[] {'a', ':', ' ', '1', '\n', 'b', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
    assertOneLineError(CliRun.of("scenario", "check", bin.toString()),
        bin + ":2: not a text YAML file (invalid UTF-8 at byte offset 8)");
    Files.write(bin, new byte[] {'a', ':', ' ', 0, '\n'});
    assertOneLineError(CliRun.of("simulate", bin.toString()),
        bin + ":1: not a text YAML file (a NUL byte at byte offset 3)");
  }

  @Test
  void theOldJsonDashIsExplained() {
    assertOneLineError(CliRun.of("simulate", "--json", "-"),
        "-: not a scenario file (standard input is not read; --json takes no argument)");
  }

  @Test
  void aHorizonBelowOneSecondIsAUserErrorNotACrash() {
    assertOneLineError(CliRun.of("simulate", "--preset", "single-site", "--days", "0.000001", "--out",
        dir.resolve("x").toString()), "--days: must be at least one second (0.0000116 days), got 1.0E-6");
  }

  @Test
  void aTraceWithNoJobInTheMeasuredWindowIsRefused() throws Exception {
    Path jobs = Files.writeString(dir.resolve("tiny.csv"),
        "tenant,submit_seconds,gpus,duration_seconds\nteam-a,60,8,600\nteam-a,120,8,600\n");
    // single-site warms up for 7 days: both jobs fall in the warm-up, the window would measure nothing
    assertOneLineError(CliRun.of("simulate", "--preset", "single-site", "--days", "1", "--trace", "native:" + jobs,
        "--out", dir.resolve("x").toString()), "native:" + jobs + ": none of its 2 jobs is submitted in the measured"
        + " window (day 7.0 to day 8.0, after 7.0 days of warm-up): they are submitted from day 0.0 to day 0.0;"
        + " change --warmup or --days");
    CliRun measured = CliRun.of("simulate", "--preset", "single-site", "--days", "1", "--warmup", "0", "--trace",
        "native:" + jobs, "--out", dir.resolve("y").toString());
    assertThat(measured.status()).as(measured.err()).isZero();
  }
}
