package dev.superfactory.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.superfactory.input.InputException;
import dev.superfactory.scenario.Presets;
import dev.superfactory.scenario.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepPlanTest {
  /** A sweep on a preset, read from text as {@link SweepPlan#source} would. */
  static SweepPlan plan(String yaml) {
    return plan(yaml, "fairwater");
  }

  static SweepPlan plan(String yaml, String preset) {
    return SweepPlan.of(new SweepSource(yaml, "s.yaml", Presets.text(preset), "preset " + preset, null), null);
  }

  private static List<String> described(SweepPlan p) {
    return p.points().stream().map(x -> x.id() + " " + p.describe(x)).toList();
  }

  @Test
  void listsAreCrossedFirstAxisSlowestAndSeedsFastest() {
    SweepPlan p = plan("""
        scenario: fairwater
        axes:
          - path: fleet.wan[0].bandwidth
            values: [10Tbps, 1Pbps]
          - path: policy
            values: [fifo-backfill, fair-share, las]
        seeds: [5, 9]
        """);
    assertThat(described(p)).containsExactly(
        "p0001 fleet.wan[0].bandwidth=10Tbps, policy=fifo-backfill, seed=5",
        "p0002 fleet.wan[0].bandwidth=10Tbps, policy=fifo-backfill, seed=9",
        "p0003 fleet.wan[0].bandwidth=10Tbps, policy=fair-share, seed=5",
        "p0004 fleet.wan[0].bandwidth=10Tbps, policy=fair-share, seed=9",
        "p0005 fleet.wan[0].bandwidth=10Tbps, policy=las, seed=5",
        "p0006 fleet.wan[0].bandwidth=10Tbps, policy=las, seed=9",
        "p0007 fleet.wan[0].bandwidth=1Pbps, policy=fifo-backfill, seed=5",
        "p0008 fleet.wan[0].bandwidth=1Pbps, policy=fifo-backfill, seed=9",
        "p0009 fleet.wan[0].bandwidth=1Pbps, policy=fair-share, seed=5",
        "p0010 fleet.wan[0].bandwidth=1Pbps, policy=fair-share, seed=9",
        "p0011 fleet.wan[0].bandwidth=1Pbps, policy=las, seed=5",
        "p0012 fleet.wan[0].bandwidth=1Pbps, policy=las, seed=9");
    Scenario s = p.scenario(p.points().get(9));
    assertThat(s.scheduler().policy()).isEqualTo("fair-share");
    assertThat(s.fleet().wanRoute(0, 1).bandwidthBytesPerSecond()).isEqualTo(1e15 / 8);
    assertThat(s.seed()).isEqualTo(9);
  }

  @Test
  void aCountOfSeedsStartsAtTheScenariosSeed() {
    SweepPlan p = plan("""
        scenario: single-site
        axes:
          - {path: load, values: [0.5]}
        seeds: 3
        """, "single-site");
    assertThat(p.seeds()).containsExactly(7L, 8L, 9L);
    assertThat(p.points()).extracting(SweepPoint::seed).containsExactly(7L, 8L, 9L);
    assertThat(p.scenario(p.points().get(2)).workload().offeredLoad()).isEqualTo(0.5);
  }

  @Test
  void rangesByStepAndByCountOnALogScaleKeepTheUnit() {
    SweepPlan p = plan("""
        scenario: fairwater
        axes:
          - path: workload.offeredLoad
            range: {from: 0.6, to: 1.0, step: 0.1}
          - path: fleet.wan[0].bandwidth
            range: {from: 1Tbps, to: 1000Tbps, count: 4, scale: log}
          - path: fleet.sites[1].blocks[0].count
            range: {from: 28, to: 36, count: 3}
        """);
    assertThat(p.axes().get(0).labels()).containsExactly("0.6", "0.7", "0.8", "0.9", "1");
    assertThat(p.axes().get(1).labels()).containsExactly("1Tbps", "10Tbps", "100Tbps", "1000Tbps");
    assertThat(p.axes().get(2).labels()).containsExactly("28", "32", "36");
    assertThat(p.axes()).allMatch(Axis::numeric);
    assertThat(p.points()).hasSize(5 * 4 * 3);
    Scenario last = p.scenario(p.points().get(p.points().size() - 1));
    assertThat(last.fleet().site(1).groups().get(0).blocks()).isEqualTo(36);
  }

  @Test
  void aRandomSampleIsFixedByItsOwnSeed() {
    String yaml = """
        scenario: fairwater
        axes:
          - path: fleet.sites[1].blocks[0].count
            random: {from: 30, to: 39, count: 6, seed: SEED, integer: true}
          - path: workload.offeredLoad
            random: {from: 0.5, to: 1.0, count: 3, seed: 1}
        """;
    List<String> a = plan(yaml.replace("SEED", "7")).axes().get(0).labels();
    assertThat(plan(yaml.replace("SEED", "7")).axes().get(0).labels()).isEqualTo(a);
    assertThat(plan(yaml.replace("SEED", "8")).axes().get(0).labels()).isNotEqualTo(a);
    assertThat(a).hasSize(6).doesNotHaveDuplicates()
        .allSatisfy(v -> assertThat(Integer.parseInt(v)).isBetween(30, 39));
    List<String> loads = plan(yaml.replace("SEED", "7")).axes().get(1).labels();
    assertThat(loads).hasSize(3).allSatisfy(v -> assertThat(Double.parseDouble(v)).isBetween(0.5, 1.0));
    // the exact draws: SplittableRandom(1) is specified by the JDK, so these are stable
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    assertThat(loads.get(0)).isEqualTo(Labels.number(0.5 + r.nextDouble() * 0.5));
  }

  @Test
  void aRandomSampleThatCannotFindEnoughValuesSaysSo() {
    assertThatThrownBy(() -> plan("scenario: fairwater\naxes:\n  - path: load\n"
        + "    random: {from: 1, to: 1.001, count: 200, seed: 3}\n"))
        .isInstanceOf(InputException.class).hasMessageStartingWith("s.yaml:4: axes[0].random.count: only 101 different"
            + " values (to 6 significant digits) turned up in 11000 draws between 1 and 1.001;");
  }

  @Test
  void valuesAreKeyedByWhatTheySayNotByTheirLabel() {
    String yaml = "scenario: single-site\naxes:\n  - path: scheduler\n    values: [{policy: A}, {policy: B}]\n";
    SweepPlan first = plan(yaml.replace("A", "fifo-backfill").replace("B", "las"), "single-site");
    SweepPlan second = plan(yaml.replace("A", "las").replace("B", "fair-share"), "single-site");
    assertThat(first.axes().get(0).labels()).containsExactly("{policy: fifo-backfill}", "{policy: las}");
    assertThat(second.points().get(0).key()).isEqualTo(first.points().get(1).key());
    assertThat(second.points().get(1).key()).isNotIn(first.points().get(0).key(), first.points().get(1).key());
    assertThatThrownBy(() -> plan("scenario: fairwater\naxes:\n  - {path: load, values: [0.5, \"0.50\"]}\n"))
        .hasMessage("s.yaml:3: axes[0]: 'load' takes the value 0.50 (= 0.5) twice");
  }

  @Test
  void zippedAxesMoveTogetherAndCrossTheRest() {
    SweepPlan p = plan("""
        scenario: fairwater
        axes:
          - zip:
              - path: fleet.sites[1].blocks[0].count
                values: [30, 36]
              - path: fleet.sites[1].blocks[1].count
                values: [32, 36]
          - {path: policy, values: [fifo-backfill, fair-share]}
        """);
    assertThat(described(p)).containsExactly(
        "p0001 fleet.sites[1].blocks[0].count=30, fleet.sites[1].blocks[1].count=32, policy=fifo-backfill, seed=42",
        "p0002 fleet.sites[1].blocks[0].count=30, fleet.sites[1].blocks[1].count=32, policy=fair-share, seed=42",
        "p0003 fleet.sites[1].blocks[0].count=36, fleet.sites[1].blocks[1].count=36, policy=fifo-backfill, seed=42",
        "p0004 fleet.sites[1].blocks[0].count=36, fleet.sites[1].blocks[1].count=36, policy=fair-share, seed=42");
    assertThat(p.groups()).containsExactly(List.of(0, 1), List.of(2));
    assertThatThrownBy(() -> plan("""
        scenario: fairwater
        axes:
          - zip:
              - path: fleet.sites[1].blocks[0].count
                values: [30, 36]
              - path: fleet.sites[1].blocks[1].count
                values: [36]
        """)).isInstanceOf(InputException.class)
        .hasMessage("s.yaml:6: axes[0].zip[1]: zip: every axis of a zip has as many values; this one has 1, the first 2");
  }

  @Test
  void factorsMultiplyEveryItemAWildcardNames() {
    SweepPlan p = plan("""
        scenario: fairwater
        axes:
          - path: tenants[*].prices.onDemandUsdPerGpuHour
            factors: [0.5, 2]
        """);
    assertThat(p.axes().get(0).labels()).containsExactly("x0.5", "x2");
    Scenario half = p.scenario(p.points().get(0));
    Scenario twice = p.scenario(p.points().get(1));
    assertThat(half.tenants()).extracting(t -> t.contract().onDemandUsdPerGpuHour()).containsExactly(2.75, 2.25, 3.0, 3.0);
    assertThat(twice.tenants()).extracting(t -> t.contract().onDemandUsdPerGpuHour()).containsExactly(11.0, 9.0, 12.0, 12.0);
  }

  @Test
  void setFixesFieldsForEveryPoint() {
    SweepPlan p = plan("""
        scenario: single-site
        set:
          horizon: 3d
          warmup: 0
        axes:
          - {path: policy, values: [fifo, las]}
        """, "single-site");
    assertThat(p.points()).allSatisfy(x -> assertThat(p.scenario(x).horizonSeconds()).isEqualTo(3 * 86400));
    assertThat(p.scenario(p.points().get(0)).warmupSeconds()).isZero();
  }

  @Test
  void theSeedIsSetBySeedsNotByAnAxis() {
    assertThatThrownBy(() -> plan("scenario: fairwater\naxes:\n  - {path: seed, values: [1, 2]}\n"))
        .hasMessage("s.yaml:3: axes[0].path: the seed is not an axis: give the seeds with 'seeds: N' or"
            + " 'seeds: [1, 7, 9]'");
    SweepPlan p = plan("scenario: fairwater\nset: {seed: 5}\nseeds: 2\n");
    assertThat(p.points()).extracting(SweepPoint::seed).containsExactly(5L, 6L);
    assertThat(p.scenario(p.points().get(1)).seed()).isEqualTo(6);
  }

  @Test
  void aMisspeltPathNamesTheNearestValidOne() {
    assertThatThrownBy(() -> plan("""
        scenario: fairwater
        axes:
          - path: fleet.wan[0].bandwith
            values: [1Tbps]
        """)).isInstanceOf(InputException.class)
        .hasMessage("s.yaml:3: axes[0].path: 'fleet.wan[0].bandwith' is not a scenario field; nearest valid path:"
            + " 'fleet.wan[0].bandwidth'");
    assertThatThrownBy(() -> plan("""
        scenario: fairwater
        axes:
          - path: economics.gpuDepreciationYear
            values: [4]
        """)).hasMessage("s.yaml:3: axes[0].path: 'economics.gpuDepreciationYear' is not a scenario field; nearest"
            + " valid path: 'economics.gpuDepreciationYears'");
    assertThatThrownBy(() -> plan("scenario: fairwater\naxes:\n  - {path: workload.lood, values: [0.5]}\n"))
        .hasMessage("s.yaml:3: axes[0].path: 'workload.lood' is not a scenario field; nearest valid path:"
            + " 'workload.load'");
    assertThatThrownBy(() -> plan("""
        scenario: fairwater
        axes:
          - path: fleet.sites[2].pue
            values: [1.1]
        """)).hasMessage("s.yaml:3: axes[0].path: 'fleet.sites[2].pue' is not a field of the base scenario (nearest:"
            + " 'fleet.sites[0].pue'; fleet.sites has 2 items; there is no fleet.sites[2])");
    assertThatThrownBy(() -> plan("""
        scenario: fairwater
        axes:
          - path: fleet..wan
            values: [1]
        """)).hasMessage("s.yaml:3: axes[0].path: not a field path: empty key at character 7");
  }

  @Test
  void aFieldTheBaseLacksButTheReaderKnowsIsAccepted() {
    SweepPlan p = plan("""
        scenario: fairwater
        axes:
          - {path: reliability.spares.perDomain, values: [0, 4]}
          - {path: metrics.sampleInterval, values: [2h]}
        """);
    assertThat(p.scenario(p.points().get(1)).reliability().sparesPerDomain()).isEqualTo(4);
  }

  @Test
  void everyGeneratedScenarioIsReadBeforeAnythingRuns() {
    assertThatThrownBy(() -> plan("""
        scenario: fairwater
        axes:
          - path: fleet.wan[0].bandwidth
            values: [1Tbps, -3Tbps]
        """)).isInstanceOf(InputException.class)
        .hasMessage("s.yaml:4: fleet.wan[0].bandwidth: must be > 0, got -3Tbps (sweep point p0002:"
            + " fleet.wan[0].bandwidth=-3Tbps, seed=42)");
    assertThatThrownBy(() -> plan("""
        scenario: fairwater
        axes:
          - path: workload.offeredLoad
            range: {from: 0.5, to: 9, step: 4}
        """)).hasMessageStartingWith("s.yaml:4: workload.offeredLoad: ").hasMessageContaining("sweep point p0003");
  }

  @Test
  void mistakesInTheSweepFileAreOneLineEach() {
    assertThatThrownBy(() -> plan("scenario: fairwater\naxis: []\n"))
        .hasMessage("s.yaml:2: axis: unknown key 'axis'; did you mean 'axes'?");
    assertThatThrownBy(() -> plan("scenario: fairwater\naxes:\n  - {path: policy, values: [las], range: {from: 1}}\n"))
        .hasMessage("s.yaml:3: axes[0]: give exactly one of values, range, random or factors for 'policy'");
    assertThatThrownBy(() -> plan("scenario: fairwater\naxes:\n  - {path: policy, values: [las, las]}\n"))
        .hasMessage("s.yaml:3: axes[0]: 'policy' takes the value las twice");
    assertThatThrownBy(() -> plan("scenario: fairwater\naxes:\n  - {path: policy, values: [las]}\n"
        + "  - {path: scheduler.policy, values: [fifo]}\n"))
        .hasMessage("s.yaml:4: axes: 'scheduler.policy' is swept twice; give it one axis");
    assertThatThrownBy(() -> plan("scenario: fairwater\naxes:\n  - path: fleet.wan[0].bandwidth\n"
        + "    range: {from: 1Tbps, to: 1Pbps, count: 3}\n"))
        .hasMessage("s.yaml:4: axes[0].range.to: must be in the unit of from ('Tbps'), got '1Pbps'");
    assertThatThrownBy(() -> plan("scenario: fairwater\naxes:\n  - {path: policy, values: [las]}\n"
        + "objective: minimise wait-p95\n"))
        .hasMessageStartingWith("s.yaml:4: objective: unknown output 'wait-p95'; did you mean 'gpu-wait-p95'?");
    assertThatThrownBy(() -> plan("scenario: fairwater\nseeds: 0\n"))
        .hasMessage("s.yaml:2: seeds: must be a positive whole number, got 0");
  }

  @Test
  void pointKeysFollowWhatAResultDependsOn() {
    String yaml = "scenario: single-site\naxes:\n  - {path: load, values: [0.5, 0.6]}\nseeds: 2\n";
    SweepPlan a = plan(yaml, "single-site");
    SweepPlan again = plan(yaml, "single-site");
    assertThat(a.points()).extracting(SweepPoint::key).doesNotHaveDuplicates()
        .isEqualTo(again.points().stream().map(SweepPoint::key).toList());
    SweepPlan withSet = plan(yaml + "set: {horizon: 2d}\n", "single-site");
    assertThat(withSet.points().get(0).key()).isNotEqualTo(a.points().get(0).key());
    SweepPlan objectiveOnly = plan(yaml + "objective: max util\n", "single-site");
    assertThat(objectiveOnly.points().get(0).key()).isEqualTo(a.points().get(0).key());
  }

  @Test
  void objectivesReadMinMaxAndConstraints() {
    List<Outputs.Output> known = Outputs.all(List.of());
    Objective o = Objective.parse("minimize gpu-wait-p95 where payback <= 4 and util > 0.5", known);
    assertThat(o.maximize()).isFalse();
    assertThat(o.output()).isEqualTo("gpu-wait-p95");
    assertThat(o.constraints()).extracting(Objective.Constraint::toString).containsExactly("payback <= 4", "util > 0.5");
    assertThat(Objective.parse("max util", known).maximize()).isTrue();
    assertThatThrownBy(() -> Objective.parse("best util", known)).hasMessageStartingWith("expected 'minimize OUTPUT'");
    assertThatThrownBy(() -> Objective.parse("min util where payback = 4", known))
        .hasMessage("a constraint is OUTPUT <= NUMBER (or <, >=, >), got 'payback = 4'");
    assertThatThrownBy(() -> Objective.parse("min util where", known))
        .hasMessage("no constraint after 'where': write OUTPUT <= NUMBER");
  }

  @Test
  void aBoundMayCarryAUnit() {
    List<Outputs.Output> known = Outputs.all(List.of());
    Objective o = Objective.parse("min gpu-wait-p95 where util >= 75% and payback <= 4 years and gpu-wait-mean < 2d"
        + " and margin >= 300M and pending <= 1.5k", known);
    assertThat(o.constraints()).extracting(Objective.Constraint::bound).containsExactly(0.75, 4.0, 48.0, 3e8, 1500.0);
    assertThatThrownBy(() -> Objective.parse("min util where gpu-wait-p95 <= 5%", known)).hasMessage(
        "'%' in 'gpu-wait-p95 <= 5%' is not a unit of gpu-wait-p95, which is in hours (or s, min, h, d, w, y)");
    assertThatThrownBy(() -> Objective.parse("min util where util >= 75 years", known)).hasMessage(
        "'years' in 'util >= 75 years' is not a unit of util, which is in fraction (0.75 or 75%)");
    assertThatThrownBy(() -> Objective.parse("min util where payback <= 1,000", known)).hasMessage(
        "join constraints with 'and', not a comma: 'payback <= 1,000'");
    assertThatThrownBy(() -> Objective.parse("min payback where util >= 75", known)).hasMessage(
        "'util >= 75': util is a fraction (0 to 1): write 0.75 or 75%");
    assertThatThrownBy(() -> Objective.parse("min payback where util >= 0.1 and", known)).hasMessage(
        "'and' needs a constraint on each side: 'util >= 0.1 and'");
    assertThat(Objective.parse("min payback where gpu-wait-p95 <= 90 minutes and gpu-wait-mean <= 1 week", known)
        .constraints()).extracting(Objective.Constraint::bound).containsExactly(1.5, 168.0);
  }

  @Test
  void aRandomIntegerSampleMayTakeEveryValue() {
    // on a log scale the top integers are rare: the draws run out, the rest come from those not drawn yet
    SweepPlan p = plan("scenario: fairwater\naxes:\n  - path: metrics.sampleInterval\n"
        + "    random: {from: 1, to: 2000, count: 2000, seed: 1, integer: true, scale: log}\n");
    assertThat(p.axes().get(0).labels()).hasSize(2000).doesNotHaveDuplicates()
        .allSatisfy(v -> assertThat(Integer.parseInt(v)).isBetween(1, 2000));
  }
}
