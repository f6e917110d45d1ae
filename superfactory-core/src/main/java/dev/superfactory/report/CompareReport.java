package dev.superfactory.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code superfactory compare}: one row per policy, rendered from the policies' result.json
 * objects, as a console table, {@code compare.json} and a self-contained {@code compare.html}.
 */
public final class CompareReport {
  private CompareReport() {}

  /** The comparison: per policy the figures a planner compares, in the order given. */
  public static ObjectNode json(List<String> policies, List<JsonNode> results) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    JsonNode first = results.get(0);
    root.set("scenario", first.get("scenario").deepCopy());
    ((ObjectNode) root.get("scenario")).remove("policy");
    ArrayNode rows = root.putArray("policies");
    for (int i = 0; i < policies.size(); i++) {
      JsonNode r = results.get(i);
      ObjectNode n = rows.addObject();
      n.put("policy", policies.get(i));
      n.set("jctMeanHours", r.at("/completionTime/meanHours"));
      n.set("jctP95Hours", r.at("/completionTime/p95Hours"));
      n.set("waitP95Hours", r.at("/wait/p95Hours"));
      ObjectNode byTenant = n.putObject("waitP95HoursByTenant");
      for (JsonNode t : r.get("tenants")) {
        byTenant.set(t.get("name").asText(), t.get("waitP95Hours"));
      }
      n.set("utilization", r.at("/utilization/allocated"));
      n.set("goodput", r.at("/reliability/goodput"));
      n.set("fairness", r.get("fairness"));
      n.set("preemptions", r.get("preemptions"));
      JsonNode gh = r.at("/reliability/gpuHours");
      double lost = gh.path("lostWork").asDouble() + gh.path("restart").asDouble() + gh.path("detection").asDouble()
          + gh.path("wanStall").asDouble();
      n.put("lostGpuHours", Format.round(lost, 3));
      n.set("revenueUsd", r.at("/economics/revenueUsd"));
      n.set("marginUsd", r.at("/economics/marginUsd"));
      n.set("jobsCompleted", r.at("/jobs/completed"));
      n.set("pendingAtEnd", r.at("/jobs/pendingAtEnd"));
    }
    return root;
  }

  public static String text(JsonNode compare) {
    List<String> tenants = new ArrayList<>();
    compare.get("policies").get(0).get("waitP95HoursByTenant").fieldNames().forEachRemaining(tenants::add);
    List<String> headers = new ArrayList<>(List.of("policy", "JCT mean>", "JCT p95>"));
    for (String t : tenants) {
      headers.add("wait p95 " + t + ">");
    }
    headers.addAll(List.of("util>", "goodput>", "Jain>", "preempt>", "lost GPU-h>", "revenue>", "margin>"));
    TextTable table = new TextTable(headers.toArray(new String[0]));
    for (JsonNode p : compare.get("policies")) {
      List<Object> row = new ArrayList<>();
      row.add(p.get("policy").asText());
      row.add(ConsoleSummary.hours(p, "jctMeanHours"));
      row.add(ConsoleSummary.hours(p, "jctP95Hours"));
      for (String t : tenants) {
        row.add(ConsoleSummary.hours(p.get("waitP95HoursByTenant"), t));
      }
      row.add(fraction(p.get("utilization")));
      row.add(fraction(p.get("goodput")));
      row.add(p.get("fairness").isNull() ? "-" : Format.fixed(p.get("fairness").asDouble(), 3));
      row.add(Format.count(p.get("preemptions").asLong()));
      row.add(Format.count(Math.round(p.get("lostGpuHours").asDouble())));
      row.add(ConsoleSummary.usd(p.get("revenueUsd").asDouble()));
      row.add(ConsoleSummary.usd(p.get("marginUsd").asDouble()));
      table.row(row.toArray());
    }
    return table.toString();
  }

  private static String fraction(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode() ? "-" : Format.percent(v.asDouble());
  }

  /** A self-contained page: the table, and one bar chart per measure with the best policy marked. */
  public static String html(JsonNode compare) {
    HtmlWriter w = new HtmlWriter();
    w.raw("<!DOCTYPE html>").newline();
    w.open("html", "lang", "en").open("head").empty("meta", "charset", "utf-8")
        .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
        .element("title", "Superfactory policy comparison: " + compare.at("/scenario/name").asText())
        .open("style").raw(PageAssets.CSS).raw(EXTRA_CSS).close("style").close("head");
    w.open("body");
    w.open("header", "class", "top").open("div", "class", "wrap")
        .element("p", "Superfactory · policy comparison", "class", "kicker")
        .element("h1", compare.at("/scenario/name").asText())
        .element("p", String.format(Locale.ROOT, "%s days, seed %s, workload %s. Every policy ran the same jobs.",
            compare.at("/scenario/horizonDays").asText(), compare.at("/scenario/seed").asText(),
            compare.at("/scenario/workload").asText()), "class", "sub")
        .close("div").close("header");
    w.open("main").open("div", "class", "wrap");
    w.open("section").element("h2", "Summary").open("div", "class", "tablewrap").raw("<pre class=\"cmp\">")
        .text(text(compare)).raw("</pre>").close("div").close("section");
    bars(w, compare, "jctMeanHours", "Mean job completion time", "hours, lower is better", false);
    bars(w, compare, "jctP95Hours", "p95 job completion time", "hours, lower is better", false);
    bars(w, compare, "utilization", "GPU utilization", "allocated ÷ available GPU-hours, higher is better", true);
    bars(w, compare, "goodput", "Goodput", "useful ÷ allocated GPU-hours, higher is better", true);
    bars(w, compare, "fairness", "Jain's fairness index", "over tenants' GPU-hours ÷ entitled shares, 1 = fair", true);
    bars(w, compare, "lostGpuHours", "Lost GPU-hours", "lost work + restart + detection + WAN stall, lower is better",
        false);
    bars(w, compare, "marginUsd", "Margin", "USD over the window, higher is better", true);
    w.close("div").close("main").close("body").close("html");
    return w.finish();
  }

  private static void bars(HtmlWriter w, JsonNode compare, String key, String title, String note, boolean higher) {
    JsonNode policies = compare.get("policies");
    double max = 0;
    double best = higher ? -Double.MAX_VALUE : Double.MAX_VALUE;
    for (JsonNode p : policies) {
      if (p.hasNonNull(key)) {
        double v = p.get(key).asDouble();
        max = Math.max(max, Math.abs(v));
        best = higher ? Math.max(best, v) : Math.min(best, v);
      }
    }
    w.open("section").element("h2", title).element("p", note, "class", "note");
    for (JsonNode p : policies) {
      double v = p.hasNonNull(key) ? p.get(key).asDouble() : Double.NaN;
      double width = Double.isNaN(v) || max <= 0 ? 0 : 100 * Math.abs(v) / max;
      boolean isBest = !Double.isNaN(v) && v == best;
      w.open("div", "class", "barrow")
          .element("span", p.get("policy").asText(), "class", "barlabel")
          .open("span", "class", "bartrack")
          .empty("span", "class", isBest ? "bar best" : "bar",
              "style", String.format(Locale.ROOT, "width:%.2f%%", width))
          .close("span")
          .element("span", Double.isNaN(v) ? "–" : Format.fixed(v, Math.abs(v) < 10 ? 3 : 0), "class", "barvalue")
          .close("div");
    }
    w.close("section");
  }

  private static final String EXTRA_CSS = ".sub{margin:0;color:#c9d4df}"
      + "pre.cmp{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;overflow-x:auto;margin:0}"
      + ".barrow{display:flex;align-items:center;gap:10px;margin:4px 0}"
      + ".barlabel{width:120px;font-size:13px}.bartrack{flex:1;background:#eef1f4;border-radius:3px;height:14px}"
      + ".bar{display:block;height:14px;border-radius:3px;background:#7b93ad}.bar.best{background:#2f7d4f}"
      + ".barvalue{width:110px;text-align:right;font-variant-numeric:tabular-nums;font-size:13px}"
      + ".note{color:#66707d;margin:0 0 8px;font-size:13px}";
}
