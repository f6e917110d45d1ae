package dev.superfactory.report;

import java.util.List;

/**
 * Horizontal bars, one row per item (a failure cause, a job), on a shared value axis that starts
 * at zero. A row has one or more tracks (a goodput bar over a training-time bar), each a stack of
 * segments from the left. A segment is solid, light (a second measure of the same item) or
 * hatched (a quantity of another kind than the solid ones, such as demand left waiting in the
 * queue), hatched with drawn lines rather than an SVG pattern so the page needs no ids. Each row
 * has a label with a colored swatch on the left, a note on the right and a tooltip. Segment edges
 * are rounded to a tenth of a unit once and shared, so a stack is exactly as long as its sum.
 * Cost: O(rows × segments).
 */
final class SvgBarRows {
  /** The lines of a hatched segment. */
  static final String HATCH_COLOR = "#6b7280";
  private static final int HATCH_SPACING = 5;
  private static final int SWATCH = 10;
  /** About the width of one character of a row label (11 px), for cutting long labels to the gutter. */
  private static final double CHAR_WIDTH = 6.2;

  /** How a segment is painted. */
  enum Fill { SOLID, LIGHT, HATCHED }

  /** One piece of a bar; NaN or non-positive values take no room. */
  record Segment(double value, String color, Fill fill) {}

  /** One item: {@code swatch} is a palette color (or null for none); tracks are drawn top to bottom. */
  record Row(String label, String swatch, List<List<Segment>> tracks, String note, String tip) {}

  private SvgBarRows() {}

  /** The chart; {@code gutter} and {@code noteWidth} are the room for labels left and notes right. */
  static void render(HtmlWriter out, String label, ValueAxis axis, List<Row> rows, int gutter, int noteWidth) {
    int tracks = 1;
    for (Row r : rows) {
      tracks = Math.max(tracks, r.tracks().size());
    }
    int bar = tracks == 1 ? 12 : 8;
    int rowHeight = tracks * bar + (tracks - 1) * 2 + 8;
    Frame frame = new Frame(Frame.TIME_CHART_WIDTH, 8 + rows.size() * rowHeight + 42, gutter, noteWidth, 8, 42);
    Scale x = frame.x(axis.lo(), axis.hi());
    frame.open(out, label);
    frame.xAxis(out, axis.ticks(), x, axis.title());
    for (int i = 0; i < rows.size(); i++) {
      double top = frame.plotTop() + i * rowHeight;
      row(out, frame, x, rows.get(i), i, top, rowHeight, bar);
    }
    frame.close(out);
  }

  private static void row(HtmlWriter out, Frame frame, Scale x, Row row, int i, double top, int rowHeight, int bar) {
    double middle = top + rowHeight / 2.0;
    out.open("g", "class", "bar-row");
    out.element("title", row.tip());
    out.empty("rect", "class", i % 2 == 0 ? "row even" : "row", "x", "0", "y", SvgPath.num(top),
        "width", SvgPath.num(frame.width()), "height", SvgPath.num(rowHeight));
    double textX = 0;
    if (row.swatch() != null) {
      out.empty("rect", "x", "0", "y", SvgPath.num(middle - SWATCH / 2.0), "width", Integer.toString(SWATCH),
          "height", Integer.toString(SWATCH), "rx", "2", "fill", row.swatch());
      textX = SWATCH + 6;
    }
    int room = (int) ((frame.plotLeft() - textX - 8) / CHAR_WIDTH);
    out.element("text", fit(row.label(), room), "class", "row-label", "x", SvgPath.num(textX), "y", SvgPath.num(middle),
        "dy", "0.32em");
    for (int t = 0; t < row.tracks().size(); t++) {
      track(out, x, row.tracks().get(t), top + 4 + t * (bar + 2), bar);
    }
    out.element("text", row.note(), "class", "row-label", "x", SvgPath.num(frame.plotRight() + 8),
        "y", SvgPath.num(middle), "dy", "0.32em");
    out.close("g");
  }

  private static void track(HtmlWriter out, Scale x, List<Segment> segments, double top, int bar) {
    double sum = 0;
    long left = Math.round(x.clamped(0) * 10);
    for (Segment s : segments) {
      if (!(s.value() > 0)) {
        continue;
      }
      sum += s.value();
      long right = Math.round(x.clamped(sum) * 10);
      if (right > left) {
        segment(out, s, left / 10.0, top, (right - left) / 10.0, bar);
      }
      left = right;
    }
  }

  private static void segment(HtmlWriter out, Segment s, double left, double top, double width, int bar) {
    String y = SvgPath.num(top);
    String w = SvgPath.num(width);
    switch (s.fill()) {
      case SOLID -> out.empty("rect", "class", "seg", "x", SvgPath.num(left), "y", y, "width", w,
          "height", Integer.toString(bar), "fill", s.color());
      case LIGHT -> out.empty("rect", "class", "seg light", "x", SvgPath.num(left), "y", y, "width", w,
          "height", Integer.toString(bar), "fill", s.color());
      case HATCHED -> {
        out.empty("rect", "class", "seg hatched", "x", SvgPath.num(left), "y", y, "width", w,
            "height", Integer.toString(bar), "fill", "#fff", "stroke", s.color());
        out.empty("path", "class", "hatch", "d", hatch(left, top, width, bar), "stroke", HATCH_COLOR);
      }
    }
  }

  /** The label, cut to {@code chars} characters with an ellipsis when longer (the tooltip has it whole). */
  static String fit(String label, int chars) {
    if (label.codePointCount(0, label.length()) <= chars) {
      return label;
    }
    return label.substring(0, label.offsetByCodePoints(0, Math.max(0, chars - 1))) + "…";
  }

  /** Lines at 45° ({@code x + y = c}) every {@link #HATCH_SPACING} units, cut to the rectangle. */
  static String hatch(double left, double top, double width, double height) {
    SvgPath path = new SvgPath((int) ((width + height) / HATCH_SPACING) * 2 + 2);
    double right = left + width;
    double bottom = top + height;
    for (double c = left + top + HATCH_SPACING; c < right + bottom; c += HATCH_SPACING) {
      double from = Math.max(left, c - bottom);
      double to = Math.min(right, c - top);
      if (to > from) {
        path.moveTo(from, c - from).lineTo(to, c - to);
      }
    }
    return path.toString();
  }
}
