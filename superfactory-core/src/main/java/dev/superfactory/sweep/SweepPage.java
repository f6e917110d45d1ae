package dev.superfactory.sweep;

import dev.superfactory.report.Cells;
import dev.superfactory.report.HtmlWriter;
import dev.superfactory.report.PageAssets;
import dev.superfactory.sweep.SweepResult.AxisInfo;
import dev.superfactory.sweep.SweepResult.Cell;
import dev.superfactory.sweep.SweepResult.Stat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code sweep.html}: the sweep's header and objective line, a table with a row per cell (sortable in the page by
 * any column), then per output a chart against each axis ({@link SweepCharts}) and, with two independent axes, a
 * heat map ({@link SweepHeatMap}). Self-contained: inline CSS and script, no URL at all. Every value is the
 * {@link SweepResult}'s, formatted by its unit ({@link SweepUnits}); each table cell carries {@code data-cell} (the
 * cell's index), {@code data-output} (the output key) or {@code data-axis}, and {@code data-v} (the raw number the
 * sort uses). Cost: O(cells · (outputs + axes) · axes).
 */
public final class SweepPage {
  private SweepPage() {}

  public static String render(SweepResult r) {
    HtmlWriter w = new HtmlWriter(1 << 16);
    w.raw("<!DOCTYPE html>").newline();
    w.open("html", "lang", "en");
    w.open("head").empty("meta", "charset", "utf-8")
        .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
        .element("title", "Superfactory sweep: " + r.name())
        .open("style").raw(PageAssets.CSS).raw(CSS).close("style").close("head");
    w.open("body");
    header(w, r);
    List<Outputs.Output> drawn = r.outputs().stream().filter(o -> anyFigure(r, o)).toList();
    toc(w, r, drawn);
    w.open("main").open("div", "class", "wrap");
    table(w, r);
    for (Outputs.Output o : drawn) {
      w.open("section", "class", "output", "id", "charts-" + o.key(), "data-output", o.key())
          .element("h2", o.title()).element("p", o.key() + " · " + o.unit() + " · "
              + (o.higherIsBetter() ? "higher" : "lower") + " is better", "class", "lede")
          .open("div", "class", "grid");
      int width = r.axes().size() == 1 ? SweepCharts.WIDE : SweepCharts.WIDTH;
      for (AxisInfo x : r.axes()) {
        SweepCharts.figure(w, r, o, x, width);
      }
      w.close("div").close("section");
    }
    if (SweepHeatMap.applies(r) && !drawn.isEmpty()) {
      w.open("section", "id", "heat-maps").element("h2", "Heat maps").open("div", "class", "grid");
      for (Outputs.Output o : drawn) {
        SweepHeatMap.write(w, r, o);
      }
      w.close("div").close("section");
    }
    w.close("div").close("main");
    w.open("script").raw(PageAssets.SCRIPT).raw(SORT).close("script");
    w.close("body").close("html").newline();
    return w.finish();
  }

  private static void header(HtmlWriter w, SweepResult r) {
    w.open("header", "class", "top").open("div", "class", "wrap")
        .element("p", "Superfactory · sweep", "class", "kicker").element("h1", r.name());
    if (r.description() != null && !r.description().isBlank()) {
      w.element("p", r.description(), "class", "sub");
    }
    w.open("dl", "class", "facts");
    fact(w, "scenario", r.scenario());
    for (AxisInfo a : r.axes()) {
      fact(w, "axis", a.path() + ": " + String.join(", ", a.values()));
    }
    fact(w, "seeds", r.seeds().stream().map(String::valueOf).collect(Collectors.joining(", ")));
    fact(w, "cells", Cells.count(r.cells().size()));
    fact(w, "points", Cells.count(r.points()));
    w.close("dl");
    if (r.objective() != null) {
      w.element("p", objectiveLine(r), "class", "objective", "id", "objective");
    }
    w.close("div").close("header");
  }

  /** Links to the table, each output's charts and the heat maps: a page of dozens of outputs needs them. */
  private static void toc(HtmlWriter w, SweepResult r, List<Outputs.Output> drawn) {
    w.open("nav", "class", "toc").open("ul");
    w.open("li").element("a", "Cells", "href", "#cells-section").close("li");
    for (Outputs.Output o : drawn) {
      w.open("li").element("a", o.title(), "href", "#charts-" + o.key()).close("li");
    }
    if (SweepHeatMap.applies(r) && !drawn.isEmpty()) {
      w.open("li").element("a", "Heat maps", "href", "#heat-maps").close("li");
    }
    w.close("ul").close("nav");
  }

  private static void fact(HtmlWriter w, String term, String value) {
    w.open("div").element("dt", term).element("dd", value).close("div");
  }

  /** {@code Best: minimize x where y <= 4 → cell 3 with load = 0.8, policy = fifo}; "No feasible point" if none. */
  static String objectiveLine(SweepResult r) {
    List<Cell> best = r.cells().stream().filter(Cell::best).toList();
    long feasible = r.cells().stream().filter(c -> Boolean.TRUE.equals(c.feasible())).count();
    if (best.isEmpty()) {
      return "No feasible point for " + r.objective() + " (" + feasible + " of " + r.cells().size()
          + " cells feasible).";
    }
    return "Best: " + r.objective() + " → " + best.stream().map(c -> "cell " + c.index() + " with axes "
        + c.axes().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", ")))
        .collect(Collectors.joining("; ")) + " (" + feasible + " of " + r.cells().size() + " cells feasible).";
  }

  private static void table(HtmlWriter w, SweepResult r) {
    boolean objective = r.objective() != null;
    w.open("section", "id", "cells-section").element("h2", "Cells")
        .element("p", "One row per combination of axis values: each output's mean over the seeds, ± the half-width "
            + "of its 95% confidence interval. Click a heading to sort; again to reverse."
            + (objective ? " Best rows are marked." : ""), "class", "lede")
        .open("div", "class", "scroll").open("table", "id", "cells", "class", "sweep").open("thead").open("tr");
    for (AxisInfo a : r.axes()) {
      w.element("th", a.path(), "scope", "col", "data-type", a.numeric() ? "num" : "text");
    }
    w.element("th", "runs", "scope", "col", "data-type", "num");
    for (Outputs.Output o : r.outputs()) {
      w.element("th", o.key(), "scope", "col", "data-type", "num", "title", o.title() + " (" + o.unit() + ")");
    }
    if (objective) {
      w.element("th", "feasible", "scope", "col", "data-type", "num").element("th", "rank", "scope", "col",
          "data-type", "num");
    }
    w.close("tr").close("thead").open("tbody");
    for (Cell c : r.cells()) {
      row(w, r, c, objective);
    }
    w.close("tbody").close("table").close("div").close("section");
  }

  private static void row(HtmlWriter w, SweepResult r, Cell c, boolean objective) {
    String index = Integer.toString(c.index());
    w.open("tr", "data-cell", index, "class", c.best() ? "best" : null);
    for (AxisInfo a : r.axes()) {
      String v = c.axes().getOrDefault(a.path(), "");
      w.element("td", v, "data-cell", index, "data-axis", a.path(), "data-v",
          a.numeric() ? raw(Axis.number(v)) : v);
    }
    w.element("td", Integer.toString(c.runs()), "data-cell", index, "data-v", Integer.toString(c.runs()));
    for (Outputs.Output o : r.outputs()) {
      Stat s = c.outputs().get(o.key());
      double mean = s == null ? Double.NaN : s.mean();
      w.open("td", "data-cell", index, "data-output", o.key(), "data-v", raw(mean))
          .text(SweepUnits.value(o.unit(), mean));
      if (s != null && !Double.isNaN(s.ciLow()) && !Double.isNaN(s.ciHigh())) {
        w.element("span", SweepUnits.plusMinus(o.unit(), (s.ciHigh() - s.ciLow()) / 2), "class", "sub ci");
      }
      w.close("td");
    }
    if (objective) {
      Boolean ok = c.feasible();
      w.element("td", ok == null ? Cells.DASH : ok ? "yes" : "no", "data-cell", index, "data-v",
          ok == null ? "" : ok ? "1" : "0");
      w.element("td", c.rank() == null ? Cells.DASH : c.rank().toString(), "data-cell", index, "data-v",
          c.rank() == null ? "" : c.rank().toString());
    }
    w.close("tr");
  }

  private static boolean anyFigure(SweepResult r, Outputs.Output o) {
    return r.cells().stream().map(c -> c.outputs().get(o.key())).anyMatch(s -> s != null && !Double.isNaN(s.mean()));
  }

  /** The number as the sort reads it; empty (sorted last) when missing. */
  private static String raw(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  private static final String CSS = """
      .sub{margin:0 0 10px;color:#c9d4df}
      p.objective{margin:12px 0 0;font-weight:600;color:#fff}
      table.sweep thead th{cursor:pointer;user-select:none}
      table.sweep thead th[aria-sort=ascending]::after{content:" ▲"}
      table.sweep thead th[aria-sort=descending]::after{content:" ▼"}
      table.sweep td:first-child{text-align:right}
      table.sweep tr.best td{font-weight:700;background:#e3f2e8;color:#1d5e38}
      .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:12px 18px}
      figure.chart,figure.heat{margin:0;min-width:0}
      figcaption{font-size:13px;font-weight:600;color:#374151;margin:4px 0}
      p.note{color:#66707d;margin:2px 0 0;font-size:12px}
      svg.chart polygon.ci{stroke:none}
      .series-legend{display:flex;flex-wrap:wrap;align-items:baseline;column-gap:10px;font-size:12.5px}
      .series-legend .legend-title{color:#374151;overflow-wrap:anywhere}
      svg.chart line.ci{opacity:.55;stroke-width:2.5}
      svg.chart .line{stroke-width:2}
      svg.chart .best-ring{fill:none;stroke:#111827;stroke-width:1.6}
      table.heat{width:auto}
      table.heat td,table.heat th{text-align:center;padding:5px 8px}
      table.heat td.best{outline:3px solid #e15759;outline-offset:-3px;font-weight:700}
      """;

  /** Sorts the cells table by a clicked heading: numbers by data-v, missing ones last in both directions. */
  private static final String SORT = """
      (function () {
        var table = document.getElementById('cells');
        if (!table) { return; }
        var heads = table.tHead.rows[0].cells;
        function key(row, col, num) {
          var v = row.cells[col].getAttribute('data-v') || '';
          return num ? (v === '' ? NaN : parseFloat(v)) : v;
        }
        function sortBy(col) {
          var th = heads[col], asc = th.getAttribute('aria-sort') !== 'ascending';
          var num = th.getAttribute('data-type') === 'num';
          for (var i = 0; i !== heads.length; i++) { heads[i].removeAttribute('aria-sort'); }
          th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
          var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = key(a, col, num), y = key(b, col, num);
            var xMissing = num ? isNaN(x) : x === '', yMissing = num ? isNaN(y) : y === '';
            if (xMissing || yMissing) { return xMissing === yMissing ? 0 : (xMissing ? 1 : -1); }
            var c = num ? x - y : x.localeCompare(y);
            return asc ? c : -c;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        }
        for (var i = 0; i !== heads.length; i++) { heads[i].addEventListener('click', sortBy.bind(null, i)); }
      })();
      """;
}
