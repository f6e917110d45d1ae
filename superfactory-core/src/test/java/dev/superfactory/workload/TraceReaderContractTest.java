package dev.superfactory.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.superfactory.input.InputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every registered trace format keeps, run over {@link TraceFormats#names()}. Each
 * format brings samples in {@code src/test/resources/dev/superfactory/workload/traces/<name>/}
 * (see the README there): {@code sample.csv}, well-formed, in submit order, with any row the
 * format skips; {@code malformed.csv}, the same plus a malformed last row. A format registered
 * without samples fails here.
 */
class TraceReaderContractTest {
  private static final String SAMPLES = "/dev/superfactory/workload/traces/";
  private static final Path OPEN_FILES = Path.of("/proc/self/fd");

  @TempDir Path dir;

  static List<String> formats() {
    return TraceFormats.names();
  }

  /** A job as the reader yielded it, copied out of the reused row, with its tenant by name. */
  record Job(String name, String tenant, long submitSeconds, int gpus, int scaleUpGroup, boolean spanSites,
      long durationSeconds, long expectedSeconds, String model, double tokens) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void yieldsItsFirstJobBeforeReadingTheMalformedRowAtTheEnd(String format) throws Exception {
    Job first = readAll(format, sample(format, "sample.csv")).get(0);
    try (TraceReader reader = open(format, sample(format, "malformed.csv"))) {
      JobRow row = new JobRow();
      assertThat(reader.next(row)).isTrue();
      assertThat(copy(row, reader)).isEqualTo(first);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void aMalformedRowIsAnInputErrorNamingTheFileAndItsLineAndTheFileIsClosed(String format) throws Exception {
    Path malformed = sample(format, "malformed.csv");
    int lastLine = Files.readAllLines(malformed).size();
    assertThatThrownBy(() -> readAll(format, malformed)).isInstanceOf(InputException.class)
        .hasMessageStartingWith(malformed + ":" + lastLine + ": ");
    assertNoDescriptorOn(malformed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void holdsItsFileOpenWhileReadingAndReleasesItOnClose(String format) throws Exception {
    assumeTrue(Files.isDirectory(OPEN_FILES), "no " + OPEN_FILES + " to count open files with");
    Path file = sample(format, "sample.csv");
    TraceReader reader = open(format, file);
    try {
      assertThat(reader.next(new JobRow())).isTrue();
      assertThat(descriptorsOn(file)).as("descriptors open on %s while reading", file).isEqualTo(1);
    } finally {
      reader.close();
    }
    assertThat(descriptorsOn(file)).as("descriptors open on %s after close", file).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void aFileThatIsNotOfTheFormatIsAnInputErrorAndIsClosed(String format) throws Exception {
    Path bogus = dir.resolve("bogus.csv");
    Files.writeString(bogus, "no_such_column\n1\n");
    assertThatThrownBy(() -> readAll(format, bogus)).isInstanceOf(InputException.class)
        .hasMessageStartingWith(bogus + ":");
    assertNoDescriptorOn(bogus);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void yieldsJobsInSubmitOrderEachWithPositiveGpusAndDurations(String format) throws Exception {
    List<Job> jobs = readAll(format, sample(format, "sample.csv"));
    assertThat(jobs).hasSizeGreaterThanOrEqualTo(2);
    for (int j = 0; j < jobs.size(); j++) {
      Job job = jobs.get(j);
      assertThat(job.gpus()).as("%s gpus", job).isPositive();
      assertThat(job.scaleUpGroup()).as("%s scale-up group", job).isPositive();
      assertThat(job.gpus() % job.scaleUpGroup()).as("%s: the group divides the gang", job).isZero();
      assertThat(job.durationSeconds()).as("%s duration", job).isPositive();
      assertThat(job.expectedSeconds()).as("%s expected duration", job).isPositive();
      assertThat(job.submitSeconds()).as("%s submit", job).isNotNegative();
      if (j > 0) {
        assertThat(job.submitSeconds()).as("%s after %s", job, jobs.get(j - 1))
            .isGreaterThanOrEqualTo(jobs.get(j - 1).submitSeconds());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void accountsForEveryRowAsAJobOrASkipByReason(String format) throws Exception {
    Path file = sample(format, "sample.csv");
    try (TraceReader reader = open(format, file)) {
      long jobs = 0;
      JobRow row = new JobRow();
      while (reader.next(row)) {
        jobs++;
      }
      TraceInfo info = reader.info();
      long skipped = info.skipped().values().stream().mapToLong(Long::longValue).sum();
      assertThat(info.source()).isEqualTo(format + ":" + file);
      assertThat(info.jobs()).isEqualTo(jobs);
      assertThat(info.rows()).as("rows = jobs + skipped %s", info.skipped()).isEqualTo(jobs + skipped);
      assertThat(info.rows()).as("every data line of the sample is a row").isEqualTo(dataLines(file));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void readingTheSameFileTwiceGivesTheSameJobsAndTenants(String format) throws Exception {
    Path file = sample(format, "sample.csv");
    List<Job> once = readAll(format, file);
    List<Job> twice = readAll(format, file);
    assertThat(twice).isEqualTo(once);
  }

  /** The formats whose samples record the cluster they ran on (openb: its node list). */
  static final java.util.Set<String> RECORD_A_CLUSTER = java.util.Set.of("openb");

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void aRecordedClusterHasRoomForEveryJobAndSpansTheTrace(String format) throws Exception {
    Path file = sample(format, "sample.csv");
    Optional<TraceCluster> cluster = TraceFormats.get(format).cluster(file);
    assertThat(cluster.isPresent()).as("%s records its cluster", format).isEqualTo(RECORD_A_CLUSTER.contains(format));
    if (cluster.isEmpty()) {
      return; // nothing recorded, nothing to check against the jobs
    }
    List<Job> jobs = readAll(format, file);
    assertThat(cluster.get().fleet().totalGpus()).isGreaterThanOrEqualTo(
        jobs.stream().mapToInt(Job::gpus).max().orElseThrow());
    assertThat(cluster.get().horizonSeconds()).isGreaterThanOrEqualTo(jobs.get(jobs.size() - 1).submitSeconds());
    assertThat(cluster.get().description()).isNotBlank();
  }

  // ---- helpers ----

  private static TraceReader open(String format, Path file) {
    return TraceFormats.get(format).open(file, TraceContext.of(List.of(), 1_000));
  }

  private static List<Job> readAll(String format, Path file) {
    List<Job> jobs = new ArrayList<>();
    try (TraceReader reader = open(format, file)) {
      JobRow row = new JobRow();
      while (reader.next(row)) {
        jobs.add(copy(row, reader));
      }
    }
    return jobs;
  }

  private static Job copy(JobRow row, TraceReader reader) {
    List<Tenant> tenants = reader.tenants();
    assertThat(row.tenant()).as("tenant index of %s", row.name()).isBetween(0, tenants.size() - 1);
    return new Job(row.name(), tenants.get(row.tenant()).name(), row.submitSeconds(), row.gpus(), row.scaleUpGroup(),
        row.spanSites(), row.durationSeconds(), row.expectedSeconds(), row.model(), row.tokens());
  }

  /** The format's sample folder copied into the test's folder (so files beside a trace come along); the named file in it. */
  private Path sample(String format, String name) throws IOException, URISyntaxException {
    URL url = getClass().getResource(SAMPLES + format + "/" + name);
    assertThat(url).as("trace format '%s' has no sample: add src/test/resources%s%s/%s", format, SAMPLES, format, name)
        .isNotNull();
    Path folder = dir.resolve(format);
    if (!Files.isDirectory(folder)) {
      Files.createDirectories(folder);
      try (Stream<Path> files = Files.list(Path.of(url.toURI()).getParent())) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, folder.resolve(f.getFileName().toString()));
        }
      }
    }
    return folder.resolve(name);
  }

  /** Non-blank lines after the header line. */
  private static long dataLines(Path file) throws IOException {
    return Files.readAllLines(file).stream().skip(1).filter(line -> !line.isBlank()).count();
  }

  private static void assertNoDescriptorOn(Path file) throws IOException {
    if (Files.isDirectory(OPEN_FILES)) {
      assertThat(descriptorsOn(file)).as("descriptors left open on %s", file).isZero();
    }
  }

  /** Open file descriptors of this process on {@code file}, read from /proc/self/fd. */
  private static long descriptorsOn(Path file) throws IOException {
    Path target = file.toRealPath();
    long n = 0;
    try (Stream<Path> fds = Files.list(OPEN_FILES)) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (Files.readSymbolicLink(fd).equals(target)) {
            n++;
          }
        } catch (IOException e) {
          // the descriptor closed while we listed (the listing's own, for one)
        }
      }
    }
    return n;
  }
}
