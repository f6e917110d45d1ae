package dev.superfactory.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A null-safe, read-only view of {@code result.json} for the HTML renderers: missing or null
 * fields read as NaN, null or empty, never as an exception. Also holds what every section shares:
 * the tenant, site and failure-cause palettes and the time axis. Built once per render in O(size
 * of the JSON name lists); lookups are Jackson's O(1) field access.
 */
final class ReportData {
  private final JsonNode root;
  private final Palette tenants;
  private final Palette sites;
  private final Palette causes;
  private final TimeAxis time;

  ReportData(JsonNode result) {
    this.root = result == null || !result.isObject() ? MissingNode.getInstance() : result;
    this.tenants = Palette.assign(tenantNames(root), Palette.TENANT_COLORS);
    this.sites = Palette.assign(siteNames(root), Palette.SITE_COLORS);
    this.causes = Palette.assign(causeNames(root), Palette.CAUSE_COLORS);
    this.time = new TimeAxis(0, windowHours(root));
  }

  /** The node at a dotted path ({@code "timeseries.bySite"}); a missing node if any step is absent. */
  JsonNode at(String dottedPath) {
    JsonNode n = root;
    for (String key : dottedPath.split("\\.")) {
      n = n.path(key);
    }
    return n;
  }

  /** True when the path leads to a value other than JSON null. */
  boolean has(String dottedPath) {
    JsonNode n = at(dottedPath);
    return !n.isMissingNode() && !n.isNull();
  }

  Palette tenants() {
    return tenants;
  }

  Palette sites() {
    return sites;
  }

  /** Failure causes in the order the result lists them. */
  Palette causes() {
    return causes;
  }

  TimeAxis time() {
    return time;
  }

  /**
   * False only when the result says failures were not simulated ({@code reliability.enabled} is
   * {@code false}); a result without the flag is judged by the data it has.
   */
  boolean failuresSimulated() {
    JsonNode enabled = at("reliability.enabled");
    return !enabled.isBoolean() || enabled.booleanValue();
  }

  /** The tenant's display name from {@code tenants[]}, else its name. */
  String tenantLabel(String name) {
    for (JsonNode t : root.path("tenants")) {
      if (name.equals(text(t, "name"))) {
        String display = text(t, "displayName");
        return display == null || display.isBlank() ? name : display;
      }
    }
    return name;
  }

  static double number(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isNumber() ? v.asDouble() : Double.NaN;
  }

  /** A field's text; numbers and booleans as written in the JSON; null when missing, null or structured. */
  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() ? v.asText() : null;
  }

  /** An array of numbers; nulls and non-numbers become NaN; not an array gives an empty one. */
  static double[] numbers(JsonNode array) {
    if (!array.isArray()) {
      return new double[0];
    }
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = array.get(i);
      values[i] = v.isNumber() ? v.asDouble() : Double.NaN;
    }
    return values;
  }

  /** The field names of an object, in document order; empty for anything else. */
  static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    if (object.isObject()) {
      object.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  private static Set<String> tenantNames(JsonNode root) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode t : root.path("tenants")) {
      addText(names, t, "name");
    }
    names.addAll(fieldNames(root.path("utilization").path("byTenant")));
    names.addAll(fieldNames(root.path("timeseries").path("byTenant")));
    names.addAll(fieldNames(root.path("waitCdf").path("byTenant")));
    for (JsonNode j : root.path("largestJobs")) {
      addText(names, j, "tenant");
    }
    names.addAll(fieldNames(root.path("reliability").path("goodputByTenant")));
    for (JsonNode j : root.path("reliability").path("largeJobs")) {
      addText(names, j, "tenant");
    }
    return names;
  }

  private static Set<String> causeNames(JsonNode root) {
    JsonNode r = root.path("reliability");
    Set<String> names = new LinkedHashSet<>();
    for (String field : List.of("interruptionsByCause", "failureEventsByCause", "lostGpuHoursByCause")) {
      names.addAll(fieldNames(r.path(field)));
    }
    names.addAll(fieldNames(r.path("timeline").path("byCause")));
    return names;
  }

  private static Set<String> siteNames(JsonNode root) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode s : root.path("fleet").path("sites")) {
      addText(names, s, "name");
    }
    names.addAll(fieldNames(root.path("utilization").path("bySite")));
    names.addAll(fieldNames(root.path("timeseries").path("bySite")));
    for (JsonNode j : root.path("largestJobs")) {
      names.addAll(fieldNames(j.path("gpusBySite")));
    }
    return names;
  }

  private static void addText(Set<String> names, JsonNode node, String field) {
    String s = text(node, field);
    if (s != null) {
      names.add(s);
    }
  }

  /** The window length: the scenario horizon, else the last sample time, else the latest job time, else a day. */
  private static double windowHours(JsonNode root) {
    double horizon = number(root.path("scenario"), "horizonDays") * 24;
    if (horizon > 0) {
      return horizon;
    }
    double latest = 0;
    for (double h : numbers(root.path("timeseries").path("hours"))) {
      latest = h > latest ? h : latest;
    }
    for (Iterator<JsonNode> it = root.path("largestJobs").elements(); it.hasNext(); ) {
      JsonNode j = it.next();
      for (String f : new String[] {"submitHours", "startHours", "endHours"}) {
        double h = number(j, f);
        latest = h > latest ? h : latest;
      }
    }
    return latest > 0 ? latest : 24;
  }
}
