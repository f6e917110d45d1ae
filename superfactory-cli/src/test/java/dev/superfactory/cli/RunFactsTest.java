package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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

  /** The generator submits over the warm-up and the measured days; the jobs run on past the window. */
  @Test
  void workloadGenerateStatesTheSubmissionWindowAndTheLastEnd() throws Exception {
    Path csv = dir.resolve("jobs.csv");
    CliRun r = CliRun.of("workload", "generate", "--preset", "single-site", "--days", "4", "--warmup", "2", "-o",
        csv.toString());
    assertThat(r.status()).as(r.err()).isZero();
    long lastSubmit = 0;
    long lastEnd = 0;
    double gpuHours = 0;
    for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
      String[] f = line.split(",");
      long submit = Long.parseLong(f[2]);
      long duration = Long.parseLong(f[6]);
      lastSubmit = Math.max(lastSubmit, submit);
      lastEnd = Math.max(lastEnd, submit + duration);
      gpuHours += Long.parseLong(f[3]) * duration / 3600.0;
    }
    assertThat(lastSubmit).isGreaterThan(5 * 86400L).isLessThanOrEqualTo(6 * 86400L);
    String[] lines = r.out().split("\\R");
    assertThat(lines[0]).startsWith("Wrote " + csv + ": ").endsWith(" jobs submitted over 6.0 days (2.0 days warm-up + 4.0 days measured)");
    assertThat(lines[1]).isEqualTo(String.format(Locale.ROOT, "  if each started when submitted, the last would end on day %.1f",
        lastEnd / 86400.0));
    assertThat(lines[2]).isEqualTo(String.format(Locale.ROOT,
        "  they ask for %,d GPU-hours: %.1f%% of the fleet's GPU-hours over the 6.0 days of submissions",
        Math.round(gpuHours), 100 * gpuHours / (4096 * 6 * 24.0)));
  }

  @Test
  void anOpenbRunSaysHowManyRowsWereSkippedAndWhy() throws Exception {
    Path trace = dir.resolve("pods.csv");
    Files.writeString(trace, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
        + "deletion_time,scheduled_time\n"
        + "p0,1000,1024,1,1000,,LS,Running,0,3600,0\n"
        + "p1,1000,1024,2,1000,,BE,Succeeded,10,1000,20\n"
        + "p2,1000,1024,0,0,,BE,Succeeded,10,1000,20\n"
        + "p3,1000,1024,1,500,,LS,Pending,30,5000,\n");
    Files.writeString(dir.resolve("openb_node_list_gpu_node.csv"), "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,8,T4\n");
    String why = "4 rows: 2 jobs, 2 rows skipped: 1 CPU-only (num_gpu = 0: asks for no GPU),"
        + " 1 never scheduled (no scheduled_time: run time unknown)";
    CliRun r = CliRun.of("simulate", "--trace", "openb:" + trace, "--out", dir.resolve("out").toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("trace openb:" + trace + "\n  - " + why + "\n");
    assertThat(new ObjectMapper().readTree(dir.resolve("out/result.json").toFile()).at("/trace/notes/0").asText())
        .isEqualTo(why);
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
