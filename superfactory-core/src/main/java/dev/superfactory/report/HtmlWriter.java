package dev.superfactory.report;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Writes HTML with inline SVG into one buffer. Every text and attribute value is escaped; only
 * {@link #raw} (the page's own CSS and script) is not. Each element opened must be closed in
 * order, so the markup it emits is balanced by construction; only void elements and SVG shapes may be
 * written empty. Cost: amortized O(length) per call;
 * escaping scans each value once.
 */
public final class HtmlWriter {
  /** HTML's void elements (HTML Living Standard, 13.1.2 "Elements"): the only ones that may be written empty. */
  private static final Set<String> VOID_ELEMENTS = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input",
      "link", "meta", "source", "track", "wbr");

  private final StringBuilder out;
  private final Deque<String> open = new ArrayDeque<>();

  public HtmlWriter(int capacityChars) {
    out = new StringBuilder(capacityChars);
  }

  public HtmlWriter() {
    this(1 << 14);
  }

  /** Opens {@code <tag name="value" ...>}; attributes come in name, value pairs; a null value is left out. */
  public HtmlWriter open(String tag, String... attributes) {
    out.append('<').append(tag);
    attributes(attributes);
    out.append('>');
    open.push(tag);
    return this;
  }

  public HtmlWriter close(String tag) {
    String top = open.peek();
    if (!tag.equals(top)) {
      throw new IllegalStateException("closing </" + tag + "> but the open element is <" + top + ">");
    }
    open.pop();
    out.append("</").append(tag).append('>');
    return this;
  }

  /**
   * An element without content, {@code <tag .../>}: only an HTML void element ({@code meta}, {@code br}, ...)
   * or an element inside an open {@code <svg>}. Anywhere else an HTML parser ignores the {@code /} and
   * nests everything that follows inside the element (a {@code <span/>} swallows the rest of its row),
   * so this fails instead; write {@code open(tag).close(tag)}.
   */
  public HtmlWriter empty(String tag, String... attributes) {
    if (!VOID_ELEMENTS.contains(tag) && !open.contains("svg")) {
      throw new IllegalArgumentException("<" + tag + "/> is not a void element in HTML and is outside an <svg>: "
          + "a browser would nest what follows inside it; open and close it instead (open elements: " + open + ")");
    }
    out.append('<').append(tag);
    attributes(attributes);
    out.append("/>");
    return this;
  }

  /** {@code <tag ...>text</tag>} with the text escaped. */
  public HtmlWriter element(String tag, String text, String... attributes) {
    return open(tag, attributes).text(text).close(tag);
  }

  public HtmlWriter text(String text) {
    escape(text == null ? "" : text, out);
    return this;
  }

  /** Markup written as is: only for the page's own constant CSS and script, never for data. */
  public HtmlWriter raw(String trustedMarkup) {
    out.append(trustedMarkup);
    return this;
  }

  public HtmlWriter newline() {
    out.append('\n');
    return this;
  }

  /** The document; fails if an element is still open. */
  public String finish() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed elements: " + open);
    }
    return out.toString();
  }

  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    escape(text, sb);
    return sb.toString();
  }

  private void attributes(String[] attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name, value pairs; got " + attributes.length + " strings");
    }
    for (int i = 0; i < attributes.length; i += 2) {
      if (attributes[i + 1] != null) {
        out.append(' ').append(attributes[i]).append("=\"");
        escape(attributes[i + 1], out);
        out.append('"');
      }
    }
  }

  private static void escape(String text, StringBuilder sb) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
  }
}
