package dev.lifecycle.jobs.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Selenium through its ChromeDriver: open a page, run a
 * script in it, take a screenshot. {@code scripts/setup} installs the two packages (chromium,
 * chromium-driver); Selenium is given both paths, so it downloads nothing. Chromium runs with the
 * flags this machine's closed network needs.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriverService service, ChromeDriver driver, Path profile) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  /** Whether the browser and its driver are installed (by scripts/setup). */
  static boolean installed() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }

  static HeadlessChromium start() throws IOException {
    Path profile = Files.createTempDirectory("chromium-profile");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(BROWSER.toFile())
            .addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1200,900");
    try {
      return new HeadlessChromium(service, new ChromeDriver(service, options), profile);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
  }

  void open(Path page) {
    driver.get(page.toUri().toString());
  }

  /** Runs {@code script} (a function body) in the page and returns its value, as Selenium maps it. */
  Object execute(String script) {
    return driver.executeScript(script);
  }

  /** A PNG of the whole page: the window is made as tall as the page first. */
  void screenshot(Path png) throws IOException {
    long height = (Long) execute("return document.documentElement.scrollHeight;");
    driver.manage().window().setSize(new Dimension(1200, (int) Math.min(height + 100, 16_000)));
    Files.createDirectories(png.getParent());
    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }
}
