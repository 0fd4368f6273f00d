package dev.minke.build;

/**
 * Turns a {@code .dockerignore} pattern into a Java regular expression over slash-separated paths.
 *
 * <p>The syntax is Go's {@code filepath.Match}: {@code *} is any run of non-slash characters,
 * {@code ?} one non-slash character, {@code [...]} a class ({@code ^} negates, {@code a-z} is a
 * range, {@code \} escapes), {@code \x} the literal x. On top of that, as moby/patternmatcher does
 * it: {@code **} followed by more pattern matches zero or more whole directories (its {@code /} is
 * part of it), and a trailing {@code **} matches anything, slashes included.
 */
final class IgnoreGlob {
  /** A pattern that {@code filepath.Match} would reject, with the reason. */
  static final class BadGlobException extends Exception {
    BadGlobException(String reason) {
      super(reason, null, false, false);
    }
  }

  private final String glob;
  private final StringBuilder regex = new StringBuilder();
  private int pos;

  private IgnoreGlob(String glob) {
    this.glob = glob;
  }

  /** The regular expression, to be used with {@code matches()} (it is not anchored itself). */
  static String toRegex(String glob) throws BadGlobException {
    IgnoreGlob translator = new IgnoreGlob(glob);
    translator.translate();
    return translator.regex.toString();
  }

  private void translate() throws BadGlobException {
    while (pos < glob.length()) {
      int c = glob.codePointAt(pos);
      pos += Character.charCount(c);
      switch (c) {
        case '*' -> star();
        case '?' -> regex.append("[^/]");
        case '[' -> characterClass();
        case '\\' -> {
          if (pos >= glob.length()) {
            throw new BadGlobException("a trailing \\ escapes nothing");
          }
          int escaped = glob.codePointAt(pos);
          pos += Character.charCount(escaped);
          literal(escaped);
        }
        default -> literal(c);
      }
    }
  }

  private void star() {
    if (pos >= glob.length() || glob.charAt(pos) != '*') {
      regex.append("[^/]*");
      return;
    }
    pos++;
    if (pos < glob.length() && glob.charAt(pos) == '/') {
      pos++; // "**/" is one unit: zero or more directories
    }
    regex.append(pos >= glob.length() ? ".*" : "(?:.*/)?");
  }

  /** Reads {@code [^lo-hi...]} up to its closing bracket, with Go's rules for what is valid. */
  private void characterClass() throws BadGlobException {
    regex.append('[');
    if (pos < glob.length() && glob.charAt(pos) == '^') {
      pos++;
      regex.append('^');
    }
    int ranges = 0;
    while (true) {
      if (pos < glob.length() && glob.charAt(pos) == ']' && ranges > 0) {
        pos++;
        regex.append(']');
        return;
      }
      int lo = classChar();
      int hi = lo;
      if (pos < glob.length() && glob.charAt(pos) == '-') {
        pos++;
        hi = classChar();
      }
      if (hi < lo) {
        throw new BadGlobException(
            "range " + Character.toString(lo) + "-" + Character.toString(hi) + " runs backwards");
      }
      regex.append(quoted(lo));
      if (hi != lo) {
        regex.append('-').append(quoted(hi));
      }
      ranges++;
    }
  }

  /** One character of a class, possibly escaped; Go refuses a bare {@code -} or {@code ]} here. */
  private int classChar() throws BadGlobException {
    if (pos >= glob.length()) {
      throw new BadGlobException("the character class has no closing ]");
    }
    char next = glob.charAt(pos);
    if (next == '-' || next == ']') {
      throw new BadGlobException(
          "'" + next + "' must be escaped as \\" + next + " at this place of a character class");
    }
    if (next == '\\') {
      pos++;
      if (pos >= glob.length()) {
        throw new BadGlobException("the character class has no closing ]");
      }
    }
    int c = glob.codePointAt(pos);
    pos += Character.charCount(c);
    if (pos >= glob.length()) {
      throw new BadGlobException("the character class has no closing ]");
    }
    return c;
  }

  private void literal(int c) {
    regex.append(quoted(c));
  }

  /** A code point that the regex reads literally, inside or outside a class. */
  private static String quoted(int c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return Character.toString(c);
    }
    return "\\x{" + Integer.toHexString(c) + "}";
  }
}
