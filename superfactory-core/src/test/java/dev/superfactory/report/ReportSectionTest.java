package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ReportSectionTest {
  @Test
  void aSectionAppearsWhenAnyOfItsPathsHoldsAValue() {
    ReportSection queue = ReportSection.of("q", "Queue", (d, out) -> { }, "timeseries.pendingJobs", "timeseries.pendingGpus");
    ObjectNode r = Json.mapper().createObjectNode();
    assertThat(queue.presentIn(new ReportData(r))).isFalse();
    r.putObject("timeseries").putNull("pendingJobs");
    assertThat(queue.presentIn(new ReportData(r))).isFalse();
    ((ObjectNode) r.get("timeseries")).putArray("pendingGpus");
    assertThat(queue.presentIn(new ReportData(r))).isTrue();
  }

  @Test
  void aNewSectionIsOneBodyMethodAndItsPaths() {
    ReportSection reliability = ReportSection.of("reliability", "Reliability",
        (d, out) -> out.element("p", Cells.percent(ReportData.number(d.at("reliability"), "goodput"))), "reliability");
    ObjectNode r = Json.mapper().createObjectNode();
    r.putObject("reliability").put("goodput", 0.912);
    HtmlWriter out = new HtmlWriter();
    reliability.body().write(new ReportData(r), out);
    assertThat(out.finish()).isEqualTo("<p>91.2%</p>");
  }

  @Test
  void aConditionCanHideASectionWhoseDataIsPresent() {
    ReportSection failures = ReportSection.of("f", "Failures", (d, out) -> { }, "reliability.timeline")
        .onlyIf(ReportData::failuresSimulated);
    ObjectNode r = Json.mapper().createObjectNode();
    ObjectNode reliability = r.putObject("reliability");
    reliability.putObject("timeline");
    assertThat(failures.presentIn(new ReportData(r))).isTrue(); // no flag: judged by the data
    reliability.put("enabled", true);
    assertThat(failures.presentIn(new ReportData(r))).isTrue();
    reliability.put("enabled", false);
    assertThat(failures.presentIn(new ReportData(r))).isFalse();
    reliability.remove("timeline");
    reliability.put("enabled", true);
    assertThat(failures.presentIn(new ReportData(r))).isFalse();
  }

  @Test
  void aSectionMustNameWhereItsDataComesFrom() {
    assertThatThrownBy(() -> ReportSection.of("x", "X", (d, out) -> { })).hasMessageContaining("names no result.json path");
  }

  @Test
  void everySectionIdIsUnique() {
    assertThat(HtmlReport.SECTIONS.stream().map(ReportSection::id)).doesNotHaveDuplicates();
  }

  @Test
  void tenantsAndSitesGetColorsInTheResultsOrderAndUnknownNamesAreGray() {
    ReportData data = new ReportData(Results.month());
    assertThat(data.tenants().names()).containsExactly("openai", "microsoft-ai", "xai", "mistral");
    assertThat(data.tenants().color("xai")).isEqualTo(Palette.TENANT_COLORS.get(2));
    assertThat(data.sites().color("atlanta")).isEqualTo(Palette.SITE_COLORS.get(1));
    assertThat(data.tenants().color("nobody")).isEqualTo(Palette.UNKNOWN);
    assertThat(data.tenantLabel("xai")).isEqualTo("XAI");
    assertThat(data.tenantLabel("nobody")).isEqualTo("nobody");
  }

  @Test
  void theWindowComesFromTheHorizonElseTheLastSample() {
    assertThat(new ReportData(Results.month()).time().endHours()).isEqualTo(720);
    ObjectNode r = Results.month();
    r.remove("scenario");
    r.remove("largestJobs");
    ((ObjectNode) r.get("timeseries")).putArray("hours").add(1.0).add(2.0).add(48.0);
    assertThat(new ReportData(r).time().endHours()).isEqualTo(48);
    assertThat(new ReportData(Json.mapper().createObjectNode()).time().endHours()).isEqualTo(24);
  }
}
