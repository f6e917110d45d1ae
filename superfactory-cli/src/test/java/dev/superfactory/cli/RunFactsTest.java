package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facts a run reports about itself: its wall time as the user waited for it. */
class RunFactsTest {
  private static final Pattern RUN =
      Pattern.compile("Run: ([0-9.]+) s wall from command start \\(event loop ([0-9.]+) s: [0-9,]+ events, [0-9,]+ events/s\\)");

  @TempDir Path dir;

  @Test
  void theRunLineCountsTheWholeCommandAndSaysSo() {
    CliRun r = CliRun.of("simulate", "--preset", "single-site", "--days", "3", "--out", dir.toString());
    assertThat(r.status()).as(r.err()).isZero();
    Matcher m = RUN.matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    double wall = Double.parseDouble(m.group(1));
    double loop = Double.parseDouble(m.group(2));
    // the command also parsed the scenario, generated the jobs and wrote four files
    assertThat(wall).isGreaterThan(loop);
  }

  @Test
  void theClockStartsAtLaunchWhenTheLauncherSaysWhenAndItIsPlausible() {
    long jvm = ManagementFactory.getRuntimeMXBean().getStartTime();
    assertThat(CommandClock.ofProcess(Long.toString(jvm - 1500))).isEqualTo(new CommandClock(jvm - 1500, "launch"));
    assertThat(CommandClock.ofProcess(Long.toString(jvm + 1))).isEqualTo(new CommandClock(jvm, "JVM start"));
    assertThat(CommandClock.ofProcess(Long.toString(jvm - 3_600_000))).isEqualTo(new CommandClock(jvm, "JVM start"));
    assertThat(CommandClock.ofProcess("1700000000N")).isEqualTo(new CommandClock(jvm, "JVM start"));
    assertThat(CommandClock.ofProcess(null).from()).isEqualTo("JVM start");
  }
}
