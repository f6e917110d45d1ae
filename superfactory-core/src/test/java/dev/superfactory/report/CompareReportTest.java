package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.report.result.GoldenScenarios;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResult;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A comparison of two pinned results of the same scenario, one with failures, one without. */
class CompareReportTest {
  private static CompareReport.Comparison compare() {
    List<RunResult> results = List.of(GoldenScenarios.result("two-sites-failures"),
        GoldenScenarios.result("two-sites-no-failures"));
    return CompareReport.compare(List.of("failures", "no-failures"), results);
  }

  @Test
  void eachRowHasThePolicysFigures() {
    CompareReport.PolicyRow row = compare().policies().get(0);
    assertThat(row.policy()).isEqualTo("failures");
    assertThat(row.utilization()).isEqualTo(0.689412);
    assertThat(row.goodput()).isEqualTo(0.967032);
    assertThat(row.waitP95HoursByTenant()).containsExactly(
        org.assertj.core.api.Assertions.entry("lab", 68.7642), org.assertj.core.api.Assertions.entry("startup", 62.9686));
    // the jobs a policy left waiting are counted: pending, what they asked for, their age in the waits
    assertThat(row.pendingAtEnd()).isEqualTo(21);
    assertThat(row.unservedGpuHours()).isEqualTo(3832.87);
    assertThat(row.gpuWaitP95Hours()).isEqualTo(62.9686).isGreaterThan(row.waitP95Hours());
    assertThat(row.slowdown()).isEqualTo(7.595);
    assertThat(row.rank()).isEqualTo(1);
    // lost work 102.345 + restart 26.085 + detection 10.75 + WAN stall 0
    assertThat(row.lostGpuHours()).isEqualTo(139.18);
    // lower than before provider downtime went unbilled: $61 of on-demand GPU-hours are not charged
    assertThat(row.marginUsd()).isEqualTo(-5692.75);
  }

  @Test
  void compareJsonStatesTheScenarioOnceWithoutAPolicyAndReadsBackEqual() {
    CompareReport.Comparison compare = compare();
    String json = ResultJson.pretty(compare);
    assertThat(json).startsWith("{\n  \"scenario\" : {\n    \"name\" : \"two-sites\",").doesNotContain("\"policy\" : \"fifo")
        .contains("\"objective\" : \"slowdown\",")
        .contains("\"policy\" : \"no-failures\",\n    \"rank\" : 2,").contains("\"jctMeanHours\" : 9.8487,");
    assertThat(ResultJson.parse(json, CompareReport.Comparison.class)).isEqualTo(compare);
  }

  @Test
  void theTableAndThePageMarkTheBestPolicy() {
    String text = CompareReport.text(compare());
    assertThat(text).containsPattern("\n +1 +failures +130 +21 +0 +3,833 +7\\.60 +63\\.0 h +68\\.8 h +63\\.0 h +14\\.5 h "
        + "+4\\.0 h +15\\.6 h +68\\.9% +96\\.7% +0\\.638 +7 +139 ").contains("wait p95/GPU startup");
    String html = CompareReport.html(compare());
    // utilization: no-failures (88.6%) is best; goodput: failures (96.7%) is best
    assertThat(html).contains("<h2>GPU utilization</h2><p class=\"note\">allocated ÷ available GPU-hours, higher is better</p>"
        + "<div class=\"barrow\"><span class=\"barlabel\">failures</span><span class=\"bartrack\"><span class=\"bar\"")
        .contains("<h2>Goodput</h2><p class=\"note\">useful ÷ allocated GPU-hours, higher is better</p>"
        + "<div class=\"barrow best\"><span class=\"barlabel\">failures</span><span class=\"bartrack\"><span class=\"bar\"")
        .contains("<td class=\"best\" data-metric=\"goodput\">96.7%</td>")
        .contains("4.0 days, seed 11, workload synthetic.");
  }

  @Test
  void thePageShowsEveryValueAsTheConsolePrintsIt() {
    CompareReport.Comparison compare = compare();
    String html = CompareReport.html(compare);
    assertThat(html).doesNotContain("<pre").contains("<table class=\"cmp\">");
    String[] consoleRow = CompareReport.text(compare).split("\n")[2].trim().split(" {2,}");
    List<CompareReport.Metric> metrics = CompareReport.metrics(compare);
    assertThat(consoleRow).hasSize(metrics.size() + 2); // rank, policy, the metrics
    String policy = consoleRow[1];
    for (int i = 0; i < metrics.size(); i++) {
      String value = HtmlWriter.escape(consoleRow[i + 2]);
      String metric = HtmlWriter.escape(metrics.get(i).header());
      assertThat(html).containsPattern("<td (class=\"best\" )?data-metric=\"" + Pattern.quote(metric) + "\">"
          + Pattern.quote(value) + "</td>")
          .contains("<span class=\"barvalue\" data-policy=\"" + policy + "\" data-metric=\"" + metric + "\">" + value
              + "</span>");
    }
    // the console's formatting: hours, percent, counts with separators, USD (the run with failures ranks first)
    assertThat(policy).isEqualTo("failures");
    assertThat(consoleRow).contains("4.0 h", "68.9%", "139", "-$5,693");
  }

  @Test
  void theBestIsComparedAsPrintedAndNoneIsMarkedWhenAllPrintAlike() {
    List<CompareReport.PolicyRow> rows = compare().policies();
    CompareReport.Metric util = metric("util");
    assertThat(rows.stream().map(CompareReport.PolicyRow::policy)).containsExactly("failures", "no-failures");
    assertThat(util.best(rows)).containsExactly(false, true);
    // 1 h and 1.04 h both print "1.0 h": tied, so nothing to choose
    CompareReport.Metric alike = new CompareReport.Metric("x", "x", "x", "x", false,
        p -> p.policy().equals("failures") ? 1.0 : 1.04, Format::hours);
    assertThat(alike.best(rows)).containsExactly(false, false);
    CompareReport.Metric missing = new CompareReport.Metric("x", "x", "x", "x", true,
        p -> p.policy().equals("failures") ? Double.NaN : 1.0, Format::hours);
    assertThat(missing.best(rows)).containsExactly(false, false);
    assertThat(missing.formatted(rows.get(0))).isEqualTo("-");
  }

  @Test
  void policiesAreRankedOnTheObjectiveTheUserPicks() {
    List<RunResult> results = List.of(GoldenScenarios.result("two-sites-failures"),
        GoldenScenarios.result("two-sites-no-failures"));
    // by default the lower GPU-weighted slowdown (7.60 against 27.50) ranks first
    assertThat(compare().policies()).extracting(CompareReport.PolicyRow::policy).containsExactly("failures", "no-failures");
    // utilization: higher is better, so the run without failures (88.6% against 68.9%) ranks first
    CompareReport.Comparison byUtil = CompareReport.compare(List.of("failures", "no-failures"), results, "util");
    assertThat(byUtil.objective()).isEqualTo("util");
    assertThat(byUtil.policies()).extracting(CompareReport.PolicyRow::policy, CompareReport.PolicyRow::rank)
        .containsExactly(org.assertj.core.api.Assertions.tuple("no-failures", 1),
            org.assertj.core.api.Assertions.tuple("failures", 2));
    assertThat(CompareReport.objectiveLine(byUtil)).startsWith("Ranked by GPU utilization: allocated ÷ available");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> CompareReport.compare(List.of("failures", "no-failures"), results, "utilisation"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown measure 'utilisation'")
        .hasMessageContaining("slowdown, gpu-wait-p95, gpu-wait-p95:lab");
  }

  private static CompareReport.Metric metric(String header) {
    return CompareReport.metrics(compare()).stream().filter(m -> m.header().equals(header)).findFirst().orElseThrow();
  }
}
