package dev.minke.view;

/**
 * Builds the static HTML of a view: escaped text, inline styles and {@code <details>} only, no
 * scripts or classes that need a stylesheet, so it looks the same in Notebook, JupyterLab, VS
 * Code and nbconvert's HTML (which run no scripts in outputs).
 */
public final class Html {
  private final StringBuilder out = new StringBuilder();

  /**
   * Text with {@code & < > " '} escaped, safe in element content and quoted attributes. Control
   * characters other than tab, newline and carriage return become U+FFFD: XML forbids them, and
   * program output (ANSI colours, NUL) is full of them.
   */
  public static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF
            ? '\uFFFD' : c);
      }
    }
    return escaped.toString();
  }

  /** Opens {@code <tag style="...">}; an empty style writes no attribute. */
  public Html open(String tag, String style) {
    out.append('<').append(tag);
    if (!style.isEmpty()) {
      out.append(" style=\"").append(escape(style)).append('"');
    }
    out.append('>');
    return this;
  }

  public Html open(String tag) {
    return open(tag, "");
  }

  public Html close(String tag) {
    out.append("</").append(tag).append('>');
    return this;
  }

  /** Escaped text. */
  public Html text(String text) {
    out.append(escape(text));
    return this;
  }

  /** {@code <tag style="...">text</tag>} with the text escaped. */
  public Html element(String tag, String style, String text) {
    return open(tag, style).text(text).close(tag);
  }

  /** Markup made by another view (already escaped). */
  public Html raw(String markup) {
    out.append(markup);
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
