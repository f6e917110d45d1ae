package dev.superfactory.report;

import java.util.List;

/** A chart legend as an HTML list: a swatch in the series' color and look, a label, an optional note. */
public final class Legend {
  /** How the swatch looks: a filled box, a line, a bold or dashed line, a light box (waiting), a hatched box. */
  public enum Mark { BOX, LINE, BOLD, DASHED, LIGHT, HATCHED }

  public record Entry(String label, String color, Mark mark, String note) {
    public Entry(String label, String color, Mark mark) {
      this(label, color, mark, null);
    }
  }

  private Legend() {}

  public static void write(HtmlWriter out, List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    out.open("ul", "class", "legend");
    for (Entry e : entries) {
      out.open("li");
      swatch(out, e.color(), e.mark());
      out.text(e.label());
      if (e.note() != null) {
        out.element("span", e.note(), "class", "note");
      }
      out.close("li");
    }
    out.close("ul");
  }

  /** A colored mark; the color is one of the palette's constants, never text from the JSON. */
  static void swatch(HtmlWriter out, String color, Mark mark) {
    String property = mark == Mark.DASHED ? "border-color:" : mark == Mark.HATCHED ? "color:" : "background:";
    out.element("span", "", "class", "sw " + mark.name().toLowerCase(java.util.Locale.ROOT),
        "style", property + color);
  }
}
