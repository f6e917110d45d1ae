package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioCommandTest {
  @TempDir Path dir;

  @Test
  void initWritesACommentedFileThatLoadsBackUnchanged() throws Exception {
    Path file = dir.resolve("my.yaml");
    CliRun init = CliRun.of("scenario", "init", "--preset", "fairwater", "-o", file.toString());
    assertThat(init.status()).isZero();
    String text = Files.readString(file);
    assertThat(text).contains("# ", "ASSUMPTION");
    CliRun fromFile = CliRun.of("fleet", "show", "--json", file.toString());
    CliRun fromPreset = CliRun.of("fleet", "show", "--json", "--preset", "fairwater");
    assertThat(fromFile.status()).isZero();
    assertThat(fromFile.out()).isEqualTo(fromPreset.out());
  }

  @Test
  void initRefusesToOverwriteWithoutForce() throws Exception {
    Path file = dir.resolve("x.yaml");
    Files.writeString(file, "keep me");
    CliRun r = CliRun.of("scenario", "init", "-o", file.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(Files.readString(file)).isEqualTo("keep me");
    assertThat(CliRun.of("scenario", "init", "-o", file.toString(), "--force").status()).isZero();
  }

  @Test
  void checkValidatesAFile() throws Exception {
    Path file = dir.resolve("s.yaml");
    CliRun.of("scenario", "init", "--preset", "single-site", "-o", file.toString());
    CliRun ok = CliRun.of("scenario", "check", file.toString());
    assertThat(ok.status()).isZero();
    assertThat(ok.out()).contains("OK", "4,096 GPUs");
    Files.writeString(file, Files.readString(file).replace("gpu: h100", "gpu: h1000"));
    CliRun bad = CliRun.of("scenario", "check", file.toString());
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown GPU model 'h1000'", "known: a100, h100");
  }
}
