package dev.minke.build.dockerfile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shell glob patterns of {@code ${NAME#pattern}}, {@code ${NAME%pattern}} and
 * {@code ${NAME/pattern/replacement}}: {@code *} and {@code ?} are wildcards, {@code \} escapes
 * one of {@code * ? \}, everything else is literal.
 */
final class ShellPattern {
  private ShellPattern() {}

  /** The glob as a regular expression; lazy stars unless {@code greedy}. */
  static Pattern toRegex(String glob, boolean greedy, boolean anchored) {
    StringBuilder out = new StringBuilder(glob.length() + 4);
    if (anchored) {
      out.append('^');
    }
    String star = greedy ? ".*" : ".*?";
    int[] chars = glob.codePoints().toArray();
    for (int i = 0; i < chars.length; i++) {
      int c = chars[i];
      switch (c) {
        case '*' -> out.append(star);
        case '?' -> out.append('.');
        case '\\' -> {
          int next = i + 1 < chars.length ? chars[i + 1] : -1;
          if (next == '}' || next == '/') {
            continue; // an escaped } or / of ${…}: the backslash is not part of the pattern
          }
          if (next != '*' && next != '?' && next != '\\') {
            throw new IllegalArgumentException(
                "invalid escape '\\" + (next < 0 ? "" : Character.toString(next)) + "'");
          }
          out.append('\\').appendCodePoint(next);
          i++;
        }
        case '[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$' -> out.append('\\').append((char) c);
        default -> out.appendCodePoint(c);
      }
    }
    // Go's "." stops only at \n; Java's also at \r and friends unless UNIX_LINES.
    return Pattern.compile(out.toString(), Pattern.UNIX_LINES);
  }

  /** {@code value} without the shortest (or longest) prefix that matches {@code glob}. */
  static String trimPrefix(String glob, String value, boolean greedy) {
    Matcher m = toRegex(glob, greedy, true).matcher(value);
    return m.find() ? value.substring(m.end()) : value;
  }

  /** {@code value} without the shortest (or longest) suffix that matches {@code glob}. */
  static String trimSuffix(String glob, String value, boolean greedy) {
    // A regex finds the leftmost match, so reverse both to find the rightmost one.
    return reverse(trimPrefix(reversePattern(glob), reverse(value), greedy));
  }

  /** Replaces the first (or every) match of {@code glob} in {@code value}. */
  static String replace(String glob, String value, String replacement, boolean all) {
    Matcher m = toRegex(glob, true, false).matcher(value);
    if (!all) {
      return m.find() ? value.substring(0, m.start()) + replacement + value.substring(m.end()) : value;
    }
    // Go's ReplaceAllString: expands $n in the replacement and skips an empty match that
    // touches the previous match.
    StringBuilder out = new StringBuilder();
    int copied = 0;
    int searchFrom = 0;
    int previousEnd = -1;
    while (searchFrom <= value.length() && m.find(searchFrom)) {
      boolean accept = !(m.start() == m.end() && m.start() == previousEnd);
      if (accept) {
        out.append(value, copied, m.start()).append(expandGroups(replacement, m));
        copied = m.end();
      }
      previousEnd = m.end();
      searchFrom = m.end() > m.start() ? m.end()
          : m.end() + (m.end() < value.length() ? Character.charCount(value.codePointAt(m.end())) : 1);
    }
    return out.append(value.substring(copied)).toString();
  }

  /** Go's {@code Regexp.Expand}: {@code $n}, {@code ${n}} and {@code $$}; unknown names are "". */
  private static String expandGroups(String template, Matcher m) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        i++;
        continue;
      }
      if (template.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      boolean braced = template.charAt(i + 1) == '{';
      int start = braced ? i + 2 : i + 1;
      int end = start;
      while (end < template.length() && isNameChar(template.charAt(end))) {
        end++;
      }
      if (end == start || (braced && (end >= template.length() || template.charAt(end) != '}'))) {
        out.append('$'); // malformed: the dollar is literal text
        i++;
        continue;
      }
      String name = template.substring(start, end);
      if (name.chars().allMatch(Character::isDigit) && name.length() < 9
          && Integer.parseInt(name) <= m.groupCount()) {
        out.append(m.group(Integer.parseInt(name)));
      }
      i = braced ? end + 1 : end;
    }
    return out.toString();
  }

  private static boolean isNameChar(char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Reverses a glob but keeps each escape in front of the character it escapes. */
  static String reversePattern(String glob) {
    int[] chars = glob.codePoints().toArray();
    int[] out = new int[chars.length];
    int last = chars.length - 1;
    for (int i = 0; i <= last; ) {
      int outIndex = last - i;
      if (chars[i] == '\\' && i != last) {
        out[outIndex - 1] = chars[i];
        out[outIndex] = chars[i + 1];
        i += 2;
      } else {
        out[outIndex] = chars[i];
        i++;
      }
    }
    return new String(out, 0, out.length);
  }

  private static String reverse(String s) {
    int[] chars = s.codePoints().toArray();
    for (int i = 0, j = chars.length - 1; i < j; i++, j--) {
      int t = chars[i];
      chars[i] = chars[j];
      chars[j] = t;
    }
    return new String(chars, 0, chars.length);
  }
}
