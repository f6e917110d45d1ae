package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./superfactory} launcher, run by bash on a copy of the repository layout with a stand-in
 * {@code mvn} (it only creates the jar) and a stand-in {@code java} (it echoes its arguments): a real
 * build takes minutes and is what {@code mvn verify} itself does.
 */
class LauncherTest {
  @TempDir Path root;

  @Test
  void theFirstBuildSaysSoBeforeItStartsAndLaterRunsDoNot() throws Exception {
    Files.copy(Path.of("..", "superfactory"), root.resolve("superfactory"));
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    Path bin = Files.createDirectories(root.resolve("bin"));
    script(bin.resolve("mvn"), "mkdir -p superfactory-cli/target && touch superfactory-cli/target/superfactory.jar");
    script(bin.resolve("java"), "echo \"java $*\"");
    Run first = launch(bin);
    assertThat(first.err()).startsWith("building superfactory (first run, ~1-2 min; Maven log: .superfactory/build.log)…\n");
    assertThat(first.out()).contains("-jar " + root.resolve("superfactory-cli/target/superfactory.jar") + " --version");
    Run second = launch(bin);
    assertThat(second.err()).isEmpty();
  }

  @Test
  void theCommandRunsWithoutTheBuildLockSoALongServeBlocksNoLaterBuild() throws Exception {
    Files.copy(Path.of("..", "superfactory"), root.resolve("superfactory"));
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    Path bin = Files.createDirectories(root.resolve("bin"));
    script(bin.resolve("mvn"), "mkdir -p superfactory-cli/target && touch superfactory-cli/target/superfactory.jar");
    // the stand-in java tries the lock as another launcher would while this command still runs
    script(bin.resolve("java"), "if flock -n " + root.resolve(".superfactory/build.lock")
        + " true; then echo lock-free; else echo lock-held; fi");
    assertThat(launch(bin).out()).as("after a build").isEqualTo("lock-free\n");
    assertThat(launch(bin).out()).as("with nothing to build").isEqualTo("lock-free\n");
  }

  private record Run(String out, String err) {}

  private Run launch(Path bin) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("superfactory").toString(), "--version");
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("SUPERFACTORY_JAVA", bin.resolve("java").toString());
    Path out = root.resolve("out.txt");
    Path err = root.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    return new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private static void script(Path file, String body) throws Exception {
    Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
