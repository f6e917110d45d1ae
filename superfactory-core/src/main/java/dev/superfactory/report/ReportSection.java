package dev.superfactory.report;

import java.util.List;
import java.util.function.Predicate;

/**
 * One section of the HTML report: an anchor id, a heading, the {@code result.json} paths it draws
 * from, and the method that writes its body. The section is written only when one of its paths
 * holds a value, so a result without, say, {@code reliability} simply has no such section; a
 * section may add a condition on top ({@link #onlyIf}), as the failure charts do for a result that
 * says failures were not simulated. Adding a section for a new part of the result is one body
 * method and one line in {@link HtmlReport}.
 */
record ReportSection(String id, String title, List<String> paths, Predicate<ReportData> condition, Body body) {
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
    return new ReportSection(id, title, List.of(paths), data -> true, body);
  }

  /** This section, written only when {@code shown} also holds for the result. */
  ReportSection onlyIf(Predicate<ReportData> shown) {
    return new ReportSection(id, title, paths, shown, body);
  }

  boolean presentIn(ReportData data) {
    return condition.test(data) && paths.stream().anyMatch(data::has);
  }
}
