package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.report.result.GoldenScenarios;
import dev.superfactory.report.result.ResultJson;
import dev.superfactory.report.result.RunResult;
import java.util.List;
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
        org.assertj.core.api.Assertions.entry("lab", 14.0175), org.assertj.core.api.Assertions.entry("startup", 19.2531));
    // lost work 102.345 + restart 26.085 + detection 10.75 + WAN stall 0
    assertThat(row.lostGpuHours()).isEqualTo(139.18);
    // lower than before provider downtime went unbilled: $184 of on-demand GPU-hours are not charged
    assertThat(row.marginUsd()).isEqualTo(-5815.39);
  }

  @Test
  void compareJsonStatesTheScenarioOnceWithoutAPolicyAndReadsBackEqual() {
    CompareReport.Comparison compare = compare();
    String json = ResultJson.pretty(compare);
    assertThat(json).startsWith("{\n  \"scenario\" : {\n    \"name\" : \"two-sites\",").doesNotContain("\"policy\" : \"fifo")
        .contains("\"policy\" : \"no-failures\",\n    \"jctMeanHours\" : 9.8487,");
    assertThat(ResultJson.parse(json, CompareReport.Comparison.class)).isEqualTo(compare);
  }

  @Test
  void theTableAndThePageMarkTheBestPolicy() {
    String text = CompareReport.text(compare());
    assertThat(text).containsPattern("\nfailures +4\\.0 h +15\\.6 h +14\\.0 h +19\\.3 h +68\\.9% +96\\.7% +0\\.638 +7 +139 ")
        .contains("wait p95 startup");
    String html = CompareReport.html(compare());
    // utilization: no-failures (88.6%) is best; goodput: failures (96.8%) is best
    assertThat(html).contains("<h2>GPU utilization</h2><p class=\"note\">allocated ÷ available GPU-hours, higher is better</p>"
        + "<div class=\"barrow\"><span class=\"barlabel\">failures</span><span class=\"bartrack\"><span class=\"bar\"")
        .contains("<h2>Goodput</h2><p class=\"note\">useful ÷ allocated GPU-hours, higher is better</p>"
        + "<div class=\"barrow\"><span class=\"barlabel\">failures</span><span class=\"bartrack\"><span class=\"bar best\"")
        .contains("4.0 days, seed 11, workload synthetic.");
  }
}
