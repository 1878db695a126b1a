package dev.lifecycle.jobs.report;

import java.util.List;
import java.util.Locale;

/**
 * Charts coloured on a sequential scale, as inline SVG: heatmaps (cohorts, P(alive), the RFM map)
 * and SOM grids (U-matrix, hits, component planes), each with its colour legend.
 */
final class SvgMaps {
  private SvgMaps() {}

  /**
   * A heatmap: rows top to bottom, columns left to right; NaN cells are left blank. With {@code
   * text}, each cell shows its own text, else its value in {@code format}.
   */
  static String heatmap(
      List<String> rowLabels, List<String> colLabels, double[][] values, String[][] text, String format,
      String xTitle, String yTitle, int cellWidth) {
    int cell = cellWidth > 0 ? cellWidth : Math.max(12, Math.min(60, 600 / Math.max(colLabels.size(), 1)));
    int cellHeight = Math.max(12, Math.min(cellWidth > 0 ? 48 : 40, 480 / Math.max(rowLabels.size(), 1)));
    int left = 90;
    int top = 10;
    int width = Math.max(left + cell * colLabels.size() + 20, 330);
    int height = top + cellHeight * rowLabels.size() + 70;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] row : values) {
      for (double v : row) {
        if (!Double.isNaN(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    StringBuilder svg = Svg.open(width, height);
    int everyRow = Math.max(1, rowLabels.size() / 24);
    int everyCol = Math.max(1, colLabels.size() / 20);
    for (int r = 0; r < rowLabels.size(); r++) {
      if (r % everyRow == 0) {
        svg.append(Svg.text(left - 5, top + r * cellHeight + cellHeight / 2.0 + 4, "end", rowLabels.get(r)));
      }
      for (int c = 0; c < colLabels.size(); c++) {
        double v = values[r][c];
        if (Double.isNaN(v)) {
          continue;
        }
        String label = text != null && text[r][c] != null ? text[r][c] : String.format(Locale.ROOT, format, v);
        svg.append(
            String.format(
                Locale.ROOT, "<rect class=\"mark\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s, %s: %s</title></rect>",
                left + c * cell, top + r * cellHeight, cell, cellHeight, color(v, min, max), Svg.escape(rowLabels.get(r)),
                Svg.escape(colLabels.get(c)), Svg.escape(label)));
        if (cell >= 40 && cellHeight >= 16) {
          svg.append(
              String.format(
                  Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"9\" fill=\"%s\">%s</text>",
                  left + c * cell + cell / 2, top + r * cellHeight + cellHeight / 2 + 3,
                  shade(v, min, max) > 0.5 ? "#fff" : "#000", Svg.escape(shorten(label, cell / 5))));
        }
      }
    }
    for (int c = 0; c < colLabels.size(); c += everyCol) {
      svg.append(Svg.text(left + c * cell + cell / 2.0, top + rowLabels.size() * cellHeight + 14, "middle", colLabels.get(c)));
    }
    svg.append(Svg.text(left + cell * colLabels.size() / 2.0, height - 28, "middle", xTitle));
    legend(svg, left, height - 16, min, max, format);
    svg.append(
        String.format(
            Locale.ROOT, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\">%s</text>",
            top + rowLabels.size() * cellHeight / 2, top + rowLabels.size() * cellHeight / 2, Svg.AXIS, Svg.escape(yTitle)));
    return svg.append("</svg>").toString();
  }

  /**
   * A SOM's grid, node by node row after row, each node a square (rectangular) or a hexagon
   * (hexagonal, odd rows shifted half a step right), coloured by its value.
   */
  static String somGrid(int rows, int cols, boolean hexagonal, double[] values, String format, int size) {
    double step = size;
    double rowStep = hexagonal ? step * Math.sqrt(3) / 2 : step;
    int width = Math.max((int) Math.ceil(step * (cols + 0.5)) + 10, 250);
    int gridHeight = (int) Math.ceil(rowStep * (rows - 1) + step) + 10;
    int height = gridHeight + 22;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    StringBuilder svg = Svg.open(width, height);
    for (int node = 0; node < values.length; node++) {
      int row = node / cols;
      int col = node % cols;
      double cx = 5 + step / 2 + col * step + (hexagonal && row % 2 == 1 ? step / 2 : 0);
      double cy = 5 + step / 2 + row * rowStep;
      String fill = color(values[node], min, max);
      String title = String.format(Locale.ROOT, "<title>node %d (row %d, col %d): %s</title>", node, row, col, String.format(Locale.ROOT, format, values[node]));
      if (hexagonal) {
        StringBuilder points = new StringBuilder();
        double radius = step / Math.sqrt(3);
        for (int k = 0; k < 6; k++) {
          double angle = Math.toRadians(60 * k + 30);
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)));
        }
        svg.append(String.format(Locale.ROOT, "<polygon class=\"mark\" points=\"%s\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"0.5\">%s</polygon>", points.toString().trim(), fill, title));
      } else {
        svg.append(
            String.format(
                Locale.ROOT, "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"0.5\">%s</rect>",
                cx - step / 2, cy - step / 2, step, step, fill, title));
      }
    }
    legend(svg, 5, gridHeight + 4, min, max, format);
    return svg.append("</svg>").toString();
  }

  /** The colour scale from min to max, 120 pixels wide, with its two ends written beside it. */
  private static void legend(StringBuilder svg, double x, double y, double min, double max, String format) {
    if (!(max >= min)) {
      return;
    }
    String low = String.format(Locale.ROOT, format, min);
    double start = x + 6 * low.length() + 8;
    svg.append(Svg.text(start - 4, y + 9, "end", low));
    for (int i = 0; i < 12; i++) {
      svg.append(
          String.format(
              Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>", start + i * 10, y,
              color(min + (max - min) * i / 11, min, max)));
    }
    svg.append(Svg.text(start + 124, y + 9, "start", String.format(Locale.ROOT, format, max)));
  }

  /** A colour of a sequential scale (light yellow to dark blue) for v in [min, max]. */
  static String color(double v, double min, double max) {
    double t = shade(v, min, max);
    int[][] stops = {{255, 247, 188}, {120, 198, 121}, {65, 182, 196}, {34, 94, 168}, {8, 29, 88}};
    double scaled = t * (stops.length - 1);
    int i = Math.min((int) scaled, stops.length - 2);
    double f = scaled - i;
    int r = (int) Math.round(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]));
    int g = (int) Math.round(stops[i][1] + f * (stops[i + 1][1] - stops[i][1]));
    int b = (int) Math.round(stops[i][2] + f * (stops[i + 1][2] - stops[i][2]));
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  private static double shade(double v, double min, double max) {
    return max > min ? Math.max(0, Math.min(1, (v - min) / (max - min))) : 0.5;
  }

  private static String shorten(String text, int most) {
    return text.length() <= most ? text : text.substring(0, Math.max(1, most - 1)) + "…";
  }
}
