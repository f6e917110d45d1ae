package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportSectionTest {
  @Test
  void aSectionIsShownForEveryResultUnlessItSaysOtherwise() {
    ReportData data = new ReportData(Results.read(Results.month()));
    ReportSection queue = ReportSection.of("q", "Queue", (d, out) -> { });
    assertThat(queue.presentIn(data)).isTrue();
    assertThat(queue.onlyIf(d -> d.result().jobs().pendingAtEnd() > 3).presentIn(data)).isFalse(); // 3 pending
    assertThat(queue.onlyIf(d -> d.result().jobs().pendingAtEnd() == 3).presentIn(data)).isTrue();
  }

  @Test
  void aNewSectionIsOneBodyMethod() {
    ReportSection reliability = ReportSection.of("reliability", "Reliability",
        (d, out) -> out.element("p", Cells.percent(d.result().reliability().goodput())));
    HtmlWriter out = new HtmlWriter();
    reliability.body().write(new ReportData(Results.read(Results.withFailures(Results.month()))), out);
    assertThat(out.finish()).isEqualTo("<p>91.0%</p>");
  }

  @Test
  void theFailureSectionsNeedAResultThatSaysFailuresWereSimulated() {
    ReportSection failures = ReportSection.of("f", "Failures", (d, out) -> { }).onlyIf(ReportData::failuresSimulated);
    ObjectNode r = Results.withFailures(Results.month());
    assertThat(failures.presentIn(new ReportData(Results.read(r)))).isTrue();
    ((ObjectNode) r.get("reliability")).put("enabled", false);
    assertThat(failures.presentIn(new ReportData(Results.read(r)))).isFalse();
    r.remove("reliability");
    assertThat(failures.presentIn(new ReportData(Results.read(r)))).isFalse();
  }

  @Test
  void theOptionalSectionsAreGatedOnTheirPartOfTheResult() {
    List<String> optional = List.of("tenant-share", "reliability", "failures", "gpu-hours", "large-job-goodput", "money");
    ObjectNode full = Results.withEconomics(Results.withFailures(Results.month()));
    ObjectNode bare = Results.month();
    ((ObjectNode) bare.get("timeseries")).remove("byTenant");
    ReportData withAll = new ReportData(Results.read(full));
    ReportData without = new ReportData(Results.read(bare));
    for (ReportSection s : HtmlReport.SECTIONS) {
      assertThat(s.presentIn(withAll)).as(s.id()).isTrue();
      assertThat(s.presentIn(without)).as(s.id()).isEqualTo(!optional.contains(s.id()));
    }
  }

  @Test
  void everySectionIdIsUnique() {
    assertThat(HtmlReport.SECTIONS.stream().map(ReportSection::id)).doesNotHaveDuplicates();
  }

  @Test
  void tenantsAndSitesGetColorsInTheResultsOrderAndUnknownNamesAreGray() {
    ReportData data = new ReportData(Results.read(Results.month()));
    assertThat(data.tenants().names()).containsExactly("openai", "microsoft-ai", "xai", "mistral");
    assertThat(data.tenants().color("xai")).isEqualTo(Palette.TENANT_COLORS.get(2));
    assertThat(data.sites().color("atlanta")).isEqualTo(Palette.SITE_COLORS.get(1));
    assertThat(data.tenants().color("nobody")).isEqualTo(Palette.UNKNOWN);
    assertThat(data.tenantLabel("xai")).isEqualTo("XAI");
    assertThat(data.tenantLabel("nobody")).isEqualTo("nobody");
  }

  @Test
  void theWindowComesFromTheHorizonElseTheLastSampleElseADay() {
    assertThat(new ReportData(Results.read(Results.month())).time().endHours()).isEqualTo(720);
    ObjectNode r = Results.month();
    ((ObjectNode) r.get("scenario")).remove("horizonDays");
    r.remove("largestJobs");
    ((ObjectNode) r.get("timeseries")).putArray("hours").add(1.0).add(2.0).add(48.0);
    assertThat(new ReportData(Results.read(r)).time().endHours()).isEqualTo(48);
    ((ObjectNode) r.get("timeseries")).remove("hours");
    assertThat(new ReportData(Results.read(r)).time().endHours()).isEqualTo(24);
  }
}
