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
    assertThat(row.utilization()).isEqualTo(0.692705);
    assertThat(row.goodput()).isEqualTo(0.959329);
    assertThat(row.waitP95HoursByTenant()).containsExactly(
        org.assertj.core.api.Assertions.entry("lab", 20.8175), org.assertj.core.api.Assertions.entry("startup", 22.0264));
    // lost work 135.744 + restart 27.067 + detection 16.083 + WAN stall 0
    assertThat(row.lostGpuHours()).isEqualTo(178.894);
    assertThat(row.marginUsd()).isEqualTo(-5424.11);
  }

  @Test
  void compareJsonStatesTheScenarioOnceWithoutAPolicyAndReadsBackEqual() {
    CompareReport.Comparison compare = compare();
    String json = ResultJson.pretty(compare);
    assertThat(json).startsWith("{\n  \"scenario\" : {\n    \"name\" : \"two-sites\",").doesNotContain("\"policy\" : \"fifo")
        .contains("\"policy\" : \"no-failures\",\n    \"jctMeanHours\" : 9.7895,");
    assertThat(ResultJson.parse(json, CompareReport.Comparison.class)).isEqualTo(compare);
  }

  @Test
  void theTableAndThePageMarkTheBestPolicy() {
    String text = CompareReport.text(compare());
    assertThat(text).containsPattern("\nfailures +5\\.6 h +22\\.5 h +20\\.8 h +22\\.0 h +69\\.3% +95\\.9% +0\\.654 +16 +179 ")
        .contains("wait p95 startup");
    String html = CompareReport.html(compare());
    // utilization: no-failures (88.2%) is best; goodput: failures (95.9%) is best
    assertThat(html).contains("<h2>GPU utilization</h2><p class=\"note\">allocated ÷ available GPU-hours, higher is better</p>"
        + "<div class=\"barrow\"><span class=\"barlabel\">failures</span><span class=\"bartrack\"><span class=\"bar\"")
        .contains("<h2>Goodput</h2><p class=\"note\">useful ÷ allocated GPU-hours, higher is better</p>"
        + "<div class=\"barrow\"><span class=\"barlabel\">failures</span><span class=\"bartrack\"><span class=\"bar best\"")
        .contains("4.0 days, seed 11, workload synthetic.");
  }
}
