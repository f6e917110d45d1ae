package dev.superfactory.report;

import java.util.List;
import java.util.Map;

/**
 * A Gantt-like chart of jobs over the measured window: one row per job, a light segment while it
 * waited (submit to start) and a solid one while it ran (start to end, or to the window's end if
 * still running), in its tenant's color. Rows are labelled with the GPU count and the sites in
 * their colors. Segments are clipped to the window; a small arrow marks a job that began before it
 * or was still running at its end. Cost: O(jobs).
 */
final class SvgTimeline {
  static final int ROW_HEIGHT = 16;
  private static final int GUTTER = 230;

  private SvgTimeline() {}

  /** One row: times in hours from the window start; {@code endHours} NaN while running. */
  record Bar(String id, String tenantLabel, String color, double gpus, double submitHours, double startHours,
      double endHours, Map<String, Integer> gpusBySite) {}

  static void render(HtmlWriter out, String label, TimeAxis time, List<Bar> bars, Palette sites) {
    Frame frame = new Frame(Frame.TIME_CHART_WIDTH, 12 + bars.size() * ROW_HEIGHT + 42, GUTTER, 28, 12, 42);
    Scale x = frame.x(time.startHours(), time.endHours());
    frame.open(out, label);
    frame.xAxis(out, time.ticks(10), x, time.title());
    for (int i = 0; i < bars.size(); i++) {
      row(out, frame, x, time, i, bars.get(i), sites);
    }
    frame.close(out);
  }

  private static void row(HtmlWriter out, Frame frame, Scale x, TimeAxis time, int i, Bar bar, Palette sites) {
    double top = frame.plotTop() + i * ROW_HEIGHT;
    double middle = top + ROW_HEIGHT / 2.0;
    out.open("g", "class", "job");
    out.element("title", tip(bar, time));
    out.empty("rect", "class", i % 2 == 0 ? "row even" : "row", "x", "0", "y", SvgPath.num(top),
        "width", SvgPath.num(frame.plotRight()), "height", SvgPath.num(ROW_HEIGHT));
    rowLabel(out, frame.plotLeft() - 10, middle, bar, sites);
    double end = Double.isNaN(bar.endHours()) ? time.endHours() : bar.endHours();
    segment(out, x, "waiting", bar.submitHours(), bar.startHours(), top, bar.color());
    segment(out, x, "running", bar.startHours(), end, top, bar.color());
    if (bar.startHours() < time.startHours() || bar.submitHours() < time.startHours()) {
      arrow(out, frame.plotLeft(), middle, -1);
    }
    if (Double.isNaN(bar.endHours()) || bar.endHours() > time.endHours()) {
      arrow(out, frame.plotRight(), middle, 1);
    }
    out.close("g");
  }

  private static void segment(HtmlWriter out, Scale x, String kind, double from, double to, double top, String color) {
    if (Double.isNaN(from) || Double.isNaN(to) || to <= from) {
      return;
    }
    double left = x.clamped(from);
    double right = x.clamped(to);
    if (right - left <= 0 && (to < x.domainFrom() || from > x.domainTo())) {
      return;
    }
    out.empty("rect", "class", kind, "x", SvgPath.num(left), "y", SvgPath.num(top + 3),
        "width", SvgPath.num(Math.max(1, right - left)), "height", SvgPath.num(ROW_HEIGHT - 6), "fill", color);
  }

  /** A small triangle on the plot edge pointing out of the window ({@code direction} −1 left, +1 right). */
  private static void arrow(HtmlWriter out, double edge, double middle, int direction) {
    String tip = SvgPath.num(edge + direction * 6);
    String base = SvgPath.num(edge + direction);
    out.empty("path", "class", "clip-arrow", "d", "M" + base + "," + SvgPath.num(middle - 4) + " L" + tip + ","
        + SvgPath.num(middle) + " L" + base + "," + SvgPath.num(middle + 4) + " Z");
  }

  /** {@code 98,304 GPUs · atlanta}, the site names in their colors; three or more sites as a count. */
  private static void rowLabel(HtmlWriter out, double right, double middle, Bar bar, Palette sites) {
    out.open("text", "class", bar.gpusBySite().size() > 1 ? "row-label cross" : "row-label",
        "x", SvgPath.num(right), "y", SvgPath.num(middle), "dy", "0.32em", "text-anchor", "end");
    out.text(Cells.count(bar.gpus()) + " GPUs");
    if (bar.gpusBySite().size() > 2) {
      out.text(" · " + bar.gpusBySite().size() + " sites");
    } else {
      String separator = " · ";
      for (String site : bar.gpusBySite().keySet()) {
        out.text(separator);
        out.element("tspan", site, "fill", sites.color(site));
        separator = " + ";
      }
    }
    out.close("text");
  }

  private static String tip(Bar bar, TimeAxis time) {
    StringBuilder sb = new StringBuilder("Job ").append(bar.id()).append(" · ").append(bar.tenantLabel())
        .append("\n").append(Cells.count(bar.gpus())).append(" GPUs");
    String on = " on ";
    for (Map.Entry<String, Integer> e : bar.gpusBySite().entrySet()) {
      sb.append(on).append(e.getKey()).append(bar.gpusBySite().size() > 1 ? " " + Cells.count(e.getValue()) : "");
      on = ", ";
    }
    sb.append("\nsubmitted ").append(when(bar.submitHours(), time))
        .append(", started ").append(when(bar.startHours(), time))
        .append("\nwaited ").append(Cells.hours(bar.startHours() - bar.submitHours()))
        .append(Double.isNaN(bar.endHours())
            ? ", still running at the end"
            : ", ran " + Cells.hours(bar.endHours() - bar.startHours()) + ", ended " + when(bar.endHours(), time));
    return sb.toString();
  }

  private static String when(double hours, TimeAxis time) {
    if (Double.isNaN(hours)) {
      return Cells.DASH;
    }
    return time.at(hours) + (hours < time.startHours() ? " (before the window)" : "");
  }
}
