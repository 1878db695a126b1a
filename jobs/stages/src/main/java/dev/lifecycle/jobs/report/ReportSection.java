package dev.lifecycle.jobs.report;

/**
 * One section of the report: it reads its tables' columns by name and draws its charts, tables
 * and notes on the page, or says why it cannot.
 */
interface ReportSection {
  void draw(ReportPage page);
}
