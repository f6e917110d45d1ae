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

  @Test
  void withEngineSparkItBuildsTheSparkModuleAndRunsTheCliOnSparksJars() throws Exception {
    Files.copy(Path.of("..", "superfactory"), root.resolve("superfactory"));
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    Path bin = Files.createDirectories(root.resolve("bin"));
    // the stand-in build writes the jar and a class path of two (empty) Spark jars, as the module's package does
    script(bin.resolve("mvn"), "echo \"mvn $*\" >>mvn-calls.txt; mkdir -p superfactory-spark/target"
        + " && touch superfactory-spark/target/superfactory-spark.jar spark-a.jar spark-b.jar"
        + " && printf %s \"$PWD/spark-a.jar:$PWD/spark-b.jar\" >superfactory-spark/target/spark-classpath.txt");
    script(bin.resolve("java"), "echo \"SPARK_USER=$SPARK_USER SPARK_LOCAL_IP=$SPARK_LOCAL_IP java $*\"");

    Run first = launch(bin, "sweep", "s.yaml", "--engine", "spark", "--master", "local[2]");

    assertThat(Files.readString(root.resolve("mvn-calls.txt"))).isEqualTo(
        "mvn -B -q -DskipTests -pl superfactory-spark -am package\n");
    String cp = root.resolve("superfactory-spark/target/superfactory-spark.jar") + ":" + root.resolve("spark-a.jar")
        + ":" + root.resolve("spark-b.jar");
    assertThat(first.out()).startsWith("SPARK_USER=" + System.getProperty("user.name") + " SPARK_LOCAL_IP=127.0.0.1 java")
        .endsWith(" -cp " + cp + " dev.superfactory.cli.Main sweep s.yaml --engine spark --master local[2]\n");

    Run again = launch(bin, "sweep", "s.yaml", "--engine=spark");
    assertThat(again.err()).isEmpty();
    assertThat(Files.readString(root.resolve("mvn-calls.txt")).lines()).as("nothing to build").hasSize(1);
    assertThat(again.out()).contains(" -cp " + cp + " dev.superfactory.cli.Main");

    Files.delete(root.resolve("spark-b.jar")); // e.g. a Maven repository cleaned since
    launch(bin, "sweep", "s.yaml", "--engine", "spark");
    assertThat(Files.readString(root.resolve("mvn-calls.txt")).lines()).as("a Spark jar gone: rebuilt").hasSize(2);
    assertThat(root.resolve("superfactory-cli/target/superfactory.jar")).as("the default jar: not built").doesNotExist();
  }

  private record Run(String out, String err) {}

  private Run launch(Path bin) throws Exception {
    return launch(bin, "--version");
  }

  private Run launch(Path bin, String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash",
        root.resolve("superfactory").toString()));
    command.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("SPARK_USER");
    pb.environment().remove("SPARK_LOCAL_IP");
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
