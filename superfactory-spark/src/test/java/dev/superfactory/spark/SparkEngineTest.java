package dev.superfactory.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.input.InputException;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.sweep.LocalEngine;
import dev.superfactory.sweep.PointRow;
import dev.superfactory.sweep.PointStore;
import dev.superfactory.sweep.SweepEngine;
import dev.superfactory.sweep.SweepPlan;
import dev.superfactory.sweep.SweepPoint;
import dev.superfactory.sweep.SweepProgress;
import dev.superfactory.sweep.SweepSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark engine on one embedded local[2] context shared by the tests (one SparkContext per JVM). */
class SparkEngineTest {
  private static JavaSparkContext sc;
  private static final SweepEngine.Options OPTIONS = new SweepEngine.Options(0, null, "test-version");

  @BeforeAll
  static void startSpark() {
    sc = SparkEngine.start("test", "local[2]");
  }

  @AfterAll
  static void stopSpark() {
    sc.stop();
  }

  @Test
  void storesTheSameResultsAndRowsAsTheLocalEngine(@TempDir Path tmp) throws IOException {
    SweepPlan plan = SweepPlan.of(SweepPlan.source(SweepFiles.smallSweep(tmp)), null);
    assertThat(plan.points()).hasSize(4);
    Path local = tmp.resolve("local");
    Path spark = tmp.resolve("spark");
    List<PointRow> localRows = new LocalEngine().run(plan, plan.points(), local, OPTIONS, SweepProgress.NONE);
    Progress progress = new Progress();
    List<PointRow> sparkRows = new SparkEngine(sc).run(plan, plan.points(), spark, OPTIONS, progress);

    for (SweepPoint p : plan.points()) {
      Path a = PointStore.pointDir(local, p.id()).resolve("result.json");
      Path b = PointStore.pointDir(spark, p.id()).resolve("result.json");
      assertThat(SweepFiles.withoutRun(b)).as(p.id()).isEqualTo(SweepFiles.withoutRun(a));
      assertThat(timeless(stored(spark, p))).as(p.id()).isEqualTo(timeless(stored(local, p)));
    }
    assertThat(sorted(sparkRows)).isEqualTo(sorted(localRows));
    assertThat(progress.notes).containsExactly("Spark local[2]: 2 cores, 4 tasks");
    assertThat(progress.done).extracting(PointRow::id).containsExactlyInAnyOrder("p0001", "p0002", "p0003", "p0004");
  }

  @Test
  void runsExactlyTheTodoListItIsGiven(@TempDir Path tmp) throws IOException {
    SweepPlan plan = SweepPlan.of(SweepPlan.source(SweepFiles.smallSweep(tmp)), null);
    List<SweepPoint> todo = List.of(plan.points().get(1), plan.points().get(3));
    Path out = tmp.resolve("out");

    List<PointRow> rows = new SparkEngine(sc).run(plan, todo, out, OPTIONS, SweepProgress.NONE);

    assertThat(rows).extracting(PointRow::index).containsExactlyInAnyOrder(1, 3);
    try (Stream<Path> dirs = Files.list(out.resolve("points"))) {
      assertThat(dirs.map(d -> d.getFileName().toString())).containsExactlyInAnyOrder(todo.get(0).id(),
          todo.get(1).id());
    }
    assertThat(PointStore.completed(out, plan).keySet()).containsExactly(1, 3);
  }

  @Test
  void saysThatParallelIsTheLocalEnginesOption(@TempDir Path tmp) throws IOException {
    SweepPlan plan = SweepPlan.of(SweepPlan.source(SweepFiles.smallSweep(tmp)), null);
    Progress progress = new Progress();

    new SparkEngine(sc).run(plan, plan.points().subList(0, 1), tmp.resolve("out"),
        new SweepEngine.Options(3, null, "test-version"), progress);

    assertThat(progress.notes).containsExactly("--parallel 3: applies to the local engine; Spark runs as many points at"
        + " once as it has cores (--master local[N], or the cluster's executor cores)", "Spark local[2]: 2 cores, 1 task");
  }

  @Test
  void runsNothingAndStartsNoJobForAnEmptyTodoList(@TempDir Path tmp) throws IOException {
    SweepPlan plan = SweepPlan.of(SweepPlan.source(SweepFiles.smallSweep(tmp)), null);
    Progress progress = new Progress();

    assertThat(new SparkEngine(sc).run(plan, List.of(), tmp.resolve("out"), OPTIONS, progress)).isEmpty();
    assertThat(progress.notes).isEmpty();
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void aPointThatFailsOnAnExecutorFailsTheSweepWithItsOwnOneLineError(@TempDir Path tmp) throws IOException {
    SweepPlan plan = SweepPlan.of(SweepPlan.source(SweepFiles.smallSweep(tmp)), null);
    // the executors receive a sweep text that no longer parses (as if the file changed under a resumed sweep)
    SweepSource broken = new SweepSource("name: [", "broken.yaml", plan.source().baseText(), plan.baseName(), null);

    assertThatThrownBy(() -> SparkEngine.runJob(sc, new SparkEngine.PlanKey(broken, null), plan.points(),
        tmp.resolve("out"), "test-version", SweepProgress.NONE))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("broken.yaml")
        .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void anUnreachableMasterIsOneLineNamingIt(@TempDir Path tmp) throws IOException {
    SweepPlan plan = SweepPlan.of(SweepPlan.source(SweepFiles.smallSweep(tmp)), null);
    SweepEngine.Options options = new SweepEngine.Options(0, "spark://127.0.0.1:1", "test-version");

    assertThatThrownBy(() -> new SparkEngine().run(plan, plan.points(), tmp.resolve("out"), options,
        SweepProgress.NONE))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("--master spark://127.0.0.1:1: cannot reach the Spark master: 127.0.0.1:1: ")
        .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
  }

  @Test
  void aMasterUrlThatIsNotOneIsOneLineNamingIt() {
    assertThatThrownBy(() -> SparkEngine.probeStandalone("spark://host:port", "--master spark://host:port"))
        .isInstanceOf(InputException.class)
        .hasMessage("--master spark://host:port: not a Spark master URL (spark://host:port)");
  }

  @Test
  void aMasterSparkDoesNotKnowIsOneLineNamingIt() {
    assertThatThrownBy(() -> SparkEngine.start("test", "bogus["))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("--master bogus[: not a Spark master URL (local[*], local[N], spark://host:7077,");
  }

  private static PointRow stored(Path out, SweepPoint p) throws IOException {
    return ResultJson.parse(Files.readString(PointStore.pointDir(out, p.id()).resolve("row.json"),
        StandardCharsets.UTF_8), PointRow.class);
  }

  /** A row without what depends on the JVM it ran in: wall time and heap. */
  private static PointRow timeless(PointRow r) {
    return new PointRow(r.index(), r.id(), r.key(), r.axes(), r.seed(), r.outputs(), 0, 0);
  }

  private static List<PointRow> sorted(List<PointRow> rows) {
    return rows.stream().map(SparkEngineTest::timeless).sorted(Comparator.comparingInt(PointRow::index)).toList();
  }

  private static final class Progress implements SweepProgress {
    final List<String> notes = new ArrayList<>();
    final List<PointRow> done = new ArrayList<>();

    @Override
    public void start(int total, int alreadyDone, int parallel) {}

    @Override
    public void done(PointRow row) {
      done.add(row);
    }

    @Override
    public void note(String line) {
      notes.add(line);
    }
  }
}
