package dev.minke.build.dockerfile;

import java.util.List;

/**
 * The {@code --name=value} flags at the start of an instruction's arguments. Flags end at the
 * first word that does not start with {@code --}, or at a lone {@code --}. A flag value may be
 * quoted; the quotes are removed (unlike in the arguments).
 */
final class Flags {
  private Flags() {}

  /** Adds the flags to {@code flags} and returns the rest of the line. */
  static String extract(String line, List<String> flags) {
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean inQuote = false;
    char quote = 0;
    boolean blankOk = false;
    for (int pos = 0; pos <= line.length(); pos++) {
      boolean end = pos == line.length();
      char ch = end ? 0 : line.charAt(pos);
      if (!inWord && !inQuote) {
        if (end) {
          break;
        }
        if (GoText.isSpace(ch)) {
          continue;
        }
        if (ch != '-' || pos + 1 == line.length() || line.charAt(pos + 1) != '-') {
          return line.substring(pos);
        }
        inWord = true;
      }
      if (end) {
        if (!word.toString().equals("--") && (blankOk || word.length() > 0)) {
          flags.add(word.toString());
        }
        break;
      }
      if (inWord) {
        if (GoText.isSpace(ch)) {
          inWord = false;
          if (word.toString().equals("--")) {
            return line.substring(pos);
          }
          if (blankOk || word.length() > 0) {
            flags.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          inWord = false;
          inQuote = true;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == line.length()) {
            continue; // a backslash at the end is dropped
          }
          pos++;
          ch = line.charAt(pos);
        }
        word.append(ch);
        continue;
      }
      if (ch == quote) {
        inQuote = false;
        inWord = true;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == line.length()) {
          inQuote = false;
          inWord = true;
          continue;
        }
        pos++;
        ch = line.charAt(pos);
      }
      word.append(ch);
    }
    return "";
  }
}
