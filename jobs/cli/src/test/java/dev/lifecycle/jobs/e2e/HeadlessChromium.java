package dev.lifecycle.jobs.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven through its ChromeDriver over the W3C WebDriver protocol
 * (plain HTTP and JSON): open a page, run a script in it, take a screenshot. The test setup
 * installs the two packages (chromium, chromium-driver) when they are missing, as root with
 * apt-get. Chromium runs with the flags this machine's closed network needs.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process driver;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String session;
  private final Path profile;

  private HeadlessChromium(Process driver, String base, Path profile) throws IOException, InterruptedException {
    this.driver = driver;
    this.base = base;
    this.profile = profile;
    List<String> args =
        List.of(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
            "--window-size=1200,900");
    JsonNode created =
        call("POST", "/session",
            Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                "browserName", "chrome", "goog:chromeOptions", Map.of("binary", BROWSER.toString(), "args", args)))));
    this.session = created.path("value").path("sessionId").asText();
  }

  /** Installs Chromium and ChromeDriver if missing, then starts a browser. */
  static HeadlessChromium start() throws IOException, InterruptedException {
    install();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process driver =
        new ProcessBuilder(DRIVER.toString(), "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String base = "http://127.0.0.1:" + port;
    HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (int attempt = 0; ; attempt++) {
      try {
        HttpResponse<String> status =
            probe.send(
                HttpRequest.newBuilder(URI.create(base + "/status")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (JSON.readTree(status.body()).path("value").path("ready").asBoolean()) {
          break;
        }
      } catch (IOException notYet) {
        // the driver is still starting
      } catch (InterruptedException e) {
        driver.destroyForcibly();
        throw e;
      }
      if (attempt > 100) {
        driver.destroyForcibly();
        throw new IllegalStateException("ChromeDriver did not start on port " + port);
      }
      Thread.sleep(100);
    }
    try {
      return new HeadlessChromium(driver, base, Files.createTempDirectory("chromium-profile"));
    } catch (IOException | RuntimeException e) {
      driver.destroyForcibly();
      throw e;
    }
  }

  /** Debian's chromium and chromium-driver, with apt-get, when either is missing. */
  static synchronized void install() throws IOException, InterruptedException {
    if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
      return;
    }
    List<String> install = List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver");
    if (run(install) != 0 && (run(List.of("apt-get", "update")) != 0 || run(install) != 0)) {
      throw new IllegalStateException("Cannot install chromium and chromium-driver with apt-get (needs root and Debian's packages)");
    }
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    process.getOutputStream().close();
    return process.waitFor();
  }

  void open(Path page) throws IOException, InterruptedException {
    call("POST", "/session/" + session + "/url", Map.of("url", page.toUri().toString()));
  }

  /** Runs {@code script} (a function body) in the page and returns its JSON value. */
  JsonNode execute(String script) throws IOException, InterruptedException {
    return call("POST", "/session/" + session + "/execute/sync", Map.of("script", script, "args", List.of())).path("value");
  }

  /** A PNG of the whole page: the window is made as tall as the page first. */
  void screenshot(Path png) throws IOException, InterruptedException {
    int height = execute("return document.documentElement.scrollHeight;").asInt();
    call("POST", "/session/" + session + "/window/rect", Map.of("width", 1200, "height", Math.min(height + 100, 16_000)));
    String data = call("GET", "/session/" + session + "/screenshot", null).path("value").asText();
    Files.createDirectories(png.getParent());
    Files.write(png, Base64.getDecoder().decode(data));
  }

  private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).header("Content-Type", "application/json");
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = JSON.readTree(response.body());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("WebDriver " + method + " " + path + " failed: " + json.path("value").path("message").asText());
    }
    return json;
  }

  @Override
  public void close() throws IOException {
    try {
      if (session != null) {
        call("DELETE", "/session/" + session, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      driver.destroy();
      try {
        driver.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }
}
