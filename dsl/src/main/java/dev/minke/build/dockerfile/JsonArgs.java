package dev.minke.build.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the exec (JSON) form of an instruction the way BuildKit does with Go's
 * {@code encoding/json}: the first JSON value of the text must be an array; anything after it is
 * ignored; the array must hold only strings.
 */
final class JsonArgs {
  /** The text is not JSON (or not an array): the instruction falls back to shell form. */
  static final class NotJson extends Exception {
    NotJson(String message) {
      super(message, null, false, false);
    }
  }

  /** The text is a JSON array with something other than strings in it: a syntax error. */
  static final class NotStringArray extends Exception {
    NotStringArray() {
      super("when using JSON array syntax, arrays must be comprised of strings only", null, false,
          false);
    }
  }

  private static final Object NOT_A_STRING = new Object();

  private final String text;
  private int pos;

  private JsonArgs(String text) {
    this.text = text;
  }

  /** The strings of the JSON array at the start of {@code rest}. */
  static List<String> parse(String rest) throws NotJson, NotStringArray {
    String trimmed = GoText.trimLeftSpace(rest);
    if (!trimmed.startsWith("[")) {
      throw new NotJson("not a JSON array");
    }
    List<Object> values = new JsonArgs(trimmed).array();
    List<String> strings = new ArrayList<>(values.size());
    for (Object value : values) {
      if (!(value instanceof String s)) {
        throw new NotStringArray();
      }
      strings.add(s);
    }
    return strings;
  }

  private List<Object> array() throws NotJson {
    expect('[');
    List<Object> values = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return values;
    }
    while (true) {
      values.add(value());
      skipSpace();
      int c = next();
      if (c == ']') {
        return values;
      }
      if (c != ',') {
        throw new NotJson("expected , or ] in array");
      }
    }
  }

  private Object value() throws NotJson {
    skipSpace();
    int c = peek();
    switch (c) {
      case '"':
        return string();
      case '[':
        array();
        return NOT_A_STRING;
      case '{':
        object();
        return NOT_A_STRING;
      case 't':
        literal("true");
        return NOT_A_STRING;
      case 'f':
        literal("false");
        return NOT_A_STRING;
      case 'n':
        literal("null");
        return NOT_A_STRING;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          number();
          return NOT_A_STRING;
        }
        throw new NotJson("invalid character looking for beginning of value");
    }
  }

  private void object() throws NotJson {
    expect('{');
    skipSpace();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw new NotJson("expected object key");
      }
      string();
      skipSpace();
      expect(':');
      value();
      skipSpace();
      int c = next();
      if (c == '}') {
        return;
      }
      if (c != ',') {
        throw new NotJson("expected , or } in object");
      }
    }
  }

  private void literal(String word) throws NotJson {
    if (!text.startsWith(word, pos)) {
      throw new NotJson("invalid literal");
    }
    pos += word.length();
  }

  private void number() throws NotJson {
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw new NotJson("invalid number");
    }
    if (peek() == '.') {
      pos++;
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits();
    }
  }

  private void digits() throws NotJson {
    if (!isDigit(peek())) {
      throw new NotJson("invalid number");
    }
    while (isDigit(peek())) {
      pos++;
    }
  }

  private String string() throws NotJson {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      int c = next();
      if (c < 0) {
        throw new NotJson("unexpected end of JSON input");
      }
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw new NotJson("invalid character in string literal");
      }
      if (c != '\\') {
        out.append((char) c);
        continue;
      }
      int e = next();
      switch (e) {
        case '"', '\\', '/' -> out.append((char) e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(unicodeEscape());
        default -> throw new NotJson("invalid escape in string literal");
      }
    }
  }

  /** A {@code \\uXXXX} escape; Go turns an unpaired surrogate into U+FFFD. */
  private String unicodeEscape() throws NotJson {
    char first = (char) hex4();
    if (!Character.isSurrogate(first)) {
      return String.valueOf(first);
    }
    if (Character.isHighSurrogate(first) && text.startsWith("\\u", pos)) {
      int save = pos;
      pos += 2;
      char second = (char) hex4();
      if (Character.isLowSurrogate(second)) {
        return new String(new char[] {first, second});
      }
      pos = save; // Go decodes the second escape on its own
    }
    return "\uFFFD";
  }

  private int hex4() throws NotJson {
    if (pos + 4 > text.length()) {
      throw new NotJson("unexpected end of JSON input");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos++), 16);
      if (d < 0) {
        throw new NotJson("invalid \\u escape");
      }
      value = value * 16 + d;
    }
    return value;
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private void expect(char c) throws NotJson {
    if (next() != c) {
      throw new NotJson("expected " + c);
    }
  }

  private int peek() {
    return pos < text.length() ? text.charAt(pos) : -1;
  }

  private int next() {
    return pos < text.length() ? text.charAt(pos++) : -1;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }
}
