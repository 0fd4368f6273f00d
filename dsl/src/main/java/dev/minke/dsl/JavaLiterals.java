package dev.minke.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * Java string literals for printed DSL source: every string reads back as exactly the same value.
 * A multi-line text becomes a text block; a long command is cut, where the Dockerfile had its
 * line breaks (runs of indentation), into pieces joined with {@code +}.
 *
 * <p>Escapes never use {@code \\uXXXX} for characters below U+0080: Java reads those escapes
 * before anything else, so {@code \\u0022} would end the literal. Control characters get their
 * short or three-digit octal escape; invisible characters above U+007F (line separators, format
 * characters, surrogates) get a {@code \\u} escape, which is safe there.
 */
final class JavaLiterals {
  /** Pieces of a long literal are cut to about this many characters. */
  static final int PIECE = 72;

  private JavaLiterals() {}

  /** A one-line literal, {@code "…"}. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> escape(c, out);
      }
    }
    return out.append('"').toString();
  }

  /**
   * The value as source text at {@code indent} columns: a text block for text of several lines
   * that ends with a line break, pieces joined by {@code +} on continuation lines for a long line,
   * otherwise one literal.
   */
  static String literal(String value, int indent) {
    if (value.endsWith("\n") && value.indexOf('\n') < value.length() - 1) {
      return textBlock(value, indent);
    }
    List<String> pieces = pieces(value);
    if (pieces.size() == 1) {
      return quote(value);
    }
    StringBuilder out = new StringBuilder(quote(pieces.get(0)));
    for (String piece : pieces.subList(1, pieces.size())) {
      out.append('\n').append(" ".repeat(indent)).append("+ ").append(quote(piece));
    }
    return out.toString();
  }

  /**
   * A text block whose lines sit at {@code indent} columns, as does the closing delimiter, so
   * exactly that indentation is stripped. Backslashes, every third quote in a row and the last
   * white-space character of a line (which Java would strip) are escaped.
   */
  static String textBlock(String value, int indent) {
    String pad = " ".repeat(indent);
    StringBuilder out = new StringBuilder("\"\"\"\n");
    String[] lines = value.substring(0, value.length() - 1).split("\n", -1);
    for (String line : lines) {
      if (!line.isEmpty()) {
        out.append(pad);
      }
      int quotes = 0;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        quotes = c == '"' ? quotes + 1 : 0;
        boolean last = i == line.length() - 1;
        if (c == '"') {
          out.append(quotes % 3 == 0 ? "\\\"" : "\"");
        } else if (c == ' ' && last) {
          out.append("\\s");
        } else if (c == '\t') {
          out.append(last ? "\\t" : "\t");
        } else {
          escape(c, out);
        }
      }
      out.append('\n');
    }
    return out.append(pad).append("\"\"\"").toString();
  }

  /** Backslash, control and invisible characters as escapes; everything else as is. */
  private static void escape(char c, StringBuilder out) {
    switch (c) {
      case '\\' -> out.append("\\\\");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\b' -> out.append("\\b");
      case '\f' -> out.append("\\f");
      default -> {
        if (c < 0x20 || c == 0x7f) {
          out.append('\\').append(String.format("%03o", (int) c));
        } else if (c >= 0x80 && invisible(c)) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
    }
  }

  private static boolean invisible(char c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
      default -> false;
    };
  }

  /**
   * A long line cut where a Dockerfile's continued lines began: before the first tab of a run of
   * blanks, or before a run of two or more spaces. A piece still far too long is cut after a
   * blank. Short values stay whole.
   */
  static List<String> pieces(String value) {
    List<String> pieces = new ArrayList<>();
    if (value.length() <= PIECE + 8 || value.indexOf('\n') >= 0) {
      pieces.add(value);
      return pieces;
    }
    int start = 0;
    int i = 0;
    while (i < value.length()) {
      if (!isBlank(value.charAt(i))) {
        i++;
        continue;
      }
      int end = i;
      while (end < value.length() && isBlank(value.charAt(end))) {
        end++;
      }
      int tab = value.substring(i, end).indexOf('\t');
      int cut = tab >= 0 ? i + tab : end - i >= 2 ? i : -1;
      if (cut > start && end < value.length()) {
        pieces.addAll(atBlanks(value.substring(start, cut)));
        start = cut;
      }
      i = end;
    }
    pieces.addAll(atBlanks(value.substring(start)));
    return pieces;
  }

  /** A piece longer than twice {@link #PIECE} cut after the last blank that keeps pieces short. */
  private static List<String> atBlanks(String piece) {
    List<String> pieces = new ArrayList<>();
    String rest = piece;
    while (rest.length() > PIECE * 2) {
      int cut = rest.lastIndexOf(' ', PIECE) + 1;
      if (cut <= 0) {
        cut = rest.indexOf(' ', PIECE) + 1;
      }
      if (cut <= 0 || cut >= rest.length()) {
        break;
      }
      pieces.add(rest.substring(0, cut));
      rest = rest.substring(cut);
    }
    pieces.add(rest);
    return pieces;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
