package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.superfactory.sweep.Outputs;
import dev.superfactory.sweep.SweepPage;
import dev.superfactory.sweep.SweepResult;
import dev.superfactory.sweep.SweepResult.AxisInfo;
import dev.superfactory.sweep.SweepResult.Cell;
import dev.superfactory.sweep.SweepResult.Stat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * sweep.html in a real headless Chromium ({@link Chromium}), opened from file://: a page rendered from a
 * hand-built {@link SweepResult} (load × policy, 3 seeds, an objective; no simulation), its table re-ordered by
 * clicking a heading, both ways, missing values last either way. The screenshot goes to
 * {@code target/screenshots/sweep.png}. Fails (never skips) where Chromium is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SweepPageBrowserTest {
  private static final Path PAGE = Path.of("target", "sweep-page", "sweep.html");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final List<String> LOADS = List.of("0.4", "0.6", "0.8", "0.95");
  private static final List<String> POLICIES = List.of("fifo-backfill", "fair-share");
  private Chromium chromium;
  private SweepResult result;

  @BeforeAll
  void renderAndStart() throws Exception {
    result = sweep();
    Files.createDirectories(PAGE.getParent());
    Files.writeString(PAGE, SweepPage.render(result), StandardCharsets.UTF_8);
    chromium = Chromium.start();
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void open() {
    chromium.open(PAGE.toAbsolutePath());
  }

  @AfterEach
  void noConsoleErrors() {
    assertThat(chromium.consoleErrors()).as("the browser console's errors").isEmpty();
  }

  @Test
  void clickingAnOutputHeadingSortsTheRowsByItsMeanAscendingThenDescending() throws Exception {
    assertThat(cellOrder()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    List<Integer> ascending = byMean("util", Comparator.naturalOrder());
    heading("util").click();
    assertThat(cellOrder()).isEqualTo(ascending);
    assertThat(heading("util").getAttribute("aria-sort")).isEqualTo("ascending");
    heading("util").click();
    assertThat(cellOrder()).isEqualTo(byMean("util", Comparator.reverseOrder()));
    assertThat(heading("util").getAttribute("aria-sort")).isEqualTo("descending");
    assertThat(chromium.unreadable(chromium.driver().findElement(By.id("objective")))).as("objective line").isEmpty();
    chromium.screenshot(SCREENSHOTS.resolve("sweep.png"));
  }

  @Test
  void aLoneChartFillsItsRowAndTwoChartsShareOne() throws Exception {
    // the same cells with load as the only axis: one chart per output, as wide as the section
    SweepResult oneAxis = new SweepResult(result.name(), result.description(), result.scenario(),
        List.of(result.axes().get(0)), result.seeds(), result.outputs(), null, result.points(), result.cells());
    Path page = PAGE.resolveSibling("one-axis.html");
    Files.writeString(page, SweepPage.render(oneAxis), StandardCharsets.UTF_8);
    chromium.open(page.toAbsolutePath());
    List<WebElement> lone = charts("util");
    assertThat(lone).hasSize(1);
    assertThat(filled(lone)).as("share of the row the lone chart fills").isGreaterThan(0.9);

    chromium.open(PAGE.toAbsolutePath()); // load × policy: two charts per output, side by side
    List<WebElement> two = charts("util");
    assertThat(two).hasSize(2);
    assertThat(two.get(1).getRect().getY()).isEqualTo(two.get(0).getRect().getY());
    assertThat(filled(two)).as("share of the row the two charts fill").isGreaterThan(0.9);
  }

  private List<WebElement> charts(String output) {
    return chromium.driver().findElements(By.cssSelector("#charts-" + output + " .grid figure.chart"));
  }

  /** The share of their grid's width that the charts' svgs take together. */
  private double filled(List<WebElement> charts) {
    WebElement grid = chromium.driver().findElement(By.cssSelector("#charts-util .grid"));
    return charts.stream().mapToDouble(c -> c.findElement(By.tagName("svg")).getRect().getWidth()).sum()
        / grid.getRect().getWidth();
  }

  @Test
  void missingValuesSortLastInBothDirections() {
    heading("payback").click();
    List<Integer> up = cellOrder();
    assertThat(up).isEqualTo(byMean("payback", Comparator.naturalOrder()));
    assertThat(up.get(up.size() - 1)).as("the cell without a payback").isEqualTo(7);
    heading("payback").click();
    List<Integer> down = cellOrder();
    assertThat(down).isEqualTo(byMean("payback", Comparator.reverseOrder()));
    assertThat(down.get(down.size() - 1)).isEqualTo(7);
  }

  @Test
  void clickingAnAxisHeadingSortsByItsValues() {
    heading("policy").click(); // text: fair-share before fifo-backfill; ties keep their order
    assertThat(cellOrder()).containsExactly(1, 3, 5, 7, 0, 2, 4, 6);
    heading("load").click();
    assertThat(cellOrder()).containsExactly(1, 0, 3, 2, 5, 4, 7, 6);
    heading("load").click();
    assertThat(cellOrder()).containsExactly(7, 6, 5, 4, 3, 2, 1, 0);
  }

  private WebElement heading(String text) {
    return chromium.driver().findElements(By.cssSelector("#cells thead th")).stream()
        .filter(th -> th.getText().replaceAll(" [▲▼]$", "").equals(text)).findFirst().orElseThrow();
  }

  private List<Integer> cellOrder() {
    return chromium.driver().findElements(By.cssSelector("#cells tbody tr")).stream()
        .map(tr -> Integer.parseInt(tr.getAttribute("data-cell"))).toList();
  }

  /** Cell indexes by the output's mean (ties in cell order), cells without one last. */
  private List<Integer> byMean(String output, Comparator<Double> order) {
    List<Cell> cells = new ArrayList<>(result.cells());
    Comparator<Cell> byMean = Comparator.comparing(c -> c.outputs().get(output).mean(), order);
    cells.sort(Comparator.<Cell, Boolean>comparing(c -> Double.isNaN(c.outputs().get(output).mean())).thenComparing(byMean));
    return cells.stream().map(Cell::index).toList();
  }

  /**
   * load × policy, 3 seeds. util rises with load, fair-share 2 points lower; the p95 wait rises with load;
   * payback shrinks with load, none at 0.95/fair-share (its margin was negative). Best: the lowest wait with
   * util ≥ 0.5, cell 2 (0.6, fifo-backfill).
   */
  private static SweepResult sweep() {
    List<Outputs.Output> outputs = List.of(new Outputs.Output("util", "GPU utilization", "fraction", true),
        new Outputs.Output("gpu-wait-p95", "p95 wait per GPU", "hours", false),
        new Outputs.Output("revenue", "Revenue", "USD", true),
        new Outputs.Output("payback", "Payback", "years", false));
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      double load = Double.parseDouble(LOADS.get(i / 2));
      double util = load * 0.95 - (i % 2) * 0.02;
      Map<String, Stat> stats = new LinkedHashMap<>();
      stats.put("util", stat(util, 0.01));
      stats.put("gpu-wait-p95", stat(0.2 + load * load * 8 + (i % 2) * 0.3, 0.2));
      stats.put("revenue", stat(load * 1.4e9, 5e7));
      stats.put("payback", i == 7 ? stat(Double.NaN, Double.NaN) : stat(6 - load * 4, 0.3));
      Map<String, String> axes = new LinkedHashMap<>();
      axes.put("load", LOADS.get(i / 2));
      axes.put("policy", POLICIES.get(i % 2));
      boolean feasible = util >= 0.5;
      cells.add(new Cell(i, axes, 3, stats, feasible, feasible ? rank(i) : null, i == 2, List.of()));
    }
    return new SweepResult("load-by-policy", "Offered load against the scheduling policy", "preset fairwater",
        List.of(new AxisInfo("load", true, 0, LOADS), new AxisInfo("policy", false, 1, POLICIES)),
        List.of(1L, 2L, 3L), outputs, "minimize gpu-wait-p95 where util >= 0.5", 24, cells);
  }

  /** Feasible cells by wait: 2, 3, 4, 5, 6, 7 (the wait rises with the load, fair-share 0.3 h above fifo). */
  private static int rank(int cell) {
    return cell - 1;
  }

  private static Stat stat(double mean, double half) {
    return Double.isNaN(mean) ? new Stat(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0)
        : new Stat(mean, mean - half, mean + half, half, 3);
  }
}
