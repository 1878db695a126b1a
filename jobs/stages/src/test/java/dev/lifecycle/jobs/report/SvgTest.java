package dev.lifecycle.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The chart helpers: scales and axes, negative values, empty data, escaping. */
class SvgTest {
  private static int count(String svg, String mark) {
    Matcher m = Pattern.compile(Pattern.quote(mark)).matcher(svg);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void barsAreScaledToTheLargestValueAndNegativeOnesKeepAHairlineAndTheirNumber() {
    String svg = Svg.bars(List.of("a", "b", "c"), new double[] {10, 5, -2}, "%.1f");

    // 660 wide, labels 250, 90 for the numbers: the largest bar is 320 px, half of it 160.
    assertThat(svg).contains("width=\"320.0\"", "width=\"160.0\"", "width=\"0.5\"");
    assertThat(svg).contains("<title>c: -2.0</title>", ">-2.0</text>");
    assertThat(count(svg, "class=\"mark\"")).isEqualTo(3);
    assertThat(svg).startsWith("<svg ").endsWith("</svg>");
  }

  @Test
  void noBarsIsAnEmptyChartNotAFailure() {
    String svg = Svg.bars(List.of(), new double[0], "%.0f");
    assertThat(count(svg, "class=\"mark\"")).isZero();
    assertThat(svg).contains("viewBox=\"0 0 660 10\"");
  }

  @Test
  void columnsGetANiceAxisAboveTheirLargestValue() {
    String svg = Svg.columns(List.of("0", "10", "20"), new double[] {3, 37, 12}, "days", "customers");

    // 37 rounds up to 40: ticks at 0, 10, 20, 30, 40.
    for (String tick : List.of(">0</text>", ">10</text>", ">20</text>", ">30</text>", ">40</text>")) {
      assertThat(svg).contains(tick);
    }
    assertThat(svg).doesNotContain(">50</text>");
    assertThat(svg).contains(">days</text>", ">customers</text>", "<title>10: 37</title>");
    assertThat(count(svg, "class=\"mark\"")).isEqualTo(3);
  }

  @Test
  void linesBelowZeroExtendTheAxisDownAndGapsBreakTheLine() {
    Svg.Series series =
        new Svg.Series("silhouette", new double[] {4, 5, 6, 7}, new double[] {0.5, -0.25, Double.NaN, 0.25}, "#000", false, 2);

    String svg = Svg.lines(List.of(series), "k", "score", 1, 640, 260);

    // The lowest value, -0.25, rounds down to -0.25 on the axis (a nice number), and the NaN
    // starts a new piece of the path.
    assertThat(svg).contains(">-0.250</text>");
    Matcher path = Pattern.compile("d=\"([^\"]+)\"").matcher(svg);
    assertThat(path.find()).isTrue();
    assertThat(count(path.group(1), "M")).isEqualTo(2);
    assertThat(count(path.group(1), "L")).isEqualTo(1);
  }

  @Test
  void heatmapCellsWithoutAValueAreLeftBlankAndTextIsEscaped() {
    double[][] values = {{1, Double.NaN}, {2, 3}};
    String[][] text = {{"<b>one</b>", null}, {null, null}};

    String svg = SvgMaps.heatmap(List.of("r1", "r2"), List.of("c1", "c2"), values, text, "%.0f", "x", "y", 60);

    assertThat(count(svg, "class=\"mark\"")).isEqualTo(3);
    assertThat(svg).contains("&lt;b&gt;one&lt;/b&gt;").doesNotContain("<b>");
    assertThat(svg).contains("<title>r2, c2: 3</title>");
  }

  @Test
  void anEmptyHeatmapHasNoCellsAndNoLegend() {
    String svg = SvgMaps.heatmap(List.of(), List.of(), new double[0][0], null, "%.2f", "x", "y", 0);
    assertThat(count(svg, "class=\"mark\"")).isZero();
    assertThat(count(svg, "<rect")).isZero();
  }

  @Test
  void aHexagonalGridDrawsAHexagonPerNodeAndARectangularOneASquare() {
    double[] values = {0, 1, 2, 3, 4, 5};

    String hexagonal = SvgMaps.somGrid(2, 3, true, values, "%.0f", 20);
    String rectangular = SvgMaps.somGrid(2, 3, false, values, "%.0f", 20);

    assertThat(count(hexagonal, "<polygon class=\"mark\"")).isEqualTo(6);
    assertThat(count(rectangular, "<rect class=\"mark\"")).isEqualTo(6);
    assertThat(hexagonal).contains("<title>node 4 (row 1, col 1): 4</title>");
    // the lowest and highest values at the two ends of the colour scale
    assertThat(rectangular).contains("fill=\"" + SvgMaps.color(0, 0, 5) + "\"", "fill=\"" + SvgMaps.color(5, 0, 5) + "\"");
    assertThat(SvgMaps.color(0, 0, 5)).isEqualTo("#fff7bc");
    assertThat(SvgMaps.color(5, 0, 5)).isEqualTo("#081d58");
  }

  @Test
  void numbersAreShortAndReadable() {
    assertThat(Svg.number(1_234_567)).isEqualTo("1.23M");
    assertThat(Svg.number(12_345)).isEqualTo("12.3k");
    assertThat(Svg.number(250)).isEqualTo("250");
    assertThat(Svg.number(0.123456)).isEqualTo("0.123");
    assertThat(Svg.number(-0.5)).isEqualTo("-0.500");
  }
}
