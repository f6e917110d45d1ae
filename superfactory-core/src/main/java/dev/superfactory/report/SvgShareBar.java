package dev.superfactory.report;

import java.util.List;

/**
 * One bar split into the parts of a whole (where the allocated GPU-hours went): each part as wide
 * as its share, its percentage written inside when there is room, its value and share in a
 * tooltip. No axis: the parts add up to 100%. Edges are rounded once and shared, so the parts
 * tile the bar exactly. Cost: O(parts).
 */
final class SvgShareBar {
  static final int HEIGHT = 40;
  /** The narrowest part that gets its percentage written inside. */
  private static final double MIN_LABEL_WIDTH = 46;

  /** One part; NaN or non-positive values take no room. */
  record Part(String label, double value, String color) {}

  private SvgShareBar() {}

  /** The sum of the parts that take room: the whole the shares are of. */
  static double total(List<Part> parts) {
    double total = 0;
    for (Part p : parts) {
      total += p.value() > 0 ? p.value() : 0;
    }
    return total;
  }

  /** Draws the bar; {@code unit} follows each value in the tooltips ({@code "GPU-hours"}). */
  static void render(HtmlWriter out, String label, List<Part> parts, String unit) {
    Frame frame = new Frame(Frame.TIME_CHART_WIDTH, HEIGHT, 0, 0, 4, 4);
    double total = total(parts);
    frame.open(out, label);
    double sum = 0;
    long left = 0;
    for (Part p : parts) {
      if (!(p.value() > 0) || !(total > 0)) {
        continue;
      }
      sum += p.value();
      long right = Math.round(sum / total * frame.width() * 10);
      part(out, frame, p, p.value() / total, left / 10.0, (right - left) / 10.0, unit);
      left = right;
    }
    frame.close(out);
  }

  private static void part(HtmlWriter out, Frame frame, Part p, double share, double left, double width, String unit) {
    out.open("g", "class", "part");
    out.element("title", p.label() + ": " + Cells.compact(p.value()) + " " + unit + " (" + Cells.percent(share) + ")");
    out.empty("rect", "x", SvgPath.num(left), "y", SvgPath.num(frame.plotTop()), "width", SvgPath.num(width),
        "height", SvgPath.num(frame.plotBottom() - frame.plotTop()), "fill", p.color());
    if (width >= MIN_LABEL_WIDTH) {
      out.element("text", Cells.percent(share), "class", light(p.color()) ? "inside dark" : "inside", "x", SvgPath.num(left + width / 2),
          "y", SvgPath.num(HEIGHT / 2.0), "dy", "0.32em", "text-anchor", "middle");
    }
    out.close("g");
  }

  /** True for a {@code #rrggbb} color light enough to need dark text (Rec. 601 luma above 160 of 255). */
  static boolean light(String color) {
    if (color == null || !color.matches("#[0-9a-fA-F]{6}")) {
      return false;
    }
    int rgb = Integer.parseInt(color.substring(1), 16);
    double luma = 0.299 * (rgb >> 16) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
    return luma > 160;
  }
}
