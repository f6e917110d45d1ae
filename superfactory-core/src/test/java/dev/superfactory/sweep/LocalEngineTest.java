package dev.superfactory.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEngineTest {
  private static final long MIB = 1L << 20;

  @Test
  void theHeapRuleKeepsThirtyPercentForTheYoungGeneration() {
    assertThat(LocalEngine.fit(4096 * MIB, 1024 * MIB)).isEqualTo(2); // 0.7 × 4 GiB ÷ 1 GiB = 2.8
    assertThat(LocalEngine.fit(4096 * MIB, 500 * MIB)).isEqualTo(5);
    assertThat(LocalEngine.fit(1024 * MIB, 2048 * MIB)).isEqualTo(1); // never fewer than one
    assertThat(LocalEngine.fit(1024 * MIB, 0)).isEqualTo(11); // a point is assumed to keep at least 64 MiB
  }

  @Test
  void runsEachPointOnceStoresItAndReportsTheHeapDecision(@TempDir Path out) {
    SweepPlan plan = SweepPlanTest.plan("""
        scenario: single-site
        set: {horizon: 1d, warmup: 0}
        axes:
          - {path: load, values: [0.5, 0.8]}
        seeds: 2
        """, "single-site");
    List<String> notes = new ArrayList<>();
    List<Integer> done = new ArrayList<>();
    SweepProgress progress = new SweepProgress() {
      @Override
      public void start(int total, int alreadyDone, int parallel) {}

      @Override
      public void done(PointRow row) {
        done.add(row.index());
      }

      @Override
      public void note(String line) {
        notes.add(line);
      }
    };
    List<PointRow> rows = new LocalEngine().run(plan, plan.points().subList(1, 4), out,
        new SweepEngine.Options(2, null, "test"), progress);
    assertThat(rows).extracting(PointRow::index).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(done).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(notes).singleElement().asString().matches(
        "a point keeps \\d+ MiB of heap \\(measured on p0002\\); \\d+ fit in 70% of the [0-9.]+ GiB heap; --parallel 2:"
            + " running [12] at a time.*");
    assertThat(out.resolve("points/p0001")).doesNotExist();
    assertThat(PointStore.completed(out, plan).keySet()).containsExactly(1, 2, 3);
    for (PointRow r : rows) {
      assertThat(r.outputs()).containsKeys("util", "payback");
      assertThat(Files.exists(out.resolve("points").resolve(r.id()).resolve("result.json"))).isTrue();
    }
  }

  @Test
  void theSamePointGivesTheSameResultOutsideItsRunSection() {
    SweepPlan plan = SweepPlanTest.plan("""
        scenario: single-site
        set: {horizon: 1d, warmup: 0}
        axes:
          - {path: load, values: [0.7]}
        """, "single-site");
    String a = PointRunner.run(plan, plan.points().get(0), "x").resultJson();
    String b = PointRunner.run(plan, plan.points().get(0), "x").resultJson();
    assertThat(withoutRun(a)).isEqualTo(withoutRun(b));
    assertThat(withoutRun(a)).doesNotContain("wallSeconds").contains("\"offeredLoad\"");
  }

  /** The text before the top-level "run" section (result.json ends with it). */
  static String withoutRun(String resultJson) {
    int at = resultJson.lastIndexOf("\n  \"run\" : {");
    assertThat(at).as("a run section").isPositive();
    return resultJson.substring(0, at);
  }
}
