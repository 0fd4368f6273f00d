package dev.minke.build;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code .dockerignore} rule: a cleaned pattern, whether it is a {@code !} exception, and the
 * line it came from.
 */
record IgnorePattern(String pattern, boolean exception, int lineNumber, Pattern regex) {

  /** Compiles a cleaned pattern (without its {@code !}); throws naming the line if it is bad. */
  static IgnorePattern compile(String pattern, boolean exception, int lineNumber, String written) {
    try {
      return new IgnorePattern(
          pattern, exception, lineNumber, Pattern.compile(IgnoreGlob.toRegex(pattern)));
    } catch (IgnoreGlob.BadGlobException e) {
      throw new InvalidIgnorePatternException(lineNumber, written, e.getMessage());
    }
  }

  /**
   * Whether the rule matches the path or one of its parent directories.
   *
   * <p>A rule that names a directory covers everything inside it (moby/patternmatcher's
   * MatchesOrParentMatches).
   */
  boolean matchesSelfOrParent(String path) {
    if (regex.matcher(path).matches()) {
      return true;
    }
    for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      if (regex.matcher(path.substring(0, slash)).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Whether the rule could match some path inside {@code dir} (conservative: may say yes). */
  boolean mayMatchBelow(String dir) {
    Matcher m = regex.matcher(dir + "/");
    // hitEnd: the matcher ran out of input while still able to match, so a longer path might.
    return m.matches() || m.hitEnd();
  }

  @Override
  public String toString() {
    return (exception ? "!" : "") + pattern;
  }
}
