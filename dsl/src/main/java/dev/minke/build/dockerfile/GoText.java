package dev.minke.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few Go standard-library text rules BuildKit's parser leans on, so that our output matches
 * its output character for character: {@code unicode.IsSpace}, {@code strings.TrimSpace},
 * {@code regexp.Split} and {@code strconv.Quote}.
 */
final class GoText {
  private GoText() {}

  /** Go's {@code unicode.IsSpace}: ASCII white space, NEL, NBSP and Unicode's White_Space. */
  static boolean isSpace(int cp) {
    switch (cp) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
          0x3000:
        return true;
      default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
  }

  /** Go's {@code strings.TrimSpace}. */
  static String trimSpace(String s) {
    return trimRightSpace(trimLeftSpace(s));
  }

  static String trimLeftSpace(String s) {
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (!isSpace(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    return s.substring(i);
  }

  static String trimRightSpace(String s) {
    int end = s.length();
    while (end > 0) {
      int cp = s.codePointBefore(end);
      if (!isSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(0, end);
  }

  /** Go's {@code regexp.Split(s, n)}: at most {@code n} pieces ({@code n < 0}: all). */
  static List<String> split(Pattern separator, String s, int n) {
    List<String> pieces = new ArrayList<>();
    if (n == 0) {
      return pieces;
    }
    if (s.isEmpty()) {
      pieces.add("");
      return pieces;
    }
    Matcher m = separator.matcher(s);
    int begin = 0;
    int end = 0;
    while (m.find()) {
      if (n > 0 && pieces.size() == n - 1) {
        break;
      }
      end = m.start();
      if (m.end() != 0) {
        pieces.add(s.substring(begin, end));
      }
      begin = m.end();
    }
    if (end != s.length()) {
      pieces.add(s.substring(begin));
    }
    return pieces;
  }

  /** Go's {@code strconv.Quote}: a double-quoted literal with Go escapes. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isSurrogate((char) cp)) {
        cp = 0xFFFD; // a lone surrogate cannot come from UTF-8; Go would see U+FFFD
      }
      switch (cp) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case 0x07 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 0x0B -> out.append("\\v");
        default -> {
          if (isPrint(cp)) {
            out.appendCodePoint(cp);
          } else if (cp < ' ' || cp == 0x7F) {
            out.append(String.format("\\x%02x", cp));
          } else if (cp < 0x10000) {
            out.append(String.format("\\u%04x", cp));
          } else {
            out.append(String.format("\\U%08x", cp));
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Go's {@code fmt.Sprintf("%q", []string)}: {@code ["a" "b"]}. */
  static String quoteList(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : " ").append(quote(values.get(i)));
    }
    return out.append(']').toString();
  }

  /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
  static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }
}
