package dev.superfactory.report;

import dev.superfactory.report.CompareReport.Comparison;
import dev.superfactory.report.CompareReport.Metric;
import dev.superfactory.report.CompareReport.PolicyRow;
import java.util.List;
import java.util.Locale;

/**
 * {@code compare.html}: a table with a row per policy and a column per {@link Metric}, then a bar chart
 * per metric, every value the console's text for it and the best policy of each metric marked. Self-contained
 * (inline CSS, no script, no network). Each table cell and bar value carries {@code data-policy} and
 * {@code data-metric} so a browser test can match it with the console. Cost: O(policies · metrics).
 */
final class ComparePage {
  private ComparePage() {}

  static String render(Comparison compare, List<Metric> metrics) {
    HtmlWriter w = new HtmlWriter();
    w.raw("<!DOCTYPE html>").newline();
    w.open("html", "lang", "en");
    head(w, compare);
    w.open("body");
    header(w, compare);
    w.open("main").open("div", "class", "wrap");
    table(w, compare, metrics);
    w.open("div", "class", "charts");
    for (Metric m : metrics) {
      bars(w, compare.policies(), m);
    }
    w.close("div").close("div").close("main").close("body").close("html").newline();
    return w.finish();
  }

  private static void head(HtmlWriter w, Comparison compare) {
    w.open("head").empty("meta", "charset", "utf-8")
        .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
        .element("title", "Superfactory policy comparison: " + compare.scenario().name())
        .open("style").raw(PageAssets.CSS).raw(CSS).close("style").close("head");
  }

  private static void header(HtmlWriter w, Comparison compare) {
    var scenario = compare.scenario();
    w.open("header", "class", "top").open("div", "class", "wrap")
        .element("p", "Superfactory · policy comparison", "class", "kicker")
        .element("h1", scenario.name())
        .element("p", String.format(Locale.ROOT, "%s days, seed %s, workload %s. Every policy ran the same jobs.",
            Double.toString(scenario.horizonDays()), scenario.seed(), scenario.workload()), "class", "sub")
        .close("div").close("header");
  }

  private static void table(HtmlWriter w, Comparison compare, List<Metric> metrics) {
    List<PolicyRow> policies = compare.policies();
    w.open("section", "id", "summary").element("h2", "Summary")
        .element("p", CompareReport.objectiveLine(compare) + ".", "class", "lede", "id", "objective")
        .element("p", "The best policy of each measure is in bold on green; none is marked where all print alike. "
            + "Hover a heading for what it measures.", "class", "lede")
        .open("div", "class", "scroll").open("table", "class", "cmp").open("thead").open("tr")
        .element("th", "rank", "scope", "col").element("th", "policy", "scope", "col");
    for (Metric m : metrics) {
      w.element("th", m.header(), "scope", "col", "title", m.title() + ": " + m.direction());
    }
    w.close("tr").close("thead").open("tbody");
    boolean[][] best = bestByMetric(policies, metrics);
    for (int i = 0; i < policies.size(); i++) {
      PolicyRow p = policies.get(i);
      w.open("tr", "data-policy", p.policy()).element("td", Integer.toString(p.rank()))
          .element("th", p.policy(), "scope", "row");
      for (int j = 0; j < metrics.size(); j++) {
        Metric m = metrics.get(j);
        w.element("td", m.formatted(p), "class", best[j][i] ? "best" : null, "data-metric", m.header());
      }
      w.close("tr");
    }
    w.close("tbody").close("table").close("div").close("section");
  }

  private static boolean[][] bestByMetric(List<PolicyRow> policies, List<Metric> metrics) {
    boolean[][] best = new boolean[metrics.size()][];
    for (int j = 0; j < best.length; j++) {
      best[j] = metrics.get(j).best(policies);
    }
    return best;
  }

  /** One row per policy: its name, a bar as long as its share of the largest magnitude, and its value. */
  private static void bars(HtmlWriter w, List<PolicyRow> policies, Metric m) {
    double max = 0;
    for (PolicyRow p : policies) {
      double v = m.value().applyAsDouble(p);
      max = Double.isNaN(v) ? max : Math.max(max, Math.abs(v));
    }
    boolean[] best = m.best(policies);
    w.open("section", "class", "metric").element("h2", m.title()).element("p", m.direction(), "class", "note");
    for (int i = 0; i < policies.size(); i++) {
      PolicyRow p = policies.get(i);
      double v = m.value().applyAsDouble(p);
      double widthPercent = Double.isNaN(v) || max <= 0 ? 0 : 100 * Math.abs(v) / max;
      w.open("div", "class", best[i] ? "barrow best" : "barrow")
          .element("span", p.policy(), "class", "barlabel")
          .open("span", "class", "bartrack")
          .open("span", "class", "bar", "style", String.format(Locale.ROOT, "width:%.2f%%", widthPercent))
          .close("span").close("span")
          .element("span", m.formatted(p), "class", "barvalue", "data-policy", p.policy(), "data-metric", m.header())
          .close("div");
    }
    w.close("section");
  }

  private static final String CSS = """
      .sub{margin:0;color:#c9d4df}
      .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));column-gap:16px}
      .charts section{margin:0 0 16px;min-width:0}
      table.cmp th[scope=col]{cursor:help}
      table.cmp tbody th,table.cmp thead th:nth-child(2){text-align:left;font-weight:600}
      table.cmp td.best{font-weight:700;color:#1d5e38;background:#e3f2e8}
      .barrow{display:flex;align-items:center;gap:10px;margin:4px 0}
      .barlabel{flex:0 0 140px;font-size:13px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
      .bartrack{flex:1;background:#eef1f4;border-radius:3px;height:14px;overflow:hidden}
      .bar{display:block;height:100%;border-radius:3px;background:#7b93ad}
      .barrow.best .bar{background:#2f7d4f}
      .barrow.best .barvalue{font-weight:700;color:#1d5e38}
      .barvalue{flex:0 0 110px;text-align:right;font-variant-numeric:tabular-nums;font-size:13px;white-space:nowrap}
      .note{color:#66707d;margin:0 0 8px;font-size:13px}
      """;
}
