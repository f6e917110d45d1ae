package dev.superfactory.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HtmlWriterTest {
  @Test
  void textAndAttributeValuesAreEscaped() {
    String html = new HtmlWriter()
        .open("p", "title", "a \"quoted\" <b> & 'single'")
        .text("<script>alert(1)</script> & more")
        .close("p")
        .finish();
    assertThat(html).isEqualTo("<p title=\"a &quot;quoted&quot; &lt;b&gt; &amp; &#39;single&#39;\">"
        + "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>");
  }

  @Test
  void anAttributeWithANullValueIsLeftOut() {
    assertThat(new HtmlWriter().open("svg").empty("rect", "x", "1", "fill", null).close("svg").finish())
        .isEqualTo("<svg><rect x=\"1\"/></svg>");
  }

  @Test
  void voidElementsAndSvgShapesMayBeWrittenEmpty() {
    assertThat(new HtmlWriter().empty("meta", "charset", "utf-8").empty("br").open("svg").open("g").empty("path", "d", "M0")
        .close("g").close("svg").finish()).isEqualTo("<meta charset=\"utf-8\"/><br/><svg><g><path d=\"M0\"/></g></svg>");
  }

  /** An HTML parser ignores the slash in {@code <span/>}: the span would swallow the rest of its row. */
  @Test
  void anEmptyNonVoidHtmlElementFails() {
    HtmlWriter out = new HtmlWriter().open("div");
    assertThatThrownBy(() -> out.empty("span", "class", "bar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("<span/> is not a void element in HTML");
    assertThatThrownBy(() -> new HtmlWriter().empty("rect")).hasMessageContaining("outside an <svg>");
  }

  @Test
  void closingAnElementThatIsNotTheInnermostFails() {
    HtmlWriter out = new HtmlWriter().open("div").open("span");
    assertThatThrownBy(() -> out.close("div")).hasMessageContaining("closing </div> but the open element is <span>");
  }

  @Test
  void finishingWithAnOpenElementFails() {
    assertThatThrownBy(() -> new HtmlWriter().open("section").finish()).hasMessageContaining("unclosed elements: [section]");
  }

  @Test
  void attributesMustComeInPairs() {
    assertThatThrownBy(() -> new HtmlWriter().open("a", "href")).hasMessageContaining("pairs");
  }

  @Test
  void rawMarkupIsWrittenAsIs() {
    assertThat(new HtmlWriter().open("style").raw("a>b{}").close("style").finish()).isEqualTo("<style>a>b{}</style>");
  }
}
