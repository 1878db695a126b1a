package dev.lifecycle.jobs.report;

import java.util.List;
import java.util.Locale;

/**
 * Charts as inline SVG, so a report needs nothing but itself to be viewed: bars, columns (for
 * histograms) and lines; heatmaps and SOM grids are {@link SvgMaps}. Every mark carries a {@code
 * <title>} with its value, which a browser shows on hover. Sizes are in CSS pixels; the SVG scales
 * to its container.
 */
final class Svg {
  static final String[] PALETTE = {"#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e", "#9498a0"};
  static final String AXIS = "#555";
  private static final String GRID = "#e4e4e4";

  /** A line of a line chart: points (x, y), y NaN where there is none. */
  record Series(String name, double[] x, double[] y, String color, boolean dashed, double width) {}

  private Svg() {}

  /** Horizontal bars, one per label, with the value written at the bar's end. */
  static String bars(List<String> labels, double[] values, String format) {
    int rowHeight = 22;
    int labelWidth = 250;
    int width = 660;
    int height = rowHeight * labels.size() + 10;
    double max = max(values);
    StringBuilder svg = open(width, height);
    for (int i = 0; i < labels.size(); i++) {
      // Negative values (a silhouette, a revenue share) get a hairline at zero and their number.
      double w = max > 0 ? Math.max(0, (width - labelWidth - 90) * values[i] / max) : 0;
      int y = 5 + i * rowHeight;
      svg.append(text(labelWidth - 6, y + 15, "end", labels.get(i)));
      svg.append(
          String.format(
              Locale.ROOT, "<rect class=\"mark\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>",
              labelWidth, y + 3, Math.max(w, 0.5), rowHeight - 6, PALETTE[0], escape(labels.get(i)),
              String.format(Locale.ROOT, format, values[i])));
      svg.append(text(labelWidth + w + 5, y + 15, "start", String.format(Locale.ROOT, format, values[i])));
    }
    return svg.append("</svg>").toString();
  }

  /** Vertical columns over labelled bins: a histogram. */
  static String columns(List<String> labels, double[] values, String xTitle, String yTitle) {
    int width = 640;
    int height = 260;
    Frame frame = new Frame(width, height, 0, labels.size(), 0, niceMax(max(values)));
    StringBuilder svg = open(width, height);
    frame.axes(svg, xTitle, yTitle, false);
    double step = frame.plotWidth() / labels.size();
    int every = Math.max(1, (labels.size() + 9) / 10);
    for (int i = 0; i < labels.size(); i++) {
      double x = frame.left + i * step;
      double y = frame.y(values[i]);
      svg.append(
          String.format(
              Locale.ROOT, "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>",
              x + 1, y, Math.max(step - 2, 1), Math.max(frame.y(0) - y, 0.5), PALETTE[0], escape(labels.get(i)),
              number(values[i])));
      if (i % every == 0) {
        svg.append(text(x + step / 2, height - 28, "middle", labels.get(i)));
      }
    }
    return svg.append("</svg>").toString();
  }

  /** Lines over a shared x axis, with a legend. */
  static String lines(List<Series> series, String xTitle, String yTitle, double yMax, int width, int height) {
    double yMin = 0;
    for (Series s : series) {
      for (double y : s.y()) {
        yMin = Double.isNaN(y) ? yMin : Math.min(yMin, y);
      }
    }
    yMin = yMin < 0 ? -niceMax(-yMin) : 0;
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double x : s.x()) {
        xMin = Math.min(xMin, x);
        xMax = Math.max(xMax, x);
      }
    }
    xMin = Double.isFinite(xMin) ? Math.min(xMin, 0 < xMin && xMin <= 1 ? 0 : xMin) : 0;
    Frame frame = new Frame(width, height, xMin, Math.max(xMax, xMin + 1), yMin, yMax);
    StringBuilder svg = open(width, height);
    frame.axes(svg, xTitle, yTitle, true);
    int legendY = 14;
    for (Series s : series) {
      StringBuilder path = new StringBuilder();
      boolean pen = false;
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isNaN(s.y()[i])) {
          pen = false;
          continue;
        }
        path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", frame.x(s.x()[i]), frame.y(s.y()[i])));
        pen = true;
      }
      if (path.length() > 0) {
        svg.append(
            String.format(
                Locale.ROOT, "<path class=\"mark\" d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s><title>%s</title></path>",
                path.toString().trim(), s.color(), s.width(), s.dashed() ? " stroke-dasharray=\"5 3\"" : "", escape(s.name())));
      }
      svg.append(
          String.format(
              Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>",
              width - 170.0, legendY, width - 150.0, legendY, s.color(), s.width(), s.dashed() ? " stroke-dasharray=\"5 3\"" : ""));
      svg.append(text(width - 145, legendY + 4, "start", s.name()));
      legendY += 15;
    }
    return svg.append("</svg>").toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static String number(double v) {
    if (Math.abs(v) >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }
    if (Math.abs(v) >= 1e4) {
      return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    }
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
  }

  static StringBuilder open(int width, int height) {
    return new StringBuilder(
        String.format(
            Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" font-family=\"system-ui, sans-serif\" font-size=\"11\">",
            width, height, width, height));
  }

  static String text(double x, double y, String anchor, String text) {
    return String.format(
        Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">%s</text>", x, y, anchor, AXIS, escape(text));
  }

  private static double max(double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  /** 1, 2 or 5 times a power of ten, at least v. */
  private static double niceMax(double v) {
    if (!(v > 0)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * power >= v) {
        return m * power;
      }
    }
    return 10 * power;
  }

  /** The plot area of a chart with axes, mapping data to pixels. */
  private record Frame(int width, int height, double xMin, double xMax, double yMin, double yMax, int left, int top, int right, int bottom) {
    Frame(int width, int height, double xMin, double xMax, double yMin, double yMax) {
      this(width, height, xMin, xMax, yMin, yMax, 60, 10, 10, 44);
    }

    double plotWidth() {
      return width - left - right;
    }

    double x(double v) {
      return left + (v - xMin) / (xMax - xMin) * plotWidth();
    }

    double y(double v) {
      return top + (1 - (v - yMin) / (yMax - yMin)) * (height - top - bottom);
    }

    void axes(StringBuilder svg, String xTitle, String yTitle, boolean xTicks) {
      for (int i = 0; i <= 4; i++) {
        double v = yMin + (yMax - yMin) * i / 4;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>", left, y(v), width - right, y(v), GRID));
        svg.append(text(left - 5, y(v) + 4, "end", number(v)));
      }
      if (xTicks) {
        // Whole numbers (k, periods): a tick every 1, 2, 5, 10... so that there are at most 8.
        double step = 1;
        while ((xMax - xMin) / step > 8) {
          step *= String.valueOf((long) step).startsWith("2") ? 2.5 : 2;
        }
        for (double v = Math.ceil(xMin / step) * step; v <= xMax + 1e-9; v += step) {
          svg.append(text(x(v), height - bottom + 14, "middle", number(v)));
        }
      }
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>", left, y(yMin), width - right, y(yMin), AXIS));
      svg.append(text(left + plotWidth() / 2, height - 6, "middle", xTitle));
      svg.append(
          String.format(
              Locale.ROOT, "<text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" text-anchor=\"middle\" fill=\"%s\">%s</text>",
              top + (height - top - bottom) / 2.0, top + (height - top - bottom) / 2.0, AXIS, escape(yTitle)));
    }
  }
}
