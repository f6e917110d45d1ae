package dev.superfactory.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium driven through its chromedriver, both Debian's ({@code scripts/install-chromium.sh}
 * installs them). The driver's path is given explicitly, so Selenium Manager is never asked to find or download
 * one (and surefire sets {@code SE_OFFLINE=true} in case it were). Missing binaries fail the test with the
 * command to run: a browser test is never skipped. Cost: about 1 s to start, 0.1–0.5 s a page.
 */
final class Chromium implements AutoCloseable {
  static final Path BINARY = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));
  static final int WIDTH_PX = 1280;
  static final int HEIGHT_PX = 1000;
  /** Quiet: no CDP bindings are needed (the tests use WebDriver only), so the missing-version warning is noise. */
  private static final java.util.logging.Logger CDP_LOG = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

  /**
   * Why an element is not readable, or "" if it is: it has a size, is not hidden, its text is not clipped,
   * and the element hit at its centre is itself or inside it (nothing covers it).
   */
  private static final String UNREADABLE = """
      const el = arguments[0];
      el.scrollIntoView({block: 'center', inline: 'center'});
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) return 'has no size: ' + r.width + 'x' + r.height;
      const style = getComputedStyle(el);
      if (style.visibility !== 'visible' || Number(style.opacity) === 0) return 'is hidden by its style';
      if (el.scrollWidth > el.clientWidth + 1) return 'clips its text: ' + el.scrollWidth + ' > ' + el.clientWidth + ' px';
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (hit !== el && !el.contains(hit)) return 'is covered by ' + (hit ? hit.outerHTML.slice(0, 160) : 'nothing');
      return '';
      """;

  private final ChromeDriver driver;
  private final ChromeDriverService service;

  private Chromium(ChromeDriverService service, ChromeDriver driver) {
    this.service = service;
    this.driver = driver;
  }

  static Chromium start() {
    if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
      fail("headless Chromium is needed for the browser tests but %s or %s is missing: run "
          + "scripts/install-chromium.sh (as root: apt-get install chromium chromium-driver), then mvn verify again",
          BINARY, DRIVER);
    }
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().withLogOutput(java.io.OutputStream.nullOutputStream()).build();
    ChromeOptions options = new ChromeOptions().setBinary(BINARY.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--hide-scrollbars", "--window-size=" + WIDTH_PX + "," + HEIGHT_PX, "--no-first-run", "--disable-extensions");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    return new Chromium(service, new ChromeDriver(service, options));
  }

  /** The driver that this session runs: the one given, never one Selenium Manager found. */
  String driverExecutable() {
    return service.getExecutable();
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens a page in a window of the first size (a screenshot resizes it to the whole page). */
  void open(Path page) {
    driver.manage().window().setSize(new Dimension(WIDTH_PX, HEIGHT_PX));
    driver.get(page.toUri().toString());
  }

  /** Opens a page served at {@code url} (a live server's dashboard) in a window of the first size. */
  void open(java.net.URI url) {
    driver.manage().window().setSize(new Dimension(WIDTH_PX, HEIGHT_PX));
    driver.get(url.toString());
  }

  /** Why the element is not readable, or "" if it is (see {@link #UNREADABLE}). */
  String unreadable(WebElement element) {
    return run(UNREADABLE, element);
  }

  /** Runs a script in the page that returns a string (a problem, or ""), with {@code arguments[i]} bound. */
  String run(String script, Object... arguments) {
    return (String) ((JavascriptExecutor) driver).executeScript(script, arguments);
  }

  /** Console messages at level SEVERE (errors) since the last call. */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::toString).toList();
  }

  /** Resizes the window to the whole page and saves a PNG of it. */
  Path screenshot(Path png) throws java.io.IOException {
    long heightPx = (Long) ((JavascriptExecutor) driver).executeScript(
        "return Math.ceil(document.documentElement.scrollHeight)");
    driver.manage().window().setSize(new Dimension(WIDTH_PX, (int) Math.min(heightPx, 16_000)));
    ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.createDirectories(png.getParent());
    Files.copy(shot.toPath(), png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return png;
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(name);
    log.setLevel(Level.SEVERE);
    return log;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
