package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.superfactory.report.result.GoldenScenarios;
import dev.superfactory.report.result.RunResult;
import dev.superfactory.report.result.RunResults;
import dev.superfactory.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)\\b[^>]*?(/?)>");
  private static final Pattern URL = Pattern.compile("https?://[^\"'\\s)<>]*");
  private static final Pattern PATH_DATA = Pattern.compile("<path class=\"line[^\"]*\" d=\"([^\"]*)\"");

  @Test
  void aFullResultHasEverySectionAndOneSvgPerChart() {
    String html = Results.render(Results.withEconomics(Results.withFailures(Results.month())));
    for (ReportSection s : HtmlReport.SECTIONS) {
      assertThat(html).contains("<section id=\"" + s.id() + "\"><h2>" + s.title() + "</h2>");
      assertThat(html).contains("<a href=\"#" + s.id() + "\">");
    }
    // utilization, tenant share, pending jobs, pending GPUs, wait CDF, largest jobs; failures per day, fleet in
    // service, allocated GPU-hours by use, lost GPU-hours by cause, goodput of the largest jobs
    assertThat(count(html, "<svg")).isEqualTo(11);
    assertThat(count(html, "<figure class=\"chart\"><svg")).isEqualTo(11);
    assertThat(html).startsWith("<!doctype html>").contains("<title>fairwater · Superfactory report</title>");
  }

  /**
   * A real run with failures, contracts and prices (two sites of 32 GPUs for four days): every
   * section is there, each chart drawn once, and nothing reads NaN.
   */
  @Test
  void aRealRunWithFailuresHasEverySection() {
    RunResult result = RunResults.withRun(new Simulation(GoldenScenarios.twoSites(true)).run(), "test");
    String html = HtmlReport.render(result);
    for (ReportSection s : HtmlReport.SECTIONS) {
      assertThat(html).contains("<section id=\"" + s.id() + "\"><h2>" + s.title() + "</h2>")
          .contains("<a href=\"#" + s.id() + "\">");
    }
    assertThat(count(html, "<figure class=\"chart\"><svg")).isEqualTo(12); // with the pending GPUs by reason
    assertThat(html).contains("<title>two-sites · Superfactory report</title>").contains("<th>Goodput</th>")
        .contains("<h3>Failure events per day</h3>").contains("<h3>Lost GPU-hours by cause</h3>")
        .contains("<h3>Pending GPUs by reason</h3>").contains("tenant-limit")
        .contains("The Lab").contains("Run: event loop " + Cells.number(result.run().wallSeconds(), 3) + " s wall time")
        .doesNotContain("NaN").doesNotContain("Infinity").doesNotContain("peak heap 0 MiB");
    assertBalanced(html);
  }

  /** The same run without failures: one line on reliability, no failure charts and no goodput column. */
  @Test
  void aRealRunWithoutFailuresHasNoFailureSections() {
    RunResult result = RunResults.from(new Simulation(GoldenScenarios.twoSites(false)).run());
    String html = HtmlReport.render(result);
    for (String gated : List.of("failures", "gpu-hours", "large-job-goodput")) {
      assertThat(html).doesNotContain("<section id=\"" + gated + "\">").doesNotContain("href=\"#" + gated + "\"");
    }
    for (String id : List.of("summary", "utilization", "tenant-share", "queue", "wait-cdf", "largest-jobs",
        "reliability", "tenants", "contracts", "money", "wait-by-size", "distributions", "jobs")) {
      assertThat(html).contains("<section id=\"" + id + "\">");
    }
    assertThat(html).contains("Failures were not simulated in this run").doesNotContain("<th>Goodput</th>")
        .contains("Run: event loop – s wall time · – events").doesNotContain("NaN");
    assertThat(count(html, "<figure class=\"chart\"><svg")).isEqualTo(7); // with the pending GPUs by reason
    assertBalanced(html);
  }

  /** Without the optional sections (a result written elsewhere), their sections are left out. */
  @Test
  void theOptionalSectionsAreLeftOutWhenTheResultHasNone() {
    ObjectNode r = Results.month();
    ((ObjectNode) r.get("timeseries")).remove("byTenant");
    r.remove("run");
    String html = Results.render(r);
    for (String id : List.of("tenant-share", "reliability", "failures", "gpu-hours", "large-job-goodput", "money")) {
      assertThat(html).doesNotContain("<section id=\"" + id + "\">");
    }
    assertThat(html).contains("<section id=\"contracts\">").contains("Run: event loop – s wall time · – events · – events/s")
        .contains("Superfactory – · Java –");
  }

  @Test
  void theHeadlineCardsShowTheResultsNumbers() {
    String html = Results.render(Results.month());
    assertThat(html)
        .contains("<div class=\"label\">Utilization</div><div class=\"value\">69.1%</div>")
        .contains("<div class=\"label\">Jobs completed</div><div class=\"value\">31,208</div>")
        .contains("<div class=\"label\">Pending at end</div><div class=\"value\">3</div>")
        .contains("<div class=\"label\">Wait p99</div><div class=\"value\">3.0 h</div>")
        .contains("<div class=\"label\">Cross-site jobs</div><div class=\"value\">1</div>");
  }

  @Test
  void thePageNeedsNoNetwork() {
    String html = Results.render(Results.month());
    List<String> urls = new ArrayList<>();
    Matcher m = URL.matcher(html);
    while (m.find()) {
      urls.add(m.group());
    }
    assertThat(urls).isNotEmpty().allMatch(Set.of("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml")::contains);
    assertThat(html).doesNotContain("<script src").doesNotContain("<link").doesNotContain("@import")
        .doesNotContain("url(").doesNotContain("<img");
  }

  @Test
  void everyElementOpenedIsClosedInOrder() {
    assertBalanced(Results.render(Results.month()));
    assertBalanced(Results.render(Results.year()));
    assertBalanced(Results.render(Results.withFailures(Results.year())));
  }

  @Test
  void nullValuesReadAsDashesNotZeroOrNaN() {
    ObjectNode r = Results.month();
    ((ObjectNode) r.get("wait")).putNull("p50Hours").putNull("p99Hours");
    ((ObjectNode) r.get("utilization")).putNull("allocated");
    ((ObjectNode) r.get("tenants").get(0)).putNull("waitP95Hours").putNull("fleetShare");
    ((ObjectNode) r.get("scenario")).putNull("source");
    String html = Results.render(r);
    assertThat(html)
        .contains("<div class=\"label\">Wait p50</div><div class=\"value\">–</div>")
        .contains("<div class=\"label\">Wait p99</div><div class=\"value\">–</div>")
        .contains("<div class=\"label\">Utilization</div><div class=\"value\">–</div>")
        .contains("<dt>Source</dt><dd>–</dd>")
        .doesNotContain("NaN");
  }

  @Test
  void missingPartsOfASectionSkipTheirChartOnly() {
    ObjectNode r = Results.month();
    ((ObjectNode) r.get("timeseries")).remove("pendingGpus");
    ((ObjectNode) r.get("waitCdf")).putArray("hours").add(0.0);
    r.remove("largestJobs");
    String html = Results.render(r);
    assertThat(html).contains("<h3>Pending jobs</h3>").doesNotContain("<h3>Pending GPUs</h3>")
        .contains("too few wait-time points")
        .contains("<section id=\"largest-jobs\"><h2>Largest jobs</h2><p class=\"lede\">The 0 largest jobs")
        .contains("<p class=\"empty\">No jobs ran in the window.</p></section>");
    assertThat(count(html, "<svg")).isEqualTo(3);
    assertBalanced(html);
  }

  @Test
  void missingAndNullSamplesAreGapsNotZeros() {
    ObjectNode r = Results.month();
    ObjectNode ts = (ObjectNode) r.get("timeseries");
    ((ObjectNode) ts.get("bySite")).putArray("wisconsin").addNull().add(0.5).addNull();
    ts.remove("pendingJobs");
    String html = Results.render(r);
    assertThat(html).contains("<section id=\"queue\">").doesNotContain("<h3>Pending jobs</h3>")
        .contains("<h3>Pending GPUs</h3>").doesNotContain("NaN");
    assertBalanced(html);
  }

  @Test
  void hostileNamesAreEscapedEverywhere() {
    String evil = "<script>alert('x')</script>\"&";
    ObjectNode r = Results.month();
    ((ObjectNode) r.get("scenario")).put("name", evil);
    ((ObjectNode) r.get("tenants").get(0)).put("name", evil).put("displayName", evil);
    ((ObjectNode) r.get("timeseries").get("byTenant")).set(evil, r.get("timeseries").get("byTenant").get("openai"));
    ((ObjectNode) r.get("waitCdf").get("byTenant")).set(evil, r.get("waitCdf").get("all"));
    ((ObjectNode) r.get("largestJobs").get(0)).put("id", evil).put("tenant", evil);
    ((ObjectNode) r.get("largestJobs").get(0).get("gpusBySite")).put(evil, 8);
    ((ObjectNode) r.get("fleet").get("sites").get(0)).put("name", evil);
    ((ObjectNode) r.get("jobs").get("pendingReasons")).put(evil, 1);
    String html = Results.render(r);
    assertThat(html).doesNotContain("<script>alert").doesNotContain("'x'")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;");
    assertThat(count(html, "<script")).isEqualTo(1);
    assertBalanced(html);
  }

  @Test
  void theSameJsonGivesTheSameBytes() {
    assertThat(Results.render(Results.month())).isEqualTo(Results.render(Results.month()));
    assertThat(Results.render(Results.year())).isEqualTo(Results.render(Results.year()));
  }

  @Test
  void aYearOfHourlySamplesIsThinnedToAModestPage() {
    String html = Results.render(Results.year());
    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(2_000_000);
    Matcher m = PATH_DATA.matcher(html);
    int lines = 0;
    while (m.find()) {
      lines++;
      assertThat(count(m.group(1), ",")).isBetween(2, SvgLineChart.MAX_POINTS);
    }
    assertThat(lines).isEqualTo(5 + 4 + 1); // total + 2 sites, 2 queue lines; 4 tenants + all jobs in the CDF
    assertThat(html).contains("<text x=\"").contains(">350</text>").contains("days from the start of the measured window");
  }

  @Test
  void tenantsKeepTheirColorInEveryChartAndTable() {
    String html = Results.render(Results.month());
    String xai = Palette.TENANT_COLORS.get(2);
    assertThat(html).contains("<path class=\"layer\"").contains("fill=\"" + xai + "\"")
        .contains("class=\"line normal\" d=\"").contains("stroke=\"" + xai + "\"")
        .contains("class=\"running\" x=\"").contains("class=\"sw box\" style=\"background:" + xai + "\"></span>XAI");
  }

  /** Counts non-overlapping occurrences. */
  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  /** Fails unless every tag outside script and style closes the innermost open one. */
  static void assertBalanced(String html) {
    String markup = html.replaceAll("(?s)<(script|style)>.*?</\\1>", "<$1></$1>");
    Deque<String> open = new ArrayDeque<>();
    Matcher m = TAG.matcher(markup);
    while (m.find()) {
      String name = m.group(2).toLowerCase(java.util.Locale.ROOT);
      if (!m.group(3).isEmpty()) {
        continue; // <tag ... />
      }
      if (m.group(1).isEmpty()) {
        open.push(name);
      } else {
        assertThat(open.peek()).as("closing </%s> at %d", name, m.start()).isEqualTo(name);
        open.pop();
      }
    }
    assertThat(open).as("unclosed elements").isEmpty();
  }
}
