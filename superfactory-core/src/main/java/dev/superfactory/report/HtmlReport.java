package dev.superfactory.report;

import com.fasterxml.jackson.databind.JsonNode;

/** report.html: being written; for now the JSON in a page. */
public final class HtmlReport {
  private HtmlReport() {}

  public static String render(JsonNode result) {
    return "<!doctype html><meta charset=utf-8><title>Superfactory report</title><pre>"
        + Json.pretty(result).replace("&", "&amp;").replace("<", "&lt;") + "</pre>";
  }
}
