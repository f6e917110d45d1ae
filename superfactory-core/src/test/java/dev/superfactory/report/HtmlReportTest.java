package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
    String html = HtmlReport.render(Results.withEconomics(Results.withFailures(Results.month())));
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

  @Test
  void theHeadlineCardsShowTheResultsNumbers() {
    String html = HtmlReport.render(Results.month());
    assertThat(html)
        .contains("<div class=\"label\">Utilization</div><div class=\"value\">69.1%</div>")
        .contains("<div class=\"label\">Jobs completed</div><div class=\"value\">31,208</div>")
        .contains("<div class=\"label\">Pending at end</div><div class=\"value\">3</div>")
        .contains("<div class=\"label\">Wait p99</div><div class=\"value\">3.0 h</div>")
        .contains("<div class=\"label\">Cross-site jobs</div><div class=\"value\">1</div>");
  }

  @Test
  void thePageNeedsNoNetwork() {
    String html = HtmlReport.render(Results.month());
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
    assertBalanced(HtmlReport.render(Results.month()));
    assertBalanced(HtmlReport.render(Results.year()));
    assertBalanced(HtmlReport.render(Results.withFailures(Results.year())));
    assertBalanced(HtmlReport.render(Json.mapper().createObjectNode()));
  }

  @Test
  void anEmptyResultStillRendersAPageWithDashes() {
    String html = HtmlReport.render(Json.mapper().createObjectNode());
    assertThat(html).contains("<h1>–</h1>").contains("<dt>Policy</dt><dd>–</dd>").contains("<footer>")
        .doesNotContain("<section").doesNotContain("<svg").doesNotContain("NaN");
    assertThat(HtmlReport.render(null)).isEqualTo(html);
  }

  @Test
  void nullValuesReadAsDashesNotZeroOrNaN() {
    ObjectNode r = Results.month();
    ((ObjectNode) r.get("wait")).putNull("p50Hours").putNull("p99Hours");
    ((ObjectNode) r.get("utilization")).putNull("allocated");
    ((ObjectNode) r.get("tenants").get(0)).putNull("waitP95Hours").putNull("fleetShare");
    ((ObjectNode) r.get("scenario")).putNull("seed");
    String html = HtmlReport.render(r);
    assertThat(html)
        .contains("<div class=\"label\">Wait p50</div><div class=\"value\">–</div>")
        .contains("<div class=\"label\">Wait p99</div><div class=\"value\">–</div>")
        .contains("<div class=\"label\">Utilization</div><div class=\"value\">–</div>")
        .contains("<dt>Seed</dt><dd>–</dd>")
        .doesNotContain("NaN");
  }

  @Test
  void missingPartsOfASectionSkipTheirChartOnly() {
    ObjectNode r = Results.month();
    ((ObjectNode) r.get("timeseries")).remove("pendingGpus");
    ((ObjectNode) r.get("waitCdf")).putArray("hours").add(0.0);
    r.remove("largestJobs");
    String html = HtmlReport.render(r);
    assertThat(html).contains("<h3>Pending jobs</h3>").doesNotContain("<h3>Pending GPUs</h3>")
        .contains("too few wait-time points").doesNotContain("id=\"largest-jobs\"").doesNotContain("#largest-jobs");
    assertThat(count(html, "<svg")).isEqualTo(3);
    assertBalanced(html);
  }

  @Test
  void seriesOfTheWrongShapeDoNotCrashTheRenderer() {
    ObjectNode r = Results.month();
    ObjectNode ts = (ObjectNode) r.get("timeseries");
    ts.put("allocated", "n/a");
    ts.putArray("pendingJobs").add("x").addNull().add(3);
    ((ObjectNode) ts.get("bySite")).putArray("wisconsin").addNull();
    r.put("largestJobs", 7);
    r.putArray("tenants").add(1).addObject();
    String html = HtmlReport.render(r);
    assertThat(html).contains("<section id=\"queue\">").doesNotContain("NaN");
    assertBalanced(html);
  }

  @Test
  void unknownTopLevelSectionsAreIgnored() {
    ObjectNode r = Results.month();
    String without = HtmlReport.render(r);
    r.putObject("carbon").put("note", "<b>later</b>");
    r.putArray("somethingElse").add(1);
    assertThat(HtmlReport.render(r)).isEqualTo(without);
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
    String html = HtmlReport.render(r);
    assertThat(html).doesNotContain("<script>alert").doesNotContain("'x'")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;");
    assertThat(count(html, "<script")).isEqualTo(1);
    assertBalanced(html);
  }

  @Test
  void theSameJsonGivesTheSameBytes() {
    assertThat(HtmlReport.render(Results.month())).isEqualTo(HtmlReport.render(Results.month()));
    assertThat(HtmlReport.render(Results.year())).isEqualTo(HtmlReport.render(Results.year()));
  }

  @Test
  void aYearOfHourlySamplesIsThinnedToAModestPage() {
    String html = HtmlReport.render(Results.year());
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
    String html = HtmlReport.render(Results.month());
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
