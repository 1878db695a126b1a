package dev.lifecycle.jobs.report;

import java.util.List;

/**
 * One self-contained HTML page: sections of charts ({@code <figure class="chart">} with the chart's
 * id in {@code data-chart}), tables and notes, with its own style and no script or link to load.
 */
final class ReportPage {
  private static final String STYLE =
      """
      body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
      h1{font-size:22px;margin-bottom:2px} .sub{color:#666;font-size:13px;margin-bottom:18px}
      h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
      figure.chart{margin:14px 28px 22px 0;display:inline-block;vertical-align:top;max-width:100%}
      figure.chart svg{max-width:100%;height:auto}
      figcaption{font-weight:600;font-size:14px;margin-bottom:6px}
      .caption{color:#555;font-size:12px;max-width:720px;margin-top:4px}
      .note{color:#8a5a00;background:#fff8e6;padding:6px 10px;border-radius:4px;font-size:13px}
      .panels{display:flex;flex-wrap:wrap;gap:8px} .panel-title{font-size:12px;color:#444;margin:2px 0}
      table{border-collapse:collapse;font-size:12px;margin:8px 0} td,th{border:1px solid #ddd;padding:3px 7px;text-align:right}
      td:first-child,th:first-child,td:last-child,th:last-child{text-align:left} th{background:#f4f4f4}
      """;

  private final StringBuilder body = new StringBuilder();
  private final String title;
  private int charts;

  ReportPage(String title, String subtitle) {
    this.title = title;
    body.append("<h1>").append(Svg.escape(title)).append("</h1><div class=\"sub\">").append(Svg.escape(subtitle)).append("</div>");
  }

  /** A part of a page: drawn apart, then {@link #append appended} to the page. */
  ReportPage() {
    this.title = null;
  }

  /** Adds a part drawn apart, its charts counted. */
  void append(ReportPage part) {
    body.append(part.body);
    charts += part.charts;
  }

  void section(String heading) {
    body.append("<h2>").append(Svg.escape(heading)).append("</h2>");
  }

  /** A chart: its SVG (or several, side by side) under a title, with an optional caption. */
  void chart(String id, String heading, String svg, String caption) {
    charts++;
    body.append("<figure class=\"chart\" data-chart=\"").append(id).append("\"><figcaption>").append(Svg.escape(heading))
        .append("</figcaption>");
    body.append(svg.startsWith("<div") ? "<div class=\"panels\">" + svg + "</div>" : svg);
    if (caption != null && !caption.isEmpty()) {
      body.append("<div class=\"caption\">").append(Svg.escape(caption)).append("</div>");
    }
    body.append("</figure>");
  }

  void table(String id, List<String> headers, List<List<String>> rows) {
    body.append("<table data-table=\"").append(id).append("\"><tr>");
    headers.forEach(h -> body.append("<th>").append(Svg.escape(h)).append("</th>"));
    body.append("</tr>");
    for (List<String> row : rows) {
      body.append("<tr>");
      row.forEach(cell -> body.append("<td>").append(Svg.escape(cell)).append("</td>"));
      body.append("</tr>");
    }
    body.append("</table>");
  }

  /** A warning: something the reader expected is missing. */
  void note(String text) {
    body.append("<p class=\"note\">").append(Svg.escape(text)).append("</p>");
  }

  /** Plain text: nothing is missing, there is just nothing to draw. */
  void text(String text) {
    body.append("<p class=\"text\">").append(Svg.escape(text)).append("</p>");
  }

  /** The note of a section whose stage has not run for the snapshot. */
  void notRun(String stage) {
    note("Not available: stage " + stage + " has not run for this snapshot.");
  }

  int charts() {
    return charts;
  }

  String html() {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Svg.escape(title) + "</title><style>" + STYLE
        + "</style></head><body>" + body + "</body></html>\n";
  }
}
