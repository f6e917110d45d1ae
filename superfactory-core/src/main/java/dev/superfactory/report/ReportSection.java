package dev.superfactory.report;

import java.util.List;

/**
 * One section of the HTML report: an anchor id, a heading, the {@code result.json} paths it draws
 * from, and the method that writes its body. The section is written only when one of its paths
 * holds a value, so a result without, say, {@code reliability} simply has no such section. Adding a
 * section for a new part of the result is one body method and one line in {@link HtmlReport}.
 */
record ReportSection(String id, String title, List<String> paths, Body body) {
  /** Writes the section's content (the heading and the section element are written around it). */
  @FunctionalInterface
  interface Body {
    void write(ReportData data, HtmlWriter out);
  }

  /** {@code paths} are dotted: {@code "timeseries.byTenant"}. */
  static ReportSection of(String id, String title, Body body, String... paths) {
    if (paths.length == 0) {
      throw new IllegalArgumentException("section " + id + " names no result.json path to draw from");
    }
    return new ReportSection(id, title, List.of(paths), body);
  }

  boolean presentIn(ReportData data) {
    return paths.stream().anyMatch(data::has);
  }
}
