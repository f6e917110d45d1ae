package dev.superfactory.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepSummaryTest {
  private static final String SWEEP = """
      scenario: single-site
      axes:
        - {path: load, values: [0.5, 0.7, 0.9]}
      seeds: 3
      """;

  /** Rows whose util is {@code utils[point]} and whose payback is {@code paybacks[cell]}. */
  private static List<PointRow> rows(SweepPlan plan, double[] utils, double[] paybacks) {
    List<PointRow> rows = new ArrayList<>();
    for (SweepPoint p : plan.points()) {
      Map<String, Double> out = new LinkedHashMap<>();
      for (Outputs.Output o : plan.outputs()) {
        out.put(o.key(), Double.NaN);
      }
      out.put("util", utils[p.index()]);
      out.put("payback", paybacks[p.index() / 3]);
      rows.add(new PointRow(p.index(), p.id(), p.key(), Map.of("load", p.labels().get(0)), p.seed(), out, 1, 1));
    }
    java.util.Collections.reverse(rows); // any order in
    return rows;
  }

  @Test
  void meansAndStudentTIntervalsOverTheSeeds() {
    SweepPlan plan = SweepPlanTest.plan(SWEEP, "single-site");
    SweepResult r = SweepSummary.of(plan, rows(plan, new double[] {1, 2, 3, 0.5, 0.5, 0.5, 0.2, 0.4, Double.NaN},
        new double[] {3, 4, 5}));
    assertThat(r.points()).isEqualTo(9);
    assertThat(r.cells()).extracting(c -> c.axes().get("load")).containsExactly("0.5", "0.7", "0.9");
    SweepResult.Stat first = r.cells().get(0).outputs().get("util");
    assertThat(first.mean()).isEqualTo(2.0);
    assertThat(first.sd()).isCloseTo(1.0, within(1e-12));
    double half = 4.303 / Math.sqrt(3); // t(0.975, 2) · sd ÷ √n
    assertThat(first.ciLow()).isCloseTo(2 - half, within(1e-9));
    assertThat(first.ciHigh()).isCloseTo(2 + half, within(1e-9));
    assertThat(r.cells().get(1).outputs().get("util").ciHigh()).isEqualTo(0.5);
    SweepResult.Stat third = r.cells().get(2).outputs().get("util"); // a NaN run is left out: n = 2, t(0.975, 1)
    assertThat(third.n()).isEqualTo(2);
    assertThat(third.mean()).isCloseTo(0.3, within(1e-12));
    assertThat(third.ciHigh() - third.mean()).isCloseTo(12.706 * Math.sqrt(0.02) / Math.sqrt(2), within(1e-9));
    assertThat(r.cells().get(0).outputs().get("goodput").n()).isZero();
    assertThat(r.cells().get(0).points()).containsExactly("p0001", "p0002", "p0003");
    assertThat(r.cells()).allMatch(c -> c.feasible() == null && c.rank() == null && !c.best());
  }

  @Test
  void oneSeedHasNoInterval() {
    assertThat(SweepSummary.stat(new double[] {4}).ciLow()).isNaN();
    assertThat(SweepSummary.stat(new double[] {4}).mean()).isEqualTo(4);
    double x = 122.39982217381143; // the same estimate from three seeds: no rounding noise in the mean or interval
    assertThat(SweepSummary.stat(new double[] {x, x, x})).isEqualTo(new SweepResult.Stat(x, x, x, 0, 3));
  }

  @Test
  void theObjectiveRanksFeasibleCellsAndMarksTheBest() {
    SweepPlan plan = SweepPlanTest.plan(SWEEP + "objective: maximize util where payback <= 4\n", "single-site");
    SweepResult r = SweepSummary.of(plan, rows(plan, new double[] {0.9, 0.9, 0.9, 0.6, 0.6, 0.6, 0.8, 0.8, 0.8},
        new double[] {5, 4, 3}));
    assertThat(r.objective()).isEqualTo("maximize util where payback <= 4");
    assertThat(r.cells()).extracting(SweepResult.Cell::feasible).containsExactly(false, true, true);
    assertThat(r.cells()).extracting(SweepResult.Cell::rank).containsExactly(null, 2, 1);
    assertThat(r.cells()).extracting(SweepResult.Cell::best).containsExactly(false, false, true);
  }

  @Test
  void aCellIsJudgedOnAllItsSeeds() {
    SweepPlan plan = SweepPlanTest.plan(SWEEP + "objective: maximize util where payback <= 4\n", "single-site");
    List<PointRow> rows = rows(plan, new double[] {0.9, 0.9, 0.9, 0.6, 0.6, 0.6, 0.8, 0.8, 0.8},
        new double[] {3, 3, 3});
    // two of the first cell's seeds never pay back: its mean over the one that does is 3, but it is not feasible
    rows.replaceAll(r -> r.index() == 1 || r.index() == 2 ? withPayback(r, Double.NaN) : r);
    SweepResult r = SweepSummary.of(plan, rows);
    assertThat(r.cells().get(0).outputs().get("payback").n()).isEqualTo(1);
    assertThat(r.cells()).extracting(SweepResult.Cell::feasible).containsExactly(false, true, true);
    assertThat(r.cells()).extracting(SweepResult.Cell::rank).containsExactly(null, 2, 1);
    // the same seeds, payback now the objective: the cell whose seeds do not all pay back is not feasible either
    SweepPlan byPayback = SweepPlanTest.plan(SWEEP + "objective: minimize payback where util >= 0.5\n", "single-site");
    SweepResult q = SweepSummary.of(byPayback, rows);
    assertThat(q.cells()).extracting(SweepResult.Cell::feasible).containsExactly(false, true, true);
    assertThat(q.cells()).extracting(SweepResult.Cell::rank).containsExactly(null, 1, 1);
  }

  private static PointRow withPayback(PointRow r, double payback) {
    Map<String, Double> out = new LinkedHashMap<>(r.outputs());
    out.put("payback", payback);
    return new PointRow(r.index(), r.id(), r.key(), r.axes(), r.seed(), out, r.wallSeconds(), r.peakHeapMiB());
  }

  @Test
  void tiesShareTheirRank() {
    SweepPlan plan = SweepPlanTest.plan(SWEEP + "objective: min util\n", "single-site");
    SweepResult r = SweepSummary.of(plan, rows(plan, new double[] {0.5, 0.5, 0.5, 0.7, 0.7, 0.7, 0.5, 0.5, 0.5},
        new double[] {1, 1, 1}));
    assertThat(r.cells()).extracting(SweepResult.Cell::rank).containsExactly(1, 3, 1);
    assertThat(r.cells()).extracting(SweepResult.Cell::best).containsExactly(true, false, true);
  }

  @Test
  void theCsvHasARowPerCellWithMeansAndIntervals() {
    SweepPlan plan = SweepPlanTest.plan(SWEEP + "objective: maximize util where payback <= 4\n", "single-site");
    String csv = SweepCsv.render(SweepSummary.of(plan, rows(plan,
        new double[] {1, 2, 3, 0.5, 0.5, 0.5, 0.8, 0.8, 0.8}, new double[] {5, 4, 3})));
    List<String> lines = csv.lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("load,runs,util,util_ci_low,util_ci_high,useful-util,").endsWith(",feasible,rank,best");
    assertThat(lines.get(1)).startsWith("0.5,3,2,-0.484338,4.48434,,,,").endsWith(",false,,false");
    assertThat(lines.get(2)).startsWith("0.7,3,0.5,0.5,0.5,").endsWith(",true,2,false");
    assertThat(lines.get(3)).endsWith(",true,1,true");
  }
}
