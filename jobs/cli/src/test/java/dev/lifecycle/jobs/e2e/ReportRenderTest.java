package dev.lifecycle.jobs.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lifecycle.jobs.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a sample run, rendered in headless Chromium: every chart is there and drawn (its
 * SVG has a size on the page and marks with a size), no section says its stage has not run, and
 * the page loads nothing from anywhere. A screenshot goes to target/report-screenshots. Skipped,
 * saying why, where no browser is installed (scripts/setup installs it).
 */
@Tag("e2e")
class ReportRenderTest {
  static final List<String> CHARTS =
      List.of(
          "data-quality", "rfm-recency", "rfm-frequency", "rfm-monetary", "rfm-segment-map", "profiles-kmeans", "profiles-som",
          "silhouette", "som-umatrix", "som-hits", "som-plane-1", "som-plane-2", "som-plane-3", "cohort-activity",
          "retention-curves", "clv-distribution", "p-alive", "lifecycle-stages", "lifecycle-patterns", "value-quadrants",
          "loyalty-weights", "loyalty-distribution", "value-class-cube", "propensity-roc", "propensity-calibration",
          "movement-actions");

  @TempDir Path dir;

  /** The report page under a warehouse, or with {@code tuning} the comparison page of a sweep. */
  static Path page(String warehouse, boolean tuning) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(Path.of(warehouse, "reports"))) {
      return files
          .filter(p -> p.toString().endsWith(".html") && p.getFileName().toString().startsWith("tuning-") == tuning)
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void theSomIsDrawnAsItWasFittedNotAsTheReportsConfigSays() throws Exception {
    String warehouse = dir.resolve("rectangular").toString();
    String[] input = SampleRun.concat(SampleRun.generated(dir, 400, 5), "--warehouse", warehouse);
    CliRunner.Result features = CliRunner.run(SampleRun.concat(new String[] {"features"}, input));
    assertThat(features.exitCode()).as(features.err()).isZero();
    CliRunner.Result segment =
        CliRunner.run(
            "segment", "--warehouse", warehouse, "--set", "segment.som.topology=rectangular", "--set",
            "segment.features=recency,frequency,monetary,tenure", "--set", "segment.k=3");
    assertThat(segment.exitCode()).as(segment.err()).isZero();
    // The report's own config has the defaults: a hexagonal grid and three features.
    CliRunner.Result report = CliRunner.run("report", "--warehouse", warehouse);
    assertThat(report.exitCode()).as(report.err()).isZero();
    String html = Files.readString(page(warehouse, false));
    String umatrix = html.substring(html.indexOf("data-chart=\"som-umatrix\""), html.indexOf("data-chart=\"som-hits\""));
    assertThat(umatrix).contains("<rect class=\"mark\"").doesNotContain("<polygon");
    assertThat(html).contains("Component plane: tenure (standardized)", "data-chart=\"som-plane-4\"");
  }

  @Test
  void aReportOfASnapshotWithOnlyFeaturesSaysWhatHasNotRun() throws Exception {
    String warehouse = dir.resolve("features-only").toString();
    String[] input = SampleRun.concat(SampleRun.generated(dir, 400, 3), "--warehouse", warehouse);
    CliRunner.Result features = CliRunner.run(SampleRun.concat(new String[] {"features"}, input));
    assertThat(features.exitCode()).as(features.err()).isZero();
    CliRunner.Result report = CliRunner.run("report", "--warehouse", warehouse);
    assertThat(report.exitCode()).as(report.err()).isZero();
    Path page = page(warehouse, false);
    assertThat(report.out()).contains("report ", page.toUri().getPath());
    String html = Files.readString(page);
    assertThat(html)
        .contains("data-chart=\"data-quality\"", "data-chart=\"rfm-segment-map\"", "data-chart=\"rfm-monetary\"")
        .contains(
            "Not available: stage segment has not run for this snapshot.",
            "Not available: stage retention has not run for this snapshot.",
            "Not available: stage score has not run for this snapshot.")
        .doesNotContain("data-chart=\"som-umatrix\"", "data-chart=\"p-alive\"");
  }

  @Test
  void everyChartOfASampleRunIsDrawn() throws Exception {
    String warehouse = dir.resolve("warehouse").toString();
    String[] input = SampleRun.concat(SampleRun.generated(dir, 3000, 11), "--warehouse", warehouse);
    CliRunner.Result run = CliRunner.run(SampleRun.concat(new String[] {"run", "--set", "propensity.enabled=true"}, input));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("report ");
    Path report = page(warehouse, false);
    String html = Files.readString(report);
    assertThat(html).doesNotContain("<script", "<link", "src=", "class=\"note\"");
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://");
    // The headline comes first; without a backtest it has no holdout error
    assertThat(html.indexOf("data-table=\"headline\"")).isPositive().isLessThan(html.indexOf("data-chart="));
    // The sections are drawn at once, and appear in their order all the same
    assertThat(html)
        .containsSubsequence(
            "<h2>Data quality</h2>", "data-chart=\"rfm-recency\"", "data-chart=\"rfm-segment-map\"",
            "<h2>Segments</h2>", "<h2>Self-organizing map</h2>", "data-chart=\"som-plane-3\"",
            "<h2>Cohorts and retention</h2>", "data-chart=\"retention-curves\"", "<h2>Customer value</h2>",
            "data-chart=\"value-quadrants\"", "<h2>Loyalty and value classes</h2>", "data-chart=\"value-class-cube\"",
            "<h2>Churn propensity</h2>", "data-chart=\"propensity-roc\"", "<h2>Movement</h2>",
            "data-chart=\"movement-actions\"");
    assertThat(html).contains("<td>predicted CLV, total</td>", "<td>purchase model</td><td>bg_nbd</td>")
        .doesNotContain("holdout total error");
    // The P(alive) matrix names the model that gave it, and why BG/NBD's x = 0 row is all 1
    assertThat(html)
        .contains("P(alive) by frequency and recency, bg_nbd", "every customer with x = 0 has P(alive) 1");

    assumeTrue(
        HeadlessChromium.installed(),
        "No browser: " + HeadlessChromium.BROWSER + " or " + HeadlessChromium.DRIVER + " is missing; scripts/setup"
            + " installs Debian's chromium and chromium-driver (as root)");
    try (HeadlessChromium chromium = HeadlessChromium.start()) {
      chromium.open(report);
      List<String> drawn = new ArrayList<>();
      for (String chart : CHARTS) {
        @SuppressWarnings("unchecked")
        Map<String, Object> found =
            (Map<String, Object>) chromium.execute(
                "const f = document.querySelector('figure.chart[data-chart=\"" + chart + "\"]');"
                    + "if (!f) return null;"
                    + "const svgs = [...f.querySelectorAll('svg')];"
                    + "const marks = [...f.querySelectorAll('.mark')].filter(m => { const b = m.getBoundingClientRect();"
                    + " return b.width > 0 && b.height > 0; });"
                    + "const box = f.getBoundingClientRect();"
                    + "return {svgs: svgs.length, marks: marks.length, width: box.width, height: box.height,"
                    + " title: f.querySelector('figcaption').textContent};");
        assertThat(found).as("chart %s is on the page", chart).isNotNull();
        assertThat(number(found, "svgs")).as("SVGs of %s", chart).isPositive();
        assertThat(number(found, "marks")).as("marks drawn in %s", chart).isPositive();
        assertThat(number(found, "width")).as("width of %s", chart).isGreaterThan(100);
        assertThat(number(found, "height")).as("height of %s", chart).isGreaterThan(50);
        drawn.add(chart + ": " + found.get("marks") + " marks");
      }
      assertThat(chromium.execute("return document.querySelectorAll('figure.chart').length;")).isEqualTo((long) CHARTS.size());
      chromium.screenshot(Path.of("target", "report-screenshots", "sample-run.png"));
      System.out.println("report " + report + ": " + String.join(", ", drawn));
    }
  }

  /** A number of the script's result: Selenium gives whole numbers as Long, others as Double. */
  private static double number(Map<String, Object> found, String key) {
    return ((Number) found.get(key)).doubleValue();
  }
}
