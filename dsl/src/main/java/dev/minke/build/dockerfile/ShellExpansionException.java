package dev.minke.build.dockerfile;

import dev.minke.error.MinkeException;

/** A word cannot be expanded: bad {@code ${…}} syntax, an unclosed quote, or {@code ${X?}}. */
public class ShellExpansionException extends MinkeException {
  private final String word;
  private final String reason;

  public ShellExpansionException(String word, String reason) {
    super("failed to process \"" + word + "\": " + reason,
        "close quotes and ${…}; write a literal dollar sign as \\$");
    this.word = word;
    this.reason = reason;
  }

  /** The word as written. */
  public String word() {
    return word;
  }

  /** What is wrong with it, in BuildKit's words, e.g. {@code syntax error: bad substitution}. */
  public String reason() {
    return reason;
  }
}
