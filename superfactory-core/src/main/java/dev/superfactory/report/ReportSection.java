package dev.superfactory.report;

import java.util.function.Predicate;

/**
 * One section of the HTML report: an anchor id, a heading, when it is shown, and the method that
 * writes its body. A section is shown for every result unless it says otherwise ({@link #onlyIf}):
 * the optional parts of a result (reliability, economics, per-tenant samples) are gated on their
 * presence, and the failure charts on the result saying failures were simulated. A section whose
 * data is empty says so in its body. Adding a section for a new part of the result is one body
 * method and one line in {@link HtmlReport}.
 */
record ReportSection(String id, String title, Predicate<ReportData> shown, Body body) {
  /** Writes the section's content (the heading and the section element are written around it). */
  @FunctionalInterface
  interface Body {
    void write(ReportData data, HtmlWriter out);
  }

  /** A section shown for every result. */
  static ReportSection of(String id, String title, Body body) {
    return new ReportSection(id, title, data -> true, body);
  }

  /** This section, written only when {@code condition} also holds for the result. */
  ReportSection onlyIf(Predicate<ReportData> condition) {
    return new ReportSection(id, title, shown.and(condition), body);
  }

  boolean presentIn(ReportData data) {
    return shown.test(data);
  }
}
