package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * compare.html and report.html as a person sees them: made by real in-process runs, opened from file:// in a
 * real headless Chromium ({@link Chromium}), every value checked readable (a size, not clipped, not covered
 * by another element) and equal to the console's text for the same number. Screenshots are saved under
 * {@code target/browser/}. Fails (never skips) where Chromium is missing, saying how to install it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserPagesTest {
  private static final Path SCREENSHOTS = Path.of("target", "browser");
  private static final String POLICIES = "fifo-backfill,fair-share,las";

  /**
   * Why a bar row is not laid out as label, track, value side by side, or "": each is a child of the row with
   * a size, no two overlap, and the bar fills the share of its track that its style says.
   */
  private static final String BAR_ROW_LAYOUT = """
      const row = arguments[0];
      const parts = ['barlabel', 'bartrack', 'barvalue'].map(c => row.querySelector(':scope > .' + c));
      if (parts.some(p => !p)) return 'is not label, track, value side by side: ' + row.innerHTML.slice(0, 240);
      const boxes = parts.map(p => p.getBoundingClientRect());
      if (boxes.some(b => b.width < 1 || b.height < 1)) return 'has a part with no size';
      for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
          return parts[i].className + ' overlaps ' + parts[j].className;
        }
      }
      const bar = parts[1].querySelector('.bar');
      const wantPercent = parseFloat(bar.style.width);
      const gotPercent = 100 * bar.getBoundingClientRect().width / boxes[1].width;
      if (Math.abs(gotPercent - wantPercent) > 1) return 'bar is ' + gotPercent + '% of its track, not ' + wantPercent + '%';
      if (wantPercent > 0 && bar.getBoundingClientRect().height < 4) return 'bar has no height';
      return '';
      """;

  @TempDir Path dir;
  private Chromium chromium;

  @BeforeAll
  void startChromium() {
    chromium = Chromium.start();
  }

  @AfterAll
  void stopChromium() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void theBrowserIsDebiansChromiumDrivenByTheDriverGivenNotOneSeleniumManagerFound() throws Exception {
    assertThat(Path.of(chromium.driverExecutable()).toRealPath()).isEqualTo(Chromium.DRIVER.toRealPath());
    assertThat(chromium.driver().getCapabilities().getBrowserName()).isEqualTo("chrome");
  }

  @Test
  void everyCompareValueIsReadableAndPrintedAsOnTheConsole() throws Exception {
    CliRun run = CliRun.of("compare", "--preset", "single-site", "--days", "7", "--policies", POLICIES,
        "--out", dir.resolve("compare").toString());
    assertThat(run.status()).as(run.err()).isZero();
    List<List<String>> console = consoleTable(run.out(), "rank");
    chromium.open(dir.resolve("compare").resolve("compare.html"));

    List<String> headers = texts(chromium.driver().findElements(By.cssSelector("table.cmp thead th")));
    assertThat(headers).isEqualTo(console.get(0));
    List<WebElement> rows = chromium.driver().findElements(By.cssSelector("table.cmp tbody tr"));
    assertThat(rows).hasSize(POLICIES.split(",").length).hasSize(console.size() - 1);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(texts(rows.get(i).findElements(By.cssSelector("th, td")))).as("table row %d", i)
          .isEqualTo(console.get(i + 1));
    }

    List<WebElement> values = chromium.driver().findElements(By.cssSelector(".barvalue"));
    assertThat(values).hasSize((headers.size() - 2) * rows.size()); // no bars for rank and policy
    for (WebElement value : values) {
      String policy = value.getAttribute("data-policy");
      String metric = value.getAttribute("data-metric");
      assertThat(chromium.unreadable(value)).as("%s of %s", metric, policy).isEmpty();
      assertThat(value.getText()).as("%s of %s", metric, policy).isEqualTo(cell(console, policy, metric));
    }
    for (WebElement label : chromium.driver().findElements(By.cssSelector(".barlabel"))) {
      assertThat(chromium.unreadable(label)).as("label %s", label.getText()).isEmpty();
    }
    List<WebElement> barRows = chromium.driver().findElements(By.cssSelector(".barrow"));
    assertThat(barRows).hasSameSizeAs(values);
    for (WebElement row : barRows) {
      assertThat(chromium.run(BAR_ROW_LAYOUT, row)).as("bar row %s", row.getText()).isEmpty();
    }
    assertThat(chromium.driver().findElements(By.cssSelector("td.best"))).isNotEmpty();
    assertThat(chromium.consoleErrors()).isEmpty();
    chromium.screenshot(SCREENSHOTS.resolve("compare.png"));
  }

  @Test
  void reportCardsAndChartsAreReadableAndAgreeWithTheConsole() throws Exception {
    CliRun run = CliRun.of("simulate", "--preset", "single-site", "--days", "7", "--out",
        dir.resolve("simulate").toString());
    assertThat(run.status()).as(run.err()).isZero();
    chromium.open(dir.resolve("simulate").resolve("report.html"));

    List<WebElement> cards = chromium.driver().findElements(By.cssSelector(".card .value"));
    assertThat(cards).hasSizeGreaterThanOrEqualTo(6);
    for (WebElement card : cards) {
      assertThat(chromium.unreadable(card)).as("card %s", card.getText()).isEmpty();
    }
    assertThat(card("Utilization")).isEqualTo(consoleValue(run.out(), "allocated (GPU utilization)"));
    assertThat(card("Jobs completed")).isEqualTo(consoleValue(run.out(), "jobs completed"));
    assertThat(String.join(" / ", card("Wait p50"), card("Wait p95"), card("Wait p99")))
        .isEqualTo(consoleValue(run.out(), "queue wait p50 / p95 / p99, jobs started"));
    List<WebElement> charts = chromium.driver().findElements(By.cssSelector("svg.chart"));
    assertThat(charts).hasSizeGreaterThanOrEqualTo(4);
    for (WebElement chart : charts) {
      assertThat(chart.getSize().getWidth()).as(chart.getAttribute("aria-label")).isGreaterThan(200);
      assertThat(chart.getSize().getHeight()).as(chart.getAttribute("aria-label")).isGreaterThan(20);
    }
    assertThat(chromium.consoleErrors()).isEmpty();
    chromium.screenshot(SCREENSHOTS.resolve("report.png"));
  }

  private String card(String label) {
    return chromium.driver().findElement(By.xpath(
        "//div[@class='card'][div[@class='label' and normalize-space()='" + label + "']]/div[@class='value']")).getText();
  }

  private static List<String> texts(List<WebElement> elements) {
    return elements.stream().map(WebElement::getText).toList();
  }

  /** The console's cell for a policy (row) and metric (column heading). */
  private static String cell(List<List<String>> table, String policy, String metric) {
    int column = table.get(0).indexOf(metric);
    assertThat(column).as("console column %s in %s", metric, table.get(0)).isPositive();
    return table.stream().filter(r -> r.get(1).equals(policy)).findFirst().orElseThrow().get(column);
  }

  /** A two-column console table's value for the row whose measure starts with {@code measure}. */
  private static String consoleValue(String out, String measure) {
    return consoleTable(out, "measure").stream().filter(r -> r.get(0).startsWith(measure)).findFirst()
        .orElseThrow(() -> new AssertionError("no console row '" + measure + "' in\n" + out)).get(1);
  }

  /**
   * The console table whose heading row starts with {@code firstHeader}: the heading and each data row, cut
   * into cells at the columns of its rule line ({@code ----  ---}), each cell trimmed.
   */
  static List<List<String>> consoleTable(String out, String firstHeader) {
    String[] lines = out.split("\n");
    int head = 0;
    while (head < lines.length && !lines[head].startsWith(firstHeader + " ")) {
      head++;
    }
    assertThat(head).as("a table headed '%s' in\n%s", firstHeader, out).isLessThan(lines.length - 1);
    List<int[]> columns = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-+").matcher(lines[head + 1]);
    while (m.find()) {
      columns.add(new int[] {m.start(), m.end()});
    }
    List<List<String>> table = new ArrayList<>();
    for (int i = head; i < lines.length && !lines[i].isBlank(); i++) {
      if (i == head + 1) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (int[] c : columns) {
        String line = lines[i];
        cells.add(line.substring(Math.min(c[0], line.length()), Math.min(c[1], line.length())).trim());
      }
      table.add(cells);
    }
    return table;
  }
}
