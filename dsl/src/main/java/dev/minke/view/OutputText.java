package dev.minke.view;

import java.util.regex.Pattern;

/**
 * A line of program output made fit to show: what a terminal would leave of it after carriage
 * returns (progress meters redraw a line with {@code \r}), without ANSI escape sequences or
 * other control characters, cut to a width.
 */
final class OutputText {
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[@-_]");

  private OutputText() {}

  static String clean(String line, int maxChars) {
    String shown = line;
    int cr = shown.lastIndexOf('\r', shown.length() - 2); // a trailing \r redraws nothing
    if (cr >= 0) {
      shown = shown.substring(cr + 1);
    }
    shown = ANSI.matcher(shown).replaceAll("");
    StringBuilder out = new StringBuilder(Math.min(shown.length(), maxChars + 1));
    for (int i = 0; i < shown.length() && out.length() < maxChars; i++) {
      char c = shown.charAt(i);
      if (c == '\t') {
        out.append("    ");
      } else if (c >= 0x20 && c != 0x7F && c != 0xFFFE && c != 0xFFFF) {
        out.append(c);
      }
    }
    if (out.length() >= maxChars && shown.length() > maxChars) {
      out.setLength(maxChars);
      out.append('…');
    }
    return out.toString();
  }
}
