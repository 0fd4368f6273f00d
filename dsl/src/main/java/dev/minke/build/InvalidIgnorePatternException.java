package dev.minke.build;

import dev.minke.error.MinkeException;

/** A {@code .dockerignore} line whose pattern cannot be read. */
public final class InvalidIgnorePatternException extends MinkeException {
  private final int lineNumber;
  private final String pattern;

  InvalidIgnorePatternException(int lineNumber, String pattern, String problem) {
    super(
        ".dockerignore line " + lineNumber + ": bad pattern \"" + pattern + "\": " + problem,
        "patterns use * ? [a-z] [^a-z] and \\ escapes like Go's filepath.Match, ** for any number"
            + " of directories and a leading ! for exceptions");
    this.lineNumber = lineNumber;
    this.pattern = pattern;
  }

  /** The 1-based line of {@code .dockerignore} that holds the pattern. */
  public int lineNumber() {
    return lineNumber;
  }

  /** The pattern as written on that line, trimmed. */
  public String pattern() {
    return pattern;
  }
}
